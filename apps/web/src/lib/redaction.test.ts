import { describe, expect, it } from 'vitest';
import { describeRedactions, hasRedactions, splitRedactions } from './redaction';

describe('splitRedactions', () => {
  it('keeps plain text as one segment', () => {
    expect(splitRedactions('no secrets here')).toEqual([{ type: 'text', text: 'no secrets here' }]);
    expect(splitRedactions('')).toEqual([{ type: 'text', text: '' }]);
  });

  it('separates every marker, with its rule, from the text around it', () => {
    expect(splitRedactions('key [REDACTED:api_key] and [REDACTED:card_number]!')).toEqual([
      { type: 'text', text: 'key ' },
      { type: 'redaction', text: '[REDACTED:api_key]', rule: 'api_key' },
      { type: 'text', text: ' and ' },
      { type: 'redaction', text: '[REDACTED:card_number]', rule: 'card_number' },
      { type: 'text', text: '!' },
    ]);
  });

  it('handles adjacent markers and markers at the edges', () => {
    expect(splitRedactions('[REDACTED:a][REDACTED:b2_c]')).toEqual([
      { type: 'redaction', text: '[REDACTED:a]', rule: 'a' },
      { type: 'redaction', text: '[REDACTED:b2_c]', rule: 'b2_c' },
    ]);
  });

  it('leaves look-alikes that are not valid rule names as text', () => {
    const text = '[REDACTED:] [REDACTED:Upper] [redacted:api_key] [REDACTED:1abc]';
    expect(splitRedactions(text)).toEqual([{ type: 'text', text }]);
    expect(hasRedactions(text)).toBe(false);
    expect(hasRedactions('a [REDACTED:bearer_token] b')).toBe(true);
  });

  it('joins back into the original text', () => {
    const text = 'postgres://u:[REDACTED:url_password]@db/x and Bearer [REDACTED:bearer_token]';
    expect(
      splitRedactions(text)
        .map((segment) => segment.text)
        .join(''),
    ).toBe(text);
  });
});

describe('describeRedactions', () => {
  it('says how many values each rule replaced, most first', () => {
    expect(describeRedactions({ card_number: 1, api_key: 2 })).toBe(
      '3 values were redacted at ingestion: api_key ×2, card_number ×1',
    );
  });

  it('uses the singular for one value and says nothing for none', () => {
    expect(describeRedactions({ bearer_token: 1 })).toBe('1 value was redacted at ingestion: bearer_token ×1');
    expect(describeRedactions({})).toBeNull();
    expect(describeRedactions({ api_key: 0 })).toBeNull();
  });
});
