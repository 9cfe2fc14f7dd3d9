import { describe, expect, it } from 'vitest';
import { conversationFiltersPatch, parseConversationFilters, toConversationParams } from './filters';

describe('the Conversations page filters', () => {
  it('read from and write to the URL, defaults left out', () => {
    const filters = parseConversationFilters(new URLSearchParams('range=30d&q=%20chat-1%20'));
    expect(filters).toEqual({ range: '30d', q: 'chat-1' });
    expect(conversationFiltersPatch(filters)).toEqual({ range: '30d', q: 'chat-1' });
    expect(parseConversationFilters(new URLSearchParams('range=bogus'))).toEqual({ range: '7d', q: '' });
    expect(conversationFiltersPatch({ range: '7d', q: '' })).toEqual({ range: null, q: null });
  });

  it('resolve a relative range against the time of the request', () => {
    const now = Date.parse('2026-12-03T00:00:00Z');
    expect(toConversationParams({ range: '24h', q: 'x' }, now).toString()).toBe(
      'from=2026-12-02T00%3A00%3A00.000Z&q=x',
    );
    expect(toConversationParams({ range: 'all', q: '' }, now).toString()).toBe('');
  });
});
