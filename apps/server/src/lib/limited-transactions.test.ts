import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/harness';
import { limitTransactions } from './limited-transactions';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe('limitTransactions', () => {
  it('runs at most `limit` transactions at once, and every one of them in turn', async () => {
    const limited = limitTransactions(handle, 2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        limited.transaction(async (tx) => {
          running += 1;
          most = Math.max(most, running);
          const [row] = await tx.query<{ n: number }>('select $1::int as n', [index]);
          await sleep(20);
          running -= 1;
          return row?.n;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBeLessThanOrEqual(2);
    // The test pool has four connections, so PostgreSQL would run four without the limit; the embedded database
    // runs one transaction at a time whatever it is.
    if (handle.kind === 'postgres') expect(most).toBe(2);
  });

  it('gives the turn of a transaction that failed to the next one', async () => {
    const limited = limitTransactions(handle, 1);
    const failed = limited.transaction(async (tx) => {
      await tx.query('select 1');
      throw new Error('refused');
    });
    const next = limited.transaction(async (tx) => (await tx.query<{ ok: boolean }>('select true as ok'))[0]?.ok);
    await expect(failed).rejects.toThrow('refused');
    expect(await next).toBe(true);
  });
});
