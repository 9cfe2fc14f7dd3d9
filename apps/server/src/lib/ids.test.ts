import { describe, expect, it } from 'vitest';
import { deterministicUuidv7, uuidv7 } from './ids';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('writes the time first, so ids sort by it, with the version and variant bits of RFC 9562', () => {
    const earlier = uuidv7(Date.parse('2026-12-01T00:00:00Z'));
    const later = uuidv7(Date.parse('2026-12-01T00:00:00.001Z'));
    expect(earlier).toMatch(UUIDV7);
    expect(later).toMatch(UUIDV7);
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 13).replace('-', '')).toBe(
      Date.parse('2026-12-01T00:00:00Z').toString(16).padStart(12, '0'),
    );
  });

  it('counts up within one millisecond, so ids made one after another sort in that order', () => {
    const at = Date.parse('2026-12-03T00:00:00Z');
    const ids = Array.from({ length: 2_000 }, () => uuidv7(at));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(UUIDV7);
    expect(uuidv7(at + 1) > (ids.at(-1) as string)).toBe(true);
  });

  it('is the same for the same time and random bytes, and different otherwise', () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i * 25);
    expect(uuidv7(1_700_000_000_000, bytes)).toBe(uuidv7(1_700_000_000_000, bytes));
    expect(uuidv7(1_700_000_000_000, bytes)).toMatch(UUIDV7);
    expect(uuidv7(1_700_000_000_000)).not.toBe(uuidv7(1_700_000_000_000));
    expect(() => uuidv7(0, new Uint8Array(9))).toThrow(RangeError);
    expect(deterministicUuidv7(1_700_000_000_000, 'span-1')).toBe(deterministicUuidv7(1_700_000_000_000, 'span-1'));
    expect(deterministicUuidv7(1_700_000_000_000, 'span-1')).not.toBe(deterministicUuidv7(1_700_000_000_000, 'span-2'));
  });
});
