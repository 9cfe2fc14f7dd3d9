import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const ID = '01a236d0-60aa-761f-a827-dff24da57a4a';

describe('list cursors', () => {
  it.each([
    { sort: 'time_desc', value: '2026-11-20T10:00:00.123456Z', id: ID },
    { sort: 'time_asc', value: '2026-11-20T10:00:00.123456Z', id: ID },
    { sort: 'latency_desc', value: '1250', id: ID },
    { sort: 'latency_asc', value: null, id: ID },
    { sort: 'cost_desc', value: '0.000125', id: ID },
    { sort: 'tokens_asc', value: '4294967294', id: ID },
  ] as const)('decode to the position they were made from ($sort, $value)', (position) => {
    expect(decodeCursor(encodeCursor(position), position.sort)).toEqual(position);
  });

  it('read a cursor of the first API as a position in the default order', () => {
    expect(decodeCursor(b64(`2026-11-20T10:00:00.123456Z|${ID}`), 'time_desc')).toEqual({
      sort: 'time_desc',
      value: '2026-11-20T10:00:00.123456Z',
      id: ID,
    });
  });

  it('refuse a cursor of another sort, naming both', () => {
    const cursor = encodeCursor({ sort: 'latency_desc', value: '12', id: ID });
    expect(() => decodeCursor(cursor, 'latency_asc')).toThrow(
      expect.objectContaining({
        issues: [
          { path: 'cursor', message: 'continues the sort latency_desc, not latency_asc; start again without it' },
        ],
      }),
    );
  });

  it.each([
    ['an id of dashes', '2026-11-20T10:00:00.123456Z|------------------------------------'],
    ['an id that is no uuid', '2026-11-20T10:00:00.123456Z|01a236d0-60aa-761f-a827-dff24da57a4z'],
    ['a day that does not exist', '2026-02-30T10:00:00.123456Z|01a236d0-60aa-761f-a827-dff24da57a4a'],
    ['a time that does not exist', '2026-11-20T99:99:99.123456Z|01a236d0-60aa-761f-a827-dff24da57a4a'],
    ['the year 0', '0000-01-01T00:00:00.000000Z|01a236d0-60aa-761f-a827-dff24da57a4a'],
    ['no time in a time sort', `time_desc||${ID}`],
    ['a latency that is no number', `latency_desc|1e3|${ID}`],
    ['a negative cost', `cost_asc|-1|${ID}`],
    ['an unknown sort', `mood_desc|1|${ID}`],
    ['a part too many', `latency_desc|1|${ID}|x`],
  ])('refuse a tampered one with %s before the database sees it', (_, text) => {
    const sort = text.startsWith('cost') ? 'cost_asc' : text.startsWith('latency') ? 'latency_desc' : 'time_desc';
    expect(() => decodeCursor(b64(text), sort)).toThrow(
      expect.objectContaining({
        issues: [{ path: 'cursor', message: 'is not a cursor this API returned; start again without it' }],
      }),
    );
  });
});
