import { describe, expect, it } from 'vitest';
import { eventsUrl, parseExecutionEvent } from './live';

describe('parseExecutionEvent', () => {
  it('reads created and completed events', () => {
    expect(parseExecutionEvent('{"type":"completed","id":"a","promptId":"support-reply","status":"success"}')).toEqual({
      type: 'completed',
      id: 'a',
      promptId: 'support-reply',
      status: 'success',
    });
  });

  it('ignores malformed or unknown events', () => {
    expect(parseExecutionEvent('not json')).toBeNull();
    expect(parseExecutionEvent('{"type":"deleted","id":"a","promptId":"p","status":"success"}')).toBeNull();
    expect(parseExecutionEvent('{"type":"created","id":"a","promptId":"p","status":"weird"}')).toBeNull();
  });
});

describe('eventsUrl', () => {
  it('encodes the prompt id', () => {
    expect(eventsUrl('team/support reply')).toBe('/api/v1/executions/events?promptId=team%2Fsupport+reply');
  });
});
