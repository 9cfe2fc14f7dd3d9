import { describe, expect, it } from 'vitest';
import { eventsUrl, parseExecutionEvent } from './live';

describe('parseExecutionEvent', () => {
  it('reads created and completed events with what the filters need', () => {
    const data = JSON.stringify({
      type: 'created',
      id: 'a',
      promptId: 'support-reply',
      status: 'error',
      source: 'workflow',
      version: 3,
      model: 'gpt-4o',
      tags: ['eu'],
    });
    expect(parseExecutionEvent(data)).toEqual({
      type: 'created',
      id: 'a',
      promptId: 'support-reply',
      status: 'error',
      source: 'workflow',
      version: 3,
      model: 'gpt-4o',
      tags: ['eu'],
    });
  });

  it('reads an event without the optional fields as unknown, not as a mismatch', () => {
    expect(parseExecutionEvent('{"type":"completed","id":"a","promptId":"support-reply","status":"success"}')).toEqual({
      type: 'completed',
      id: 'a',
      promptId: 'support-reply',
      status: 'success',
      source: null,
      version: null,
      model: null,
      tags: [],
    });
  });

  it('ignores malformed or unknown events', () => {
    expect(parseExecutionEvent('not json')).toBeNull();
    expect(parseExecutionEvent('{"type":"deleted","id":"a","promptId":"p","status":"success"}')).toBeNull();
    expect(parseExecutionEvent('{"type":"created","id":"a","promptId":"p","status":"weird"}')).toBeNull();
  });
});

describe('eventsUrl', () => {
  it('names the project and encodes the prompt id', () => {
    expect(eventsUrl('proj', 'team/support reply')).toBe(
      '/api/v1/executions/events?projectId=proj&promptId=team%2Fsupport+reply',
    );
  });
});
