import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('list cursors', () => {
  it('decode to the position they were made from', () => {
    const position = { startedAt: '2026-11-20T10:00:00.123456Z', id: '01a236d0-60aa-761f-a827-dff24da57a4a' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['an id of dashes', '2026-11-20T10:00:00.123456Z|------------------------------------'],
    ['an id that is no uuid', '2026-11-20T10:00:00.123456Z|01a236d0-60aa-761f-a827-dff24da57a4z'],
    ['a day that does not exist', '2026-02-30T10:00:00.123456Z|01a236d0-60aa-761f-a827-dff24da57a4a'],
    ['a time that does not exist', '2026-11-20T99:99:99.123456Z|01a236d0-60aa-761f-a827-dff24da57a4a'],
    ['the year 0', '0000-01-01T00:00:00.000000Z|01a236d0-60aa-761f-a827-dff24da57a4a'],
  ])('refuse a tampered one with %s before the database sees it', (_, text) => {
    expect(() => decodeCursor(b64(text))).toThrow(
      expect.objectContaining({
        issues: [{ path: 'cursor', message: 'is not a cursor this API returned; start again without it' }],
      }),
    );
  });
});
