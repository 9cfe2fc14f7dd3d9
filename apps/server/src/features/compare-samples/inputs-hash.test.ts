import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, inputsHash } from './inputs-hash';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('writes strings and numbers as JSON does, escapes included, and leaves out undefined members', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak "quoted" é', n: 1.5e21, t: true, u: undefined })).toBe(
      '{"k\\"ey":"line\\nbreak \\"quoted\\" é","n":1.5e+21,"t":true}',
    );
  });
});

describe('inputsHash', () => {
  it('is the first 128 bits of the SHA-256 of the canonical JSON, in hex', () => {
    const expected = createHash('sha256').update('{"a":1,"b":"x"}').digest('hex').slice(0, 32);
    expect(inputsHash({ b: 'x', a: 1 })).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is the same whatever the key order, nested objects included, and differs with any value', () => {
    const one = inputsHash({ question: 'Where is my order?', customer: { tier: 'gold', id: 7 } });
    expect(inputsHash({ customer: { id: 7, tier: 'gold' }, question: 'Where is my order?' })).toBe(one);
    expect(inputsHash({ customer: { id: 8, tier: 'gold' }, question: 'Where is my order?' })).not.toBe(one);
    expect(inputsHash({ list: [1, 2] })).not.toBe(inputsHash({ list: [2, 1] }));
    // A string and the number it spells are different inputs.
    expect(inputsHash({ id: '7' })).not.toBe(inputsHash({ id: 7 }));
  });

  it('is null without inputs', () => {
    expect(inputsHash(undefined)).toBeNull();
    expect(inputsHash(null)).toBeNull();
    expect(inputsHash({})).toBeNull();
  });
});
