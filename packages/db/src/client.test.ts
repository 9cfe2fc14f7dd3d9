import { randomBytes } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './client';

const notes = pgTable('tx_notes', { id: integer('id').primaryKey(), via: text('via').notNull() });

/** A raw statement and a Drizzle one, inside one transaction, are one unit of work: on both backends. */
function describeTransactions(database: () => DatabaseHandle) {
  const stored = async () =>
    (await database().db.select().from(notes).orderBy(asc(notes.id))).map((note) => `${note.id}:${note.via}`);

  beforeAll(async () => {
    await database().query('create table tx_notes (id integer primary key, via text not null)');
  });

  it('commits a raw statement and a Drizzle statement together, each seeing the other before the commit', async () => {
    const seenInside = await database().transaction(async (tx) => {
      await tx.query('insert into tx_notes (id, via) values ($1, $2)', [1, 'raw']);
      await tx.db.insert(notes).values({ id: 2, via: 'drizzle' });
      return tx.query<{ id: number }>('select id from tx_notes order by id');
    });
    expect(seenInside.map((row) => row.id)).toEqual([1, 2]);
    expect(await stored()).toEqual(['1:raw', '2:drizzle']);
  });

  it('rolls both back when the work fails, and a nested transaction back to its savepoint', async () => {
    await expect(
      database().transaction(async (tx) => {
        await tx.db.insert(notes).values({ id: 3, via: 'drizzle' });
        await tx.query('insert into tx_notes (id, via) values ($1, $2)', [4, 'raw']);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await stored()).toEqual(['1:raw', '2:drizzle']);

    await database().transaction(async (tx) => {
      await tx.query('insert into tx_notes (id, via) values ($1, $2)', [5, 'outer']);
      await expect(
        tx.transaction(async (inner) => {
          await inner.db.insert(notes).values({ id: 6, via: 'inner' });
          await inner.query('insert into tx_notes (id, via) values ($1, $2)', [5, 'duplicate key']);
        }),
      ).rejects.toThrow();
      await tx.db.insert(notes).values({ id: 7, via: 'after the savepoint' });
    });
    expect((await stored()).slice(0, 4)).toEqual(['1:raw', '2:drizzle', '5:outer', '7:after the savepoint']);
  });

  it('binds the values of a sql template, so quotes in them are data', async () => {
    const ids = [20, 21];
    await database().transaction(async (tx) => {
      await tx.query(
        sql`insert into tx_notes (id, via) values (${ids[0]}, ${"it's bound'); drop table tx_notes; --"})`,
      );
      await tx.query(
        sql`insert into tx_notes (id, via) values ${sql.join(
          ids.slice(1).map((id) => sql`(${id}, ${'joined'})`),
          sql`, `,
        )}`,
      );
    });
    const rows = await database().query<{ via: string }>(
      sql`select via from tx_notes where id = any(${sql.param(ids)}::int[]) order by id`,
    );
    expect(rows.map((row) => row.via)).toEqual(["it's bound'); drop table tx_notes; --", 'joined']);
  });

  it('parses raw rows with the schema it is given, so a column of the wrong type fails loudly', async () => {
    const idAsNumber = {
      parse(row: unknown) {
        const id = (row as { id?: unknown }).id;
        if (typeof id !== 'number') throw new Error(`id is ${typeof id}, not a number`);
        return { id };
      },
    };
    expect(await database().query('select 1 as id', [], idAsNumber)).toEqual([{ id: 1 }]);
    await expect(database().query(`select 'one' as id`, [], idAsNumber)).rejects.toThrow('id is string, not a number');
  });
}

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
  describeTransactions(database);

  it("keeps a transaction's raw and Drizzle writes from other connections until it commits", async () => {
    const commit = heldOpen<void>();
    const written = heldOpen<void>();
    const writing = database().transaction(async (tx) => {
      await tx.query('insert into tx_notes (id, via) values ($1, $2)', [10, 'raw']);
      await tx.db.insert(notes).values({ id: 11, via: 'drizzle' });
      written.finish();
      await commit.done;
    });
    // Another pooled connection: the pool has two, the transaction holds one.
    const visible = async () =>
      (await database().query<{ id: number }>('select id from tx_notes where id in (10, 11) order by id')).map(
        (r) => r.id,
      );
    try {
      await written.done;
      expect(await visible()).toEqual([]);
    } finally {
      commit.finish();
      await writing;
    }
    expect(await visible()).toEqual([10, 11]);
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

  it('survives a connection cut while it is checked out: the transaction fails, the lock is let go, the pool goes on', async () => {
    const cutNow = heldOpen<void>();
    const inTransaction = heldOpen<void>();
    const transaction = database().transaction(async (tx) => {
      await tx.query('select 1');
      inTransaction.finish();
      await cutNow.done;
      await tx.query('select 1');
    });
    const lockHeld = heldOpen<void>();
    const locked = database().withAdvisoryLock(4343, async () => {
      lockHeld.finish();
      await cutNow.done;
      return 'worked';
    });
    await Promise.all([inTransaction.done, lockHeld.done]);

    // Both pooled connections are checked out and idle: cut them as a database restart would.
    const cut = await admin?.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query not ilike 'listen %'
         and pid <> pg_backend_pid()`,
      [name],
    );
    expect(cut?.rowCount).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    cutNow.finish();

    await expect(transaction).rejects.toThrow();
    await locked.catch(() => undefined);
    expect((await database().query<{ one: number }>('select 1 as one'))[0]?.one).toBe(1);
    expect(await database().withAdvisoryLock(4343, async () => 'again')).toBe('again');
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
  describeTransactions(() => {
    if (!handle) throw new Error('the database did not open');
    return handle;
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
