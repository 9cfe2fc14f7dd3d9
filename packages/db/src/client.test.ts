import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './client';

const serverUrl = process.env.TEST_DATABASE_URL;

/** Resolves what `work` is given to finish with; until then the work holds whatever it holds. */
function heldOpen<T>() {
  let finish: (value: T) => void = () => undefined;
  const done = new Promise<T>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}

// PostgreSQL only: the embedded database lives in the process, so it has no connection to lose or share.
describe.runIf(serverUrl)('on PostgreSQL', () => {
  // A database of its own, so cutting its connections disturbs no other test file.
  const name = `promptlog_db_${randomBytes(6).toString('hex')}`;
  let admin: pg.Client | undefined;
  let handle: DatabaseHandle | undefined;
  const database = () => {
    if (!handle) throw new Error('the database did not open');
    return handle;
  };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl as string);
    url.pathname = `/${name}`;
    handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
  });
  afterAll(async () => {
    await handle?.close();
    await admin?.query(`drop database if exists ${name} with (force)`);
    await admin?.end();
  });

  it('listens again after its connection is cut, tells its subscribers to catch up, and delivers again', async () => {
    const received: string[] = [];
    let reconnects = 0;
    await database().listen(
      'db_test',
      (payload) => received.push(payload),
      () => {
        reconnects++;
      },
    );
    await database().query(`select pg_notify('db_test', 'before')`);
    await expect.poll(() => received).toEqual(['before']);

    const cut = await admin?.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen %'`,
      [name],
    );
    expect(cut?.rowCount).toBe(1);
    await expect.poll(() => reconnects, { timeout: 10_000 }).toBe(1);
    await database().query(`select pg_notify('db_test', 'after')`);
    await expect.poll(() => received).toEqual(['before', 'after']);
  });

  it('lets one holder at a time run under a session lock, and frees it after the work, even a failed one', async () => {
    const first = heldOpen<string>();
    const holding = database().withAdvisoryLock(4242, () => first.done);
    await expect
      .poll(
        async () =>
          (await admin?.query(`select 1 from pg_locks where locktype = 'advisory' and objid = 4242`))?.rowCount,
      )
      .toBe(1);

    expect(await database().withAdvisoryLock(4242, async () => 'second')).toBeNull();
    first.finish('first');
    expect(await holding).toBe('first');

    await expect(
      database().withAdvisoryLock(4242, async () => {
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await database().withAdvisoryLock(4242, async () => 'after a failure')).toBe('after a failure');
  });
});

describe('on the embedded database', () => {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await openDatabase({ kind: 'embedded' });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('delivers notifications to listeners and runs work under the lock, one process owning the database', async () => {
    if (!handle) throw new Error('the database did not open');
    const received: string[] = [];
    await handle.listen('db_test', (payload) => received.push(payload));
    await handle.query(`select pg_notify('db_test', 'hello')`);
    await expect.poll(() => received).toEqual(['hello']);
    expect(await handle.withAdvisoryLock(4242, async () => 'ran')).toBe('ran');
  });
});
