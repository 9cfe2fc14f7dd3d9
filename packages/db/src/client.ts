import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'embedded' | 'postgres';

/**
 * Where a service's queries run: the whole database (each query on any pooled connection) or one transaction (every
 * query on its connection). Drizzle's builder (`db`) and raw SQL (`query`) are two styles over the same connection, so
 * inside `transaction` they commit or roll back together, and a service can take a runner without caring which.
 */
export interface QueryRunner {
  db: Database;
  /**
   * Runs a statement and returns its rows: Drizzle's `sql` template (values bound, parts joined with `sql.join`; an
   * array is bound as one value only through `sql.param`, bare it becomes a list) or SQL text with positional parameters. Given a row schema (anything with `parse`, such as a zod schema) it
   * returns the rows it parsed, so a column that changed type fails loudly rather than travelling on mistyped.
   */
  query<Row>(statement: SQL, row?: RowParser<Row>): Promise<Row[]>;
  query<Row>(text: string, params?: unknown[], row?: RowParser<Row>): Promise<Row[]>;
  /** Runs `work` in a transaction (a savepoint when this runner is already one) and commits when it resolves. */
  transaction<T>(work: (tx: QueryRunner) => Promise<T>): Promise<T>;
}

export interface RowParser<Row> {
  parse(row: unknown): Row;
}

export interface DatabaseHandle extends QueryRunner {
  kind: DatabaseKind;
  /**
   * Calls `onNotify` with each NOTIFY payload sent on `channel` by any process; returns a function
   * that stops listening. `onReconnect` is called when listening resumes after the connection was lost:
   * notifications sent meanwhile never arrive.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /**
   * Runs `work` holding a session-level advisory lock on a connection of its own, so that no other process
   * runs it at the same time and no transaction stays open meanwhile; returns null without running it
   * when another session holds the lock. The embedded database is one process's, so there it just runs.
   */
  withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<T | null>;
  /**
   * Whether the database answers `select 1` within `timeoutMs`, on a connection of its own, so that a probe
   * is never queued behind requests waiting for the pool. Never throws.
   */
  ping(timeoutMs: number): Promise<boolean>;
  /** Queries waiting for a pooled connection: how far demand is past what the database is given (0 embedded). */
  waitingForConnection(): number;
  /** Applies the committed drizzle-kit migrations that have not run yet. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../drizzle', import.meta.url));

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** How long a query waits for a pooled connection before failing (and the request being answered 503). */
      connectTimeoutMs?: number;
    }
  /**
   * `dataDir` undefined keeps the embedded database in memory (tests); `snapshot` starts it from a dump of another
   * (`migratedEmbeddedSnapshot`), which skips the embedded initdb of several seconds.
   */
  | { kind: 'embedded'; dataDir?: string; snapshot?: Blob };

// Postgres returns numeric and bigint as strings by default; keep numeric (money) a string,
// but counts from count(*)/sum(int) fit comfortably in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const LISTEN_RETRY_MS = 1_000;
const PROBE_FRESH_MS = 1_000;

const statementNames = new Map<string, string>();
const MAX_PREPARED_STATEMENTS = 100;

/**
 * Raw queries are fixed texts, so each is prepared once per connection and then only executed:
 * Postgres skips parsing and planning the large ingestion statement on every request.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `promptlog_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      keepAlive: true,
      // Our statements are short and read indexes; JIT compiling one costs more than it saves (the breakdown by prompt
      // at 10M executions: p95 150 ms with JIT, 75 ms without). An `options` parameter in the URL still wins.
      options: '-c jit=off',
    });
    // An idle connection cut by a database restart is dropped from the pool; without a listener the
    // 'error' event would end the process.
    pool.on('error', () => undefined);
    // The pool listens only while a connection is idle. One checked out (a transaction, a session lock) that is cut
    // emits 'error' too, which would end the process; its next query fails instead, and release drops it.
    pool.on('connect', (client) => client.on('error', () => undefined));
    // Fail fast on a wrong URL instead of at the first request.
    await pool.query('select 1');
    const db = drizzlePg(pool, { schema });
    const listener = createPgListener(options.url);
    const probe = createPgProbe(options.url);
    const root = runnerOn(db as unknown as Database, pool);
    return {
      ...root,
      kind: 'postgres',
      migrate: () => migratePg(db, { migrationsFolder: MIGRATIONS_DIR }),
      listen: listener.listen,
      withAdvisoryLock: (key, work) => withSessionLock(pool, key, work),
      ping: probe.ping,
      waitingForConnection: () => pool.waitingCount,
      close: async () => {
        await listener.close();
        await probe.close();
        await pool.end();
      },
    };
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const start = options.snapshot ? { loadDataDir: options.snapshot } : {};
  const client = options.dataDir ? await PGlite.create(options.dataDir, start) : await PGlite.create(start);
  const db = drizzlePglite(client, { schema });
  const root = runnerOn(db as unknown as Database, client);
  return {
    ...root,
    kind: 'embedded',
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
    listen: async (channel, onNotify) => {
      const stop = await client.listen(channel, onNotify);
      return () => stop();
    },
    withAdvisoryLock: (_key, work) => work(),
    // In-process: while this process answers, so does its database; a probe would only queue behind requests.
    ping: async () => !client.closed,
    waitingForConnection: () => 0,
    close: () => client.close(),
  };
}

/** What raw SQL runs on: a pg pool or pool client, PGlite itself or one of its transactions. */
type SqlConnection =
  | pg.Pool
  | pg.ClientBase
  | { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> };

const dialect = new PgDialect();

function runnerOn(db: Database, connection: SqlConnection): QueryRunner {
  async function query<Row>(
    statement: SQL | string,
    paramsOrRow?: unknown[] | RowParser<Row>,
    parser?: RowParser<Row>,
  ): Promise<Row[]> {
    const { text, params, row } =
      typeof statement === 'string'
        ? { text: statement, params: paramsOrRow as unknown[] | undefined, row: parser }
        : { ...toText(statement), row: paramsOrRow as RowParser<Row> | undefined };
    const { rows } =
      connection instanceof pg.Pool || connection instanceof pg.Client
        ? await connection.query({ name: statementName(text), text, values: params })
        : await connection.query(text, params);
    return row ? rows.map((value) => row.parse(value)) : (rows as Row[]);
  }
  return {
    db,
    query,
    transaction: (work) => db.transaction((tx) => work(runnerOn(tx as unknown as Database, connectionOf(tx)))),
  };
}

function toText(statement: SQL): { text: string; params: unknown[] } {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return { text, params };
}

/**
 * The connection a Drizzle transaction runs on (a pg pool client, or PGlite's transaction), so raw SQL joins it. Drizzle
 * keeps it on the transaction's session and has no public accessor; client.test.ts proves it on both backends.
 */
function connectionOf(tx: unknown): SqlConnection {
  const connection = (tx as { session?: { client?: SqlConnection } }).session?.client;
  if (!connection || typeof connection.query !== 'function') {
    throw new Error('this Drizzle version keeps no connection on its transaction: raw SQL cannot join it');
  }
  return connection;
}

/** An in-memory embedded database with every migration applied, dumped for `openDatabase({ snapshot })`. */
export async function migratedEmbeddedSnapshot(): Promise<Blob> {
  const client = await PGlite.create();
  try {
    await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

async function withSessionLock<T>(pool: pg.Pool, key: number, work: () => Promise<T>): Promise<T | null> {
  const client = await pool.connect();
  // A connection whose lock queries failed is closed rather than pooled, which drops the lock too.
  let broken: Error | undefined;
  const markBroken = (error: Error) => {
    broken = error;
    throw error;
  };
  try {
    const locked = await client
      .query<{ held: boolean }>('select pg_try_advisory_lock($1) as held', [key])
      .catch(markBroken);
    if (!locked.rows[0]?.held) return null;
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    client.release(broken);
  }
}

/**
 * A single connection kept for `ping`, opened on first use and again after it fails. A success counts for a second:
 * probes in between are answered from it, so a busy server answers them without waiting on a busy database.
 */
function createPgProbe(url: string) {
  let client: pg.Client | null = null;
  let pending: Promise<boolean> | null = null;
  let answeredAt = Number.NEGATIVE_INFINITY;

  async function selectOne(timeoutMs: number): Promise<boolean> {
    if (!client) {
      const next = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
      });
      next.on('error', () => undefined);
      try {
        await next.connect();
      } catch {
        await next.end().catch(() => undefined);
        return false;
      }
      client = next;
    }
    const current = client;
    try {
      await current.query('select 1');
      answeredAt = performance.now();
      return true;
    } catch {
      client = null;
      await current.end().catch(() => undefined);
      return false;
    }
  }

  return {
    // Probes that arrive while one runs share its answer rather than queueing on the one connection.
    ping(timeoutMs: number): Promise<boolean> {
      if (performance.now() - answeredAt < PROBE_FRESH_MS) return Promise.resolve(true);
      pending ??= selectOne(timeoutMs).finally(() => {
        pending = null;
      });
      return pending;
    },
    async close() {
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

/**
 * One dedicated connection per process for LISTEN (a pooled connection would lose it on release). After the
 * connection fails it retries every second until the database is back, so live updates resume without a restart.
 */
function createPgListener(url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const reconnectHandlers = new Set<() => void>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let retry: NodeJS.Timeout | undefined;
  let connectedBefore = false;
  let closed = false;

  function scheduleReconnect() {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      ensureConnected().catch(() => scheduleReconnect());
    }, LISTEN_RETRY_MS);
    retry.unref();
  }

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    next.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    const lost = () => {
      if (client === next) client = null;
      next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', lost);
    next.on('end', lost);
    try {
      await next.connect();
      for (const channel of handlers.keys()) await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      next.removeListener('end', lost);
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
    if (connectedBefore) for (const handler of reconnectHandlers) handler();
    connectedBefore = true;
    return next;
  }

  function ensureConnected(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  return {
    async listen(channel: string, onNotify: (payload: string) => void, onReconnect?: () => void) {
      const isNew = !handlers.has(channel);
      const set = handlers.get(channel) ?? new Set();
      set.add(onNotify);
      handlers.set(channel, set);
      if (onReconnect) reconnectHandlers.add(onReconnect);
      const connected = await ensureConnected();
      if (isNew) await connected.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        set.delete(onNotify);
        if (onReconnect) reconnectHandlers.delete(onReconnect);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end();
    },
  };
}
