import { describe, expect, it } from 'vitest';
import { capJson, countValues, Omission, searchJson } from './json-tree-data';

/** The capped or searched value as plain JSON, omissions written as their note. */
function plain(value: unknown): unknown {
  return JSON.parse(
    // `this[key]`: JSON.stringify turns a Date into its toJSON() text before a replacer sees the value.
    JSON.stringify(value, function (this: Record<string, unknown>, key, item) {
      const raw = this[key];
      return raw instanceof Omission ? `<${raw.note}>` : item;
    }),
  );
}

describe('searchJson', () => {
  const payload = {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You help with refunds.' },
      { role: 'user', content: 'Where is my parcel?' },
      { role: 'user', content: 'And my REFUND?' },
    ],
    refund_policy: { days: 60 },
    temperature: 0.2,
  };

  it('keeps what matches, in a key or a value, case-insensitively, and says where the rest was', () => {
    const result = searchJson(payload, 'refund');
    expect(result.matches).toBe(3);
    expect(plain(result.value)).toEqual({
      '…': '<… 1 key without a match>',
      messages: [
        { '…': '<… 1 key without a match>', content: 'You help with refunds.' },
        '<… 1 item without a match>',
        { '…': '<… 1 key without a match>', content: 'And my REFUND?' },
      ],
      refund_policy: { days: 60 },
      '…\u200b': '<… 1 key without a match>',
    });
  });

  it('matches numbers and booleans by their text, and reports no match as none', () => {
    expect(searchJson(payload, '0.2').matches).toBe(1);
    expect(searchJson(payload, 'nowhere').matches).toBe(0);
    expect(searchJson(payload, '  ').value).toBe(payload);
  });
});

describe('capJson', () => {
  it('leaves a payload within the cap as it is', () => {
    const value = { a: [1, 2, 3], b: 'text' };
    expect(capJson(value, 100)).toEqual({ value, shown: 6, total: 6 });
  });

  it('keeps whole values breadth-first up to the cap and counts what it left out, never cutting a value', () => {
    const value = {
      id: 'exec-1',
      note: 'x'.repeat(5_000),
      items: Array.from({ length: 50 }, (_, i) => ({ n: i, label: `item ${i}` })),
    };
    const capped = capJson(value, 60);
    expect(capped.total).toBe(countValues(value));
    expect(capped.total).toBe(1 + 1 + 1 + 1 + 50 * 3);
    // The outline first: id and items fit, the long note does not; then the items' entries, as the cap allows.
    expect(plain(capped.value)).toEqual({
      id: 'exec-1',
      '…': '<… 1 more key>',
      items: [
        { n: 0, label: 'item 0' },
        { n: 1, label: 'item 1' },
        { n: 2, label: 'item 2' },
        { n: 3, '…': '<… 1 more key>' },
        '<… 46 more items>',
      ],
    });
    expect(capped.shown).toBe(1 + 2 + 4 + 7);
    // With more room the long note is shown, whole.
    expect(capJson(value, 200).value).toMatchObject({ note: value.note });
  });

  it('keeps a logged "__proto__" key as a key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": "match me"}');
    const result = searchJson(value, 'match');
    expect(Object.keys(result.value as object)).toEqual(['…', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const big = JSON.parse(`{"__proto__": {"polluted": true}, "big": "${'x'.repeat(2_000)}"}`);
    const capped = capJson(big, 5).value as object;
    expect(Object.keys(capped)).toEqual(['__proto__', '…']);
    expect(Object.getPrototypeOf(capped)).toBe(Object.prototype);
  });
});
