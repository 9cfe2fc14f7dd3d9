// The 1M-execution data set that `pnpm bench:list` and `pnpm bench:analytics` share: where it lives,
// finding one a previous run kept (BENCH_REUSE=1), and generating it with the SQL of list-data.ts.
import {
  type Month,
  monthOf,
  monthStart,
  nextMonth,
  PARTITIONED_TABLES,
  partitionName,
} from '../apps/server/src/features/partitions/service';
import {
  type BenchDatabase,
  benchDatabase,
  databaseExists,
  envNumber,
  fmt,
  psql,
  psqlAsync,
  recreateDatabase,
  type Server,
  serverPidOf,
  startServer,
  stopOnSignal,
  stopServer,
  waitForHealth,
} from './harness';
import {
  DAYS,
  executionsInsertSql,
  FILLED_COLUMNS,
  type GenerationPlan,
  HEAVY_PROMPT,
  PROMPT_VERSIONS_INSERT_SQL,
  payloadsInsertSql,
  promptsInsertSql,
} from './list-data';
import { type CapturedPlan, disableAutoExplain, enableAutoExplain, postgresLogFile, requestPlans } from './plans';

export const LIST_DATABASE_ENV = 'BENCH_LIST_DATABASE_URL';

export function listDatabase(): BenchDatabase {
  return benchDatabase(LIST_DATABASE_ENV, 'postgres://postgres@127.0.0.1:5432/promptlog_bench_list');
}

/**
 * Prompt keys that start with this are added by a benchmark (the analytics rollup-lag burst) and removed
 * when it ends; they do not count as part of the generated data set.
 */
export const TRANSIENT_PROMPT_PREFIX = 'bench-transient-';

export interface DataSet {
  projectId: string;
  apiKey: string;
  rows: number;
  endMs: number;
  generatedSeconds: number | null;
}

const META_TABLE = 'bench_list_meta';

/** A data set a previous run left behind with the same row count, if there is one. */
export function reusableDataSet(db: BenchDatabase, rows: number): DataSet | null {
  if (!databaseExists(db)) return null;
  if (psql(db.url, `select to_regclass('${META_TABLE}') is not null`) !== 't') return null;
  const line = psql(db.url, `select project_id, api_key, rows, end_ms, generated_seconds from ${META_TABLE} limit 1`);
  const [projectId, apiKey, storedRows, endMs, seconds] = line.split('|');
  if (!projectId || !apiKey || Number(storedRows) !== rows) return null;
  const stored = Number(
    psql(db.url, `select count(*) from executions where prompt_id not like '${TRANSIENT_PROMPT_PREFIX}%'`),
  );
  if (stored !== rows) return null;
  return { projectId, apiKey, rows: stored, endMs: Number(endMs), generatedSeconds: Number(seconds) || null };
}

/** Fails early when the schema has a NOT NULL column without a default that the generator does not fill. */
function checkSchema(db: BenchDatabase): void {
  const missing: string[] = [];
  for (const [tableName, filled] of Object.entries(FILLED_COLUMNS)) {
    const required = psql(
      db.url,
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = '${tableName}'
       and is_nullable = 'NO' and column_default is null`,
    )
      .split('\n')
      .filter(Boolean);
    for (const column of required) if (!filled.includes(column)) missing.push(`${tableName}.${column}`);
  }
  if (missing.length) {
    throw new Error(
      `The schema has NOT NULL columns the generator does not fill: ${missing.join(', ')} (bench/list-data.ts)`,
    );
  }
}

/**
 * Generates `rows` executions (and payloads) over the last DAYS days into a database the server has
 * already migrated and set up, then records it in the meta table for BENCH_REUSE=1.
 */
export async function generateDataSet(
  db: BenchDatabase,
  options: { projectId: string; apiKey: string; rows: number; chunkRows: number },
): Promise<DataSet> {
  const { projectId, apiKey, rows, chunkRows } = options;
  checkSchema(db);
  // The newest row a minute ago, so the data set reads as "the last 90 days".
  const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const plan: GenerationPlan = { projectId, rows, endMs };
  const started = performance.now();
  await psqlAsync(db.url, monthlyPartitionsSql(monthOf(new Date(endMs - DAYS * 86_400_000)), monthOf(new Date(endMs))));
  await psqlAsync(db.url, promptsInsertSql(plan));
  const chunks = Math.ceil(rows / chunkRows);
  console.log(
    `Generating ${fmt(rows)} executions over ${DAYS} days in ${chunks} chunk(s) of up to ${fmt(chunkRows)} rows…`,
  );
  for (let chunk = 0; chunk < chunks; chunk++) {
    const from = chunk * chunkRows;
    const to = Math.min(rows, from + chunkRows);
    const chunkStarted = performance.now();
    await psqlAsync(
      db.url,
      `set synchronous_commit = off;\n${executionsInsertSql(plan, from, to)}\n${payloadsInsertSql(plan, from, to)}`,
    );
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `  chunk ${chunk + 1}/${chunks}: rows ${fmt(from)}–${fmt(to - 1)} in ${fmt((performance.now() - chunkStarted) / 1000, 1)} s ` +
        `(${fmt(to / elapsed)} rows/s so far, ${fmt(elapsed, 0)} s elapsed)`,
    );
  }
  if (psql(db.url, "select to_regclass('prompt_versions') is not null") === 't') {
    await psqlAsync(db.url, PROMPT_VERSIONS_INSERT_SQL);
  }
  const insertSeconds = (performance.now() - started) / 1000;
  console.log(`Inserted in ${fmt(insertSeconds, 1)} s; VACUUM ANALYZE…`);
  await psqlAsync(db.url, 'vacuum (analyze);');
  const generatedSeconds = (performance.now() - started) / 1000;
  await psqlAsync(
    db.url,
    `create table ${META_TABLE} (project_id uuid, api_key text, rows bigint, end_ms bigint, generated_seconds float8,
       generated_at timestamptz default now());
     insert into ${META_TABLE} (project_id, api_key, rows, end_ms, generated_seconds)
     values ('${projectId}', '${apiKey}', ${rows}, ${endMs}, ${generatedSeconds});`,
  );
  console.log(
    `Generation took ${fmt(generatedSeconds, 1)} s (${fmt(insertSeconds, 1)} s inserting, ${fmt(generatedSeconds - insertSeconds, 1)} s VACUUM ANALYZE).`,
  );
  return { projectId, apiKey, rows, endMs, generatedSeconds };
}

/**
 * The months the data set fills, as the server lays them out: the server creates this month and those ahead at its
 * start; the 90 days before get months of their own here, so the data set does not all land in the default partition.
 */
function monthlyPartitionsSql(first: Month, last: Month): string {
  const statements: string[] = [];
  for (let month = first; month.year * 12 + month.month <= last.year * 12 + last.month; month = nextMonth(month)) {
    for (const { table, key } of PARTITIONED_TABLES) {
      statements.push(
        `create table if not exists ${partitionName(table, month)} partition of ${table} (primary key (${key}))
         for values from ('${monthStart(month)}') to ('${monthStart(nextMonth(month))}');`,
      );
    }
  }
  return statements.join('\n');
}

/** Sums a size function over a partitioned table's partitions (the parent itself stores nothing). */
const partitionsSize = (table: string, size: 'pg_table_size' | 'pg_indexes_size' | 'pg_total_relation_size') =>
  `(select coalesce(sum(${size}(relid)), 0) from pg_partition_tree('${table}'))`;

export function describeDataSet(db: BenchDatabase): string {
  const sizes = psql(
    db.url,
    `select 'executions ' || pg_size_pretty(${partitionsSize('executions', 'pg_total_relation_size')})
       || ', execution_payloads ' || pg_size_pretty(${partitionsSize('execution_payloads', 'pg_total_relation_size')})
       || ' in ' || (select count(*) from pg_inherits where inhparent = 'executions'::regclass) || ' partitions'`,
  );
  const heavy = psql(
    db.url,
    `select count(*), round(100.0 * count(*) / (select count(*) from executions), 1) from executions where prompt_id = '${HEAVY_PROMPT}'`,
  ).split('|');
  const statuses = psql(
    db.url,
    `select string_agg(status || ' ' || round(100.0 * n / total, 1) || '%', ', ' order by n desc)
     from (select status, count(*) n, sum(count(*)) over () total from executions group by status) s`,
  );
  return `${sizes}; prompt ${HEAVY_PROMPT}: ${fmt(Number(heavy[0]))} rows (${heavy[1]}%); statuses: ${statuses}`;
}

/** Bytes of each part of the storage, and the total per million executions (the target is at most 4 GB). */
export function describeStorage(db: BenchDatabase, rows: number): string {
  const [executionsTable = 0, executionsIndexes = 0, payloadsTable = 0, payloadsIndexes = 0, rollups = 0] = psql(
    db.url,
    `select ${partitionsSize('executions', 'pg_table_size')}, ${partitionsSize('executions', 'pg_indexes_size')},
       ${partitionsSize('execution_payloads', 'pg_table_size')}, ${partitionsSize('execution_payloads', 'pg_indexes_size')},
       (select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
        where c.relkind = 'r' and c.relname like '%rollup%')`,
  )
    .split('|')
    .map(Number);
  const total = executionsTable + executionsIndexes + payloadsTable + payloadsIndexes + rollups;
  const gb = (bytes: number) => `${fmt(bytes / 1024 ** 3, 2)} GB`;
  return (
    `executions ${gb(executionsTable)} + indexes ${gb(executionsIndexes)}, payloads ${gb(payloadsTable)} + indexes ` +
    `${gb(payloadsIndexes)}, rollups ${gb(rollups)}; total ${gb(total)}, ${gb((total * 1_000_000) / rows)} per million ` +
    'executions (target ≤ 4 GB)'
  );
}

/** The server of a run on the data set, and its pid; restart() replaces both. */
export interface ListRun {
  db: BenchDatabase;
  server: Server;
  serverPid: number;
  dataSet: DataSet;
  /** The same server stopped and started again on the same database and key, once it answers. */
  restart(): Promise<void>;
}

/** The settings of a run on the data set that both read benchmarks take from the environment. */
export interface ListDataSetSettings {
  /** BENCH_REUSE=1: a data set a previous run kept with the same row count, if there is one. */
  reuse: boolean;
  rows: number;
  chunkRows: number;
  dropAfter: boolean;
  logLevel: string | undefined;
}

const DEFAULT_CHUNK_ROWS = 100_000;

/** The size of the data set, from BENCH_ROWS and BENCH_CHUNK_ROWS (executions per insert statement). */
export function dataSetSizeFromEnv(): Pick<ListDataSetSettings, 'rows' | 'chunkRows'> {
  return {
    rows: Math.round(envNumber('BENCH_ROWS', 1_000_000)),
    chunkRows: Math.round(envNumber('BENCH_CHUNK_ROWS', DEFAULT_CHUNK_ROWS)),
  };
}

/** A setting read with envNumber: its variable, its value and its default. */
export type NumberSetting = readonly [name: string, value: number, fallback: number];

/**
 * The command line that reproduces a run on the data set: its database and size, each of `numbers` that is not
 * at its default, then `flags` and the data set's own flags.
 */
export function listBenchCommand(
  script: string,
  settings: ListDataSetSettings,
  numbers: NumberSetting[],
  flags: string[] = [],
): string {
  const set = [`BENCH_ROWS=${settings.rows}`];
  if (process.env[LIST_DATABASE_ENV]) set.unshift(`${LIST_DATABASE_ENV}=${listDatabase().url.toString()}`);
  const optional: NumberSetting[] = [['BENCH_CHUNK_ROWS', settings.chunkRows, DEFAULT_CHUNK_ROWS], ...numbers];
  for (const [name, value, fallback] of optional) if (value !== fallback) set.push(`${name}=${value}`);
  set.push(...flags);
  if (settings.reuse) set.push('BENCH_REUSE=1');
  if (settings.dropAfter) set.push('BENCH_DROP_DATABASE=1');
  if (settings.logLevel) set.push(`BENCH_LOG_LEVEL=${settings.logLevel}`);
  return `${set.join(' ')} pnpm ${script}`;
}

export interface ListRunOptions {
  db: BenchDatabase;
  settings: ListDataSetSettings;
  logName: string;
  /** Run before `body` on a reused data set. */
  onReuse?: () => Promise<void>;
}

/**
 * The read benchmarks' flow: the data set reused or generated (on a new database, through a server started on it),
 * the server healthy, `body`, then the server stopped and the database dropped (BENCH_DROP_DATABASE=1) or kept.
 */
export async function withListDataSet(
  options: ListRunOptions,
  body: (run: ListRun) => Promise<number>,
): Promise<number> {
  const { db, settings } = options;
  const reused = settings.reuse ? reusableDataSet(db, settings.rows) : null;
  if (reused) {
    disableAutoExplain(db);
    console.log(`Reusing ${db.name}: ${fmt(reused.rows)} executions (BENCH_REUSE=1).`);
  } else {
    console.log(`Recreating database ${db.name}…`);
    recreateDatabase(db);
  }
  const start = (apiKey: string | undefined, appendLog: boolean) =>
    startServer({ db, logName: options.logName, logLevel: settings.logLevel, apiKey, appendLog });
  let server = await start(reused?.apiKey, false);
  stopOnSignal(() => server);

  try {
    await waitForHealth(server, 180_000);
    let serverPid = serverPidOf(server);
    console.log(`Server ${server.baseUrl}, pid ${serverPid}; log: ${server.logFile}`);
    let dataSet = reused;
    if (!dataSet) {
      const projectId = psql(db.url, 'select project_id from api_keys order by created_at limit 1');
      if (!projectId) throw new Error('the headless setup created no API key; see the server log');
      dataSet = await generateDataSet(db, {
        projectId,
        apiKey: server.apiKey,
        rows: settings.rows,
        chunkRows: settings.chunkRows,
      });
    } else {
      await options.onReuse?.();
    }
    const run: ListRun = {
      db,
      get server() {
        return server;
      },
      get serverPid() {
        return serverPid;
      },
      dataSet,
      async restart() {
        await stopServer(server);
        server = await start(server.apiKey, true);
        await waitForHealth(server, 60_000);
        serverPid = serverPidOf(server);
      },
    };
    return await body(run);
  } finally {
    await stopServer(server);
    if (settings.dropAfter) {
      psql(db.adminUrl, `DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE);`);
    } else {
      console.log(
        `Kept database ${db.name} for BENCH_REUSE=1 (drop it with BENCH_DROP_DATABASE=1 or DROP DATABASE ${db.name}).`,
      );
    }
  }
}

/**
 * The statements a request of each path runs on the server, as auto_explain logs them (loaded for new sessions on
 * this database only, so the server restarts), given to `onPlans` path by path; says why when there are none.
 */
export async function captureServerPlans(
  run: ListRun,
  paths: readonly string[],
  onPlans: (index: number, plans: CapturedPlan[]) => void,
): Promise<void> {
  const logFile = postgresLogFile(run.db);
  if (!logFile) {
    console.log('PostgreSQL log not readable (set BENCH_PG_LOG): no plans of the server statements');
    return;
  }
  if (paths.length === 0) return;
  console.log(`Capturing the server's plans with auto_explain (from ${logFile})…`);
  try {
    enableAutoExplain(run.db);
    await run.restart();
    for (const [index, path] of paths.entries()) onPlans(index, await requestPlans(logFile, run.db, run.server, path));
  } catch (error) {
    console.log(`auto_explain capture failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    disableAutoExplain(run.db);
  }
}
