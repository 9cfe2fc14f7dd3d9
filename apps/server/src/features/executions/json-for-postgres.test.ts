import { describe, expect, it } from 'vitest';
import { jsonForPostgres } from './json-for-postgres';

describe('jsonForPostgres', () => {
  it('replaces NUL and lone surrogates, wherever they are, with U+FFFD', () => {
    const value = { a: 'x\u0000y', b: ['lone \ud800 high', 'lone \udc00 low'], c: { d: '\u0000' } };
    expect(JSON.parse(jsonForPostgres(value))).toEqual({
      a: 'x\ufffdy',
      b: ['lone \ufffd high', 'lone \ufffd low'],
      c: { d: '\ufffd' },
    });
  });

  it('keeps paired surrogates, other escapes and text that only looks like an escape', () => {
    const value = {
      emoji: 'fine 😀',
      control: 'tab\there\u0001',
      literal: 'a backslash then u0000: \\u0000, \\U0000 and \\ud800',
      quote: '"quoted"',
    };
    expect(jsonForPostgres(value)).toBe(JSON.stringify(value));
  });

  it('returns JSON.stringify’s text unchanged when nothing needs replacing', () => {
    const value = { text: 'plain ascii and ünïcödé', n: 1, list: [true, null] };
    expect(jsonForPostgres(value)).toBe(JSON.stringify(value));
  });
});
