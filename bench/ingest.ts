// `pnpm bench:ingest`: starts the real server on a fresh local PostgreSQL database, loads it with
// single-record POSTs and 100-record batches (interleaved runs, medians reported), watches its RSS,
// and checks with SQL that every acknowledged record was stored exactly once.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import autocannon, { type RequestContext, type RequestParams, type Result } from 'autocannon';
import { DELTA_COLUMNS } from '../apps/server/src/features/analytics/rollup-sql';
import { uuidv7 } from '../apps/server/src/lib/ids';
import { type DatabaseHandle, openDatabase } from '../packages/db/src/client';
import {
  benchDatabase,
  cpuMs,
  dropDatabase,
  envNumber,
  fmt,
  median,
  memoryKb,
  percentile,
  psql,
  recreateDatabase,
  runBenchmark,
  type Server,
  serverPidOf,
  startServer,
  stopOnSignal,
  stopServer,
  table,
  waitForHealth,
  watchDatabaseCpu,
  watchdog,
  writeResults,
} from './harness';
import { createRecordFactory } from './records';

const settings = {
  databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/promptlog_bench',
  duration: envNumber('BENCH_DURATION', 10),
  runs: Math.round(envNumber('BENCH_RUNS', 3)),
  warmup: envNumber('BENCH_WARMUP', 3),
  singleConnections: Math.round(envNumber('BENCH_SINGLE_CONNECTIONS', 10)),
  batchConnections: Math.round(envNumber('BENCH_BATCH_CONNECTIONS', 6)),
  batchSize: Math.round(envNumber('BENCH_BATCH_SIZE', 100)),
  recordBytes: Math.round(envNumber('BENCH_RECORD_BYTES', 2_500)),
  logLevel: process.env.BENCH_LOG_LEVEL,
  /** BENCH_KEEP_DATABASE=1 leaves the loaded database behind for inspection. */
  keepDatabase: process.env.BENCH_KEEP_DATABASE === '1',
  /** BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=bench/results/profiles" profiles the server. */
  serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  /** BENCH_SCENARIOS=batch runs only the batches (e.g. to profile them alone). */
  scenarios: (process.env.BENCH_SCENARIOS ?? 'single,batch')
    .split(',')
    .filter((s): s is Scenario => s === 'single' || s === 'batch'),
};

const TARGETS = {
  batchRecordsPerSecond: 10_000,
  singleRequestsPerSecond: 2_000,
  singleP99Ms: 15,
  rssMb: 300,
  /** Our records/s as a share of the baseline's (the same rows as plain multi-row INSERTs). */
  batchVsBaseline: 0.8,
  singleVsBaseline: 0.5,
};

// ---------------------------------------------------------------------------------------------
// Database and server: see harness.ts.

const db = benchDatabase('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/promptlog_bench');
const dbUrl = db.url;
const dbName = db.name;

// ---------------------------------------------------------------------------------------------
// Watching the server's memory.

function watchMemory(pid: number): { stop: () => { peakRssMb: number; hwmMb: number; idleRssMb: number } } {
  const first = memoryKb(pid);
  let peak = first.rss;
  let hwm = first.hwm;
  const timer = setInterval(() => {
    try {
      const now = memoryKb(pid);
      peak = Math.max(peak, now.rss);
      hwm = Math.max(hwm, now.hwm);
    } catch {
      // The process ended; the failure shows elsewhere.
    }
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return { peakRssMb: peak / 1024, hwmMb: hwm / 1024, idleRssMb: first.rss / 1024 };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Load.

type Scenario = 'single' | 'batch';

interface RunStats {
  /** Ours through the server, or the baseline's plain INSERTs. */
  kind: 'ours' | 'baseline';
  scenario: Scenario;
  label: string;
  seconds: number;
  requests2xx: number;
  records: number;
  recordsPerSecond: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Server CPU per 1,000 stored records: steadier than rates on a shared machine (NaN for the baseline). */
  serverCpuMsPer1k: number;
  /** The local PostgreSQL's CPU per 1,000 stored records, all its processes (NaN for a remote database). */
  databaseCpuMsPer1k: number;
  /** This process (autocannon) as a share of one core, to show what the client took. */
  clientCpuShare: number;
}

/** Ids sent and not (yet) acknowledged: in flight when a run stopped, rejected, or failed. */
const unacknowledged = new Set<string>();
const ledger = { created: 0, duplicates: 0, rejected: 0, failedRequests: 0, samples: [] as string[] };

function noteProblem(text: string): void {
  if (ledger.samples.length < 5) ledger.samples.push(text.slice(0, 400));
}

function idsOf(context: RequestContext): string[] {
  const ids = context.ids;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** Each item's status from a batch response, in request order; undefined if the body is not one. */
function batchStatuses(body: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || !('results' in parsed) || !Array.isArray(parsed.results)) {
      return undefined;
    }
    const items: unknown[] = parsed.results;
    return items.map((item) =>
      typeof item === 'object' && item !== null && 'status' in item ? String(item.status) : 'missing',
    );
  } catch {
    return undefined;
  }
}

async function run(
  server: Server,
  serverPid: number,
  scenario: Scenario,
  label: string,
  seconds: number,
): Promise<RunStats> {
  const factory = createRecordFactory(settings.recordBytes);
  let records = 0;
  let requests2xx = 0;

  const setupRequest = (request: RequestParams, context: RequestContext): RequestParams => {
    if (scenario === 'single') {
      const id = uuidv7();
      unacknowledged.add(id);
      context.ids = [id];
      return { ...request, body: factory.record(id) };
    }
    const { body, ids } = factory.batch(settings.batchSize);
    for (const id of ids) unacknowledged.add(id);
    context.ids = ids;
    return { ...request, body };
  };

  const onResponse = (status: number, body: string, context: RequestContext): void => {
    const ids = idsOf(context);
    if (status < 200 || status > 299) {
      ledger.failedRequests++;
      noteProblem(`${scenario} HTTP ${status}: ${String(body)}`);
      return;
    }
    requests2xx++;
    if (scenario === 'single') {
      for (const id of ids) unacknowledged.delete(id);
      records += ids.length;
      if (status === 201) ledger.created += ids.length;
      else ledger.duplicates += ids.length;
      return;
    }
    const statuses = batchStatuses(String(body));
    if (!statuses || statuses.length !== ids.length) {
      ledger.failedRequests++;
      noteProblem(`batch response with ${statuses?.length ?? 'no'} results for ${ids.length} records: ${String(body)}`);
      return;
    }
    for (const [index, status] of statuses.entries()) {
      const id = ids[index];
      if (!id) continue;
      if (status === 'created' || status === 'duplicate') {
        unacknowledged.delete(id);
        records++;
        if (status === 'created') ledger.created++;
        else ledger.duplicates++;
      } else {
        ledger.rejected++;
        noteProblem(`batch item ${index} ${status}: ${String(body).slice(0, 400)}`);
      }
    }
  };

  const started = performance.now();
  const serverCpuBefore = cpuMs(serverPid);
  const databaseCpuMeter = watchDatabaseCpu();
  const clientCpuBefore = process.cpuUsage();
  const result: Result = await autocannon({
    url: server.baseUrl,
    connections: scenario === 'single' ? settings.singleConnections : settings.batchConnections,
    duration: seconds,
    timeout: 30,
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: scenario === 'single' ? '/api/v1/executions' : '/api/v1/executions/batch',
        setupRequest,
        onResponse,
      },
    ],
  });
  const serverCpu = cpuMs(serverPid) - serverCpuBefore;
  const databaseCpu = databaseCpuMeter.stop();
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const wall = (performance.now() - started) / 1000;
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000 || wall;
  return {
    kind: 'ours',
    scenario,
    label,
    seconds: elapsed,
    requests2xx,
    records,
    recordsPerSecond: records / elapsed,
    requestsPerSecond: requests2xx / elapsed,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuMsPer1k: records ? (serverCpu / records) * 1000 : Number.NaN,
    databaseCpuMsPer1k: records ? (databaseCpu / records) * 1000 : Number.NaN,
    clientCpuShare: (clientCpu.user + clientCpu.system) / 1000 / 1000 / wall,
  };
}

// ---------------------------------------------------------------------------------------------
// Baseline: the same rows written straight to PostgreSQL, to compare the server against.

/** One stored record of ours, as the values the baseline writes again under another id. */
interface BaselineTemplate {
  /** Values of BaselineColumns.execution, as text (null where the column is null). */
  execution: (string | null)[];
  /** Values of BaselineColumns.payload, or null when the server stored no payload row. */
  payload: (string | null)[] | null;
  /** Rollup dimensions (the histogram buckets last) and, joined, the key rows are grouped by. */
  dimensions: (string | null)[];
  dimensionKey: string;
  /** calls … output_chars_sum of one row (MEASURE_COLUMNS' order), cost aside. */
  counts: number[];
  /** cost_usd as an integer scaled by 10^BaselineWriter.costScale, so sums stay exact. */
  cost: bigint;
}

const DELTA_DIMENSIONS = `date_trunc('hour', e.started_at, 'UTC')::text, e.prompt_id, coalesce(e.prompt_version, 0)::text,
  e.model, coalesce(e.provider, ''), e.source_type, e.status, coalesce(e.error_type, ''), coalesce(e.location_field, ''),
  promptlog_latency_bucket(e.latency_ms)::text, promptlog_output_chars_bucket(e.output_chars)::text`;
const DELTA_COUNTS = `1, (e.status = 'success')::int, (e.status = 'error')::int, coalesce(e.input_tokens, 0),
  coalesce(e.output_tokens, 0), coalesce(e.cache_read_tokens, 0), coalesce(e.cache_write_tokens, 0),
  coalesce(e.reasoning_tokens, 0)`;
const DELTA_AFTER_COST = `(e.cost_usd is not null)::int, e.has_thinking::int, (e.latency_ms is not null)::int,
  coalesce(e.latency_ms, 0), (e.signals & 4 <> 0)::int, (e.signals & 1 <> 0)::int, (e.json_valid is not null)::int,
  (e.json_valid is false)::int, (e.output_chars is not null)::int, coalesce(e.output_chars, 0)`;

interface BaselineColumns {
  execution: string[];
  payload: string[];
}

/** Every stored column but the keys and received_at (which defaults to now(), for ours as for the baseline). */
async function baselineColumns(handle: DatabaseHandle): Promise<BaselineColumns> {
  const columnsOf = async (table: string, skip: string[]) =>
    (
      await handle.query<{ name: string }>(
        `select column_name as name from information_schema.columns
         where table_schema = 'public' and table_name = $1 order by ordinal_position`,
        [table],
      )
    )
      .map((row) => row.name)
      .filter((name) => !skip.includes(name));
  return {
    execution: await columnsOf('executions', ['project_id', 'id', 'received_at']),
    payload: await columnsOf('execution_payloads', ['project_id', 'execution_id']),
  };
}

function scaledDecimal(text: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(scale, '0'));
}

function decimalText(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const digits = value.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * Writes what one ingest writes — hot rows, payload rows and the rollup deltas grouped as the server groups
 * them — with plain multi-row INSERTs: no HTTP, validation, pricing or redaction. The three INSERTs go in one
 * statement (data-modifying WITH), so each batch is one round trip and one commit, as ours is.
 */
class BaselineWriter {
  readonly projectId = randomUUID();
  private next = 0;
  private readonly statements = new Map<string, string>();

  private constructor(
    private readonly handle: DatabaseHandle,
    private readonly columns: BaselineColumns,
    private readonly templates: BaselineTemplate[],
    private readonly costScale: number,
  ) {}

  /** Templates are the rows the server stored for `ids` (read back as text), so both sides write the same data. */
  static async create(handle: DatabaseHandle, ourProjectId: string, ids: string[]): Promise<BaselineWriter> {
    const columns = await baselineColumns(handle);
    const rows = await handle.query<{
      execution: (string | null)[];
      payload: (string | null)[] | null;
      delta: (string | null)[];
      counts: number[];
      cost: string;
    }>(
      `select array[${columns.execution.map((c) => `e.${c}::text`).join(', ')}] as execution,
         case when p.execution_id is null then null
           else array[${columns.payload.map((c) => `p.${c}::text`).join(', ')}] end as payload,
         array[${DELTA_DIMENSIONS}] as delta, array[${DELTA_COUNTS}, ${DELTA_AFTER_COST}] as counts,
         coalesce(e.cost_usd, 0)::text as cost
       from executions e
       left join execution_payloads p on p.project_id = e.project_id and p.execution_id = e.id
       where e.project_id = $1 and e.id = any($2::uuid[])
       order by e.id`,
      [ourProjectId, ids],
    );
    if (rows.length !== ids.length) throw new Error(`baseline: ${rows.length} of ${ids.length} template rows stored`);
    const written = 1 + (rows[0]?.delta.length ?? 0) + (rows[0]?.counts.length ?? 0) + 1; // project, dims, counts, cost
    if (rows.length > 0 && written !== DELTA_COLUMNS.length)
      throw new Error(`baseline: ${written} delta values for ${DELTA_COLUMNS.length} columns; update DELTA_AFTER_COST`);
    const costScale = Math.max(0, ...rows.map((row) => row.cost.split('.')[1]?.length ?? 0));
    const templates = rows.map((row) => ({
      execution: row.execution,
      payload: row.payload,
      dimensions: row.delta,
      dimensionKey: JSON.stringify(row.delta),
      counts: row.counts,
      cost: scaledDecimal(row.cost, costScale),
    }));
    return new BaselineWriter(handle, columns, templates, costScale);
  }

  /** Inserts `count` new executions of the baseline's project in one statement; returns how many were stored. */
  async insert(count: number): Promise<number> {
    const values: unknown[] = [this.projectId];
    const executionRows: string[] = [];
    const payloadRows: string[] = [];
    const groups = new Map<string, { template: BaselineTemplate; counts: number[]; cost: bigint }>();
    const placeholder = () => `$${values.length}`;
    for (let i = 0; i < count; i++) {
      const template = this.templates[this.next] ?? this.templates[0];
      this.next = (this.next + 1) % this.templates.length;
      if (!template) throw new Error('baseline: no templates');
      const id = uuidv7();
      values.push(id);
      const idParam = placeholder();
      const cells = ['$1', idParam];
      for (const value of template.execution) {
        values.push(value);
        cells.push(placeholder());
      }
      executionRows.push(`(${cells.join(', ')})`);
      if (template.payload) {
        const payloadCells = ['$1', idParam];
        for (const value of template.payload) {
          values.push(value);
          payloadCells.push(placeholder());
        }
        payloadRows.push(`(${payloadCells.join(', ')})`);
      }
      const group = groups.get(template.dimensionKey);
      if (group) {
        group.counts = group.counts.map((n, c) => n + (template.counts[c] ?? 0));
        group.cost += template.cost;
      } else {
        groups.set(template.dimensionKey, { template, counts: [...template.counts], cost: template.cost });
      }
    }
    const deltaRows: string[] = [];
    for (const { template, counts, cost } of groups.values()) {
      const measures = [...counts.slice(0, 8), decimalText(cost, this.costScale), ...counts.slice(8)];
      const cells = ['$1'];
      for (const value of [...template.dimensions, ...measures]) {
        values.push(value);
        cells.push(placeholder());
      }
      deltaRows.push(`(${cells.join(', ')})`);
    }
    const text = this.statement(executionRows, payloadRows, deltaRows);
    if (values.length > 65_535)
      throw new Error(`baseline: ${values.length} parameters; use a smaller BENCH_BATCH_SIZE`);
    await this.handle.query(text, values);
    return count;
  }

  /** The statement for these row shapes; its text depends only on their counts, so it is built (and prepared) once. */
  private statement(executionRows: string[], payloadRows: string[], deltaRows: string[]): string {
    const key = `${executionRows.length}/${payloadRows.length}/${deltaRows.length}`;
    let text = this.statements.get(key);
    if (text === undefined) {
      const { execution, payload } = this.columns;
      const parts = [
        `insert into executions (project_id, id, ${execution.join(', ')}) values ${executionRows.join(', ')}`,
        payloadRows.length
          ? `insert into execution_payloads (project_id, execution_id, ${payload.join(', ')}) values ${payloadRows.join(', ')}`
          : '',
        `insert into execution_rollup_deltas (${DELTA_COLUMNS.join(', ')}) values ${deltaRows.join(', ')}`,
      ].filter(Boolean);
      const last = parts.pop() ?? '';
      text = parts.length ? `with ${parts.map((part, i) => `w${i} as (${part})`).join(', ')} ${last}` : last;
      this.statements.set(key, text);
    }
    return text;
  }
}

async function runBaseline(
  writer: BaselineWriter,
  scenario: Scenario,
  label: string,
  seconds: number,
): Promise<RunStats> {
  const connections = scenario === 'single' ? settings.singleConnections : settings.batchConnections;
  const size = scenario === 'single' ? 1 : settings.batchSize;
  const latencies: number[] = [];
  let records = 0;
  let statements = 0;
  let errors = 0;
  const clientCpuBefore = process.cpuUsage();
  const databaseCpuMeter = watchDatabaseCpu();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const k = await writer.insert(size);
        records += k;
        statements++;
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        noteProblem(`baseline ${scenario}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const databaseCpu = databaseCpuMeter.stop();
  const clientCpu = process.cpuUsage(clientCpuBefore);
  baselineLedger.stored += records;
  return {
    kind: 'baseline',
    scenario,
    label,
    seconds: elapsed,
    requests2xx: statements,
    records,
    recordsPerSecond: records / elapsed,
    requestsPerSecond: statements / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    non2xx: 0,
    errors,
    timeouts: 0,
    serverCpuMsPer1k: Number.NaN,
    databaseCpuMsPer1k: records ? (databaseCpu / records) * 1000 : Number.NaN,
    clientCpuShare: (clientCpu.user + clientCpu.system) / 1000 / 1000 / elapsed,
  };
}

/** Rows the baseline committed: the check compares them with what its project holds. */
const baselineLedger = { stored: 0 };

/** Sends one batch holding each record variant once, acknowledged like any other; returns its ids. */
async function sendTemplateBatch(server: Server, variants: number): Promise<string[]> {
  const { body, ids } = createRecordFactory(settings.recordBytes).batch(variants);
  for (const id of ids) unacknowledged.add(id);
  const response = await fetch(`${server.baseUrl}/api/v1/executions/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const statuses = batchStatuses(text);
  if (!response.ok || statuses?.some((status) => status !== 'created') !== false) {
    throw new Error(`baseline: the template batch was not stored (HTTP ${response.status}): ${text.slice(0, 400)}`);
  }
  for (const id of ids) unacknowledged.delete(id);
  ledger.created += ids.length;
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Verification and report.

interface Verification {
  /** Rows of the baseline's project, which must equal what it committed. */
  baselineStored: number;
  stored: number;
  distinct: number;
  acknowledged: number;
  storedUnacknowledged: number;
  unacknowledged: number;
  ok: boolean;
}

/** Counts only our project's rows: the baseline writes the same tables under a project of its own. */
function verify(ourProjectId: string, baselineProjectId: string): Verification {
  const [stored = 0, distinct = 0] = psql(
    dbUrl,
    `select count(*), count(distinct id) from executions where project_id = '${ourProjectId}'`,
  )
    .split('|')
    .map(Number);
  const baselineStored = Number(
    psql(dbUrl, `select count(*) from executions where project_id = '${baselineProjectId}'`),
  );
  const pending = [...unacknowledged];
  let storedUnacknowledged = 0;
  for (let i = 0; i < pending.length; i += 5_000) {
    const chunk = pending.slice(i, i + 5_000);
    storedUnacknowledged += Number(
      psql(
        dbUrl,
        `select count(*) from executions where project_id = '${ourProjectId}' and id = any('{${chunk.join(',')}}'::uuid[])`,
      ),
    );
  }
  const acknowledged = ledger.created + ledger.duplicates;
  return {
    baselineStored,
    stored,
    distinct,
    acknowledged,
    storedUnacknowledged,
    unacknowledged: pending.length,
    ok:
      stored === distinct &&
      ledger.duplicates === 0 &&
      stored === ledger.created + storedUnacknowledged &&
      baselineStored === baselineLedger.stored,
  };
}

function command(): string {
  const defaults: Record<string, string> = {
    BENCH_DURATION: String(settings.duration),
    BENCH_RUNS: String(settings.runs),
    BENCH_WARMUP: String(settings.warmup),
    BENCH_SINGLE_CONNECTIONS: String(settings.singleConnections),
    BENCH_BATCH_CONNECTIONS: String(settings.batchConnections),
    BENCH_BATCH_SIZE: String(settings.batchSize),
    BENCH_RECORD_BYTES: String(settings.recordBytes),
  };
  const set = Object.entries(defaults).map(([name, value]) => `${name}=${value}`);
  if (process.env.BENCH_DATABASE_URL) set.unshift(`BENCH_DATABASE_URL=${settings.databaseUrl}`);
  if (settings.logLevel) set.push(`BENCH_LOG_LEVEL=${settings.logLevel}`);
  if (settings.keepDatabase) set.push('BENCH_KEEP_DATABASE=1');
  if (process.env.BENCH_SCENARIOS) set.push(`BENCH_SCENARIOS=${settings.scenarios.join(',')}`);
  if (settings.serverNodeArgs.length) set.push(`BENCH_SERVER_NODE_ARGS="${settings.serverNodeArgs.join(' ')}"`);
  // The server inherits the environment: its settings that change what is measured belong in the command too.
  for (const name of ['PROMPTLOG_INGEST_STATEMENTS', 'DATABASE_POOL_SIZE', 'NODE_OPTIONS']) {
    if (process.env[name]) set.unshift(`${name}="${process.env[name]}"`);
  }
  return `${set.join(' ')} pnpm bench:ingest`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  // Each scenario runs through the server and as the baseline.
  const expectedSeconds = 4 * settings.warmup + 4 * settings.runs * settings.duration;
  console.log(`Ingestion benchmark: ${command()}`);
  console.log(`Recreating database ${dbName}…`);
  const postgresVersion = recreateDatabase(db);

  const server = await startServer({
    db,
    logName: 'ingest-server.log',
    logLevel: settings.logLevel,
    nodeArgs: settings.serverNodeArgs,
  });
  const timer = watchdog(server, (240 + expectedSeconds * 2) * 1000);

  let baselineDatabase: DatabaseHandle | undefined;
  stopOnSignal(() => server);

  try {
    const health = await waitForHealth(server, 180_000);
    const serverPid = serverPidOf(server);
    console.log(
      `Server ${server.baseUrl} healthy (${JSON.stringify(health)}), pid ${serverPid}${serverPid === server.child.pid ? '' : ` (child of ${server.child.pid})`}; log: ${server.logFile}`,
    );
    const sample = createRecordFactory(settings.recordBytes);
    baselineDatabase = await openDatabase({
      kind: 'postgres',
      url: dbUrl.toString(),
      poolSize: Math.max(settings.singleConnections, settings.batchConnections),
    });
    const templateIds = await sendTemplateBatch(server, sample.variants);
    const [ours] = await baselineDatabase.query<{ project_id: string }>(
      'select project_id::text from executions where id = $1',
      [templateIds[0]],
    );
    if (!ours) throw new Error('baseline: the template batch is not in the database');
    const ourProjectId = ours.project_id;
    const baseline = await BaselineWriter.create(baselineDatabase, ourProjectId, templateIds);
    const memory = watchMemory(serverPid);
    console.log(
      `Records: ${fmt(sample.recordBytes)} B each; batches of ${settings.batchSize} (${fmt(sample.batch(settings.batchSize).body.length / 1024)} KiB bodies). ` +
        `About ${Math.round(expectedSeconds)} s of load.`,
    );

    const runs: RunStats[] = [];
    const report = (stats: RunStats) =>
      console.log(
        `  ${stats.label.padEnd(14)} ${fmt(stats.recordsPerSecond).padStart(8)} records/s  ${fmt(stats.requestsPerSecond).padStart(7)} req/s  ` +
          `p50 ${fmt(stats.p50Ms, 1).padStart(6)} ms  p99 ${fmt(stats.p99Ms, 1).padStart(6)} ms  ` +
          `CPU ms/1k records: server ${fmt(stats.serverCpuMsPer1k).padStart(4)}, PostgreSQL ${fmt(stats.databaseCpuMsPer1k).padStart(4)}  client ${fmt(stats.clientCpuShare * 100).padStart(3)}% of a core` +
          (stats.non2xx || stats.errors
            ? `  non-2xx ${stats.non2xx}, errors ${stats.errors}, timeouts ${stats.timeouts}`
            : ''),
      );
    // Interleaved, so drift on a shared machine affects both scenarios, and ours and the baseline, alike.
    const both = (scenario: Scenario, label: string, seconds: number) => [
      () => run(server, serverPid, scenario, label, seconds),
      () => runBaseline(baseline, scenario, `base ${label}`, seconds),
    ];
    for (const scenario of settings.scenarios) {
      for (const measure of both(scenario, `${scenario} warm-up`, settings.warmup)) report(await measure());
    }
    for (let index = 1; index <= settings.runs; index++) {
      for (const scenario of settings.scenarios) {
        for (const measure of both(scenario, `${scenario} #${index}`, settings.duration)) {
          const stats = await measure();
          runs.push(stats);
          report(stats);
        }
      }
    }
    // Let requests still in flight when the last run stopped reach the database before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const mem = memory.stop();
    const check = verify(ourProjectId, baseline.projectId);

    const of = (scenario: Scenario, kind: RunStats['kind'] = 'ours') =>
      runs.filter((r) => r.scenario === scenario && r.kind === kind);
    const single = of('single');
    const batch = of('batch');
    const versus = (scenario: Scenario) => {
      const oursRuns = of(scenario);
      const baseRuns = of(scenario, 'baseline');
      const base = median(baseRuns.map((r) => r.recordsPerSecond));
      // Each run of ours against the baseline run right after it, under the same conditions.
      const paired = oursRuns.map((r, i) => r.recordsPerSecond / (baseRuns[i]?.recordsPerSecond ?? Number.NaN));
      return {
        baselineRecordsPerSecond: base,
        baselineP50Ms: median(baseRuns.map((r) => r.p50Ms)),
        baselineP99Ms: median(baseRuns.map((r) => r.p99Ms)),
        ratio: median(paired),
        pairedRatios: paired,
        databaseCpuMsPer1k: median(oursRuns.map((r) => r.databaseCpuMsPer1k)),
        baselineDatabaseCpuMsPer1k: median(baseRuns.map((r) => r.databaseCpuMsPer1k)),
      };
    };
    const summary = {
      single: {
        recordsPerSecond: median(single.map((r) => r.recordsPerSecond)),
        p50Ms: median(single.map((r) => r.p50Ms)),
        p99Ms: median(single.map((r) => r.p99Ms)),
        serverCpuMsPer1k: median(single.map((r) => r.serverCpuMsPer1k)),
        ...versus('single'),
      },
      batch: {
        recordsPerSecond: median(batch.map((r) => r.recordsPerSecond)),
        requestsPerSecond: median(batch.map((r) => r.requestsPerSecond)),
        p50Ms: median(batch.map((r) => r.p50Ms)),
        p99Ms: median(batch.map((r) => r.p99Ms)),
        serverCpuMsPer1k: median(batch.map((r) => r.serverCpuMsPer1k)),
        ...versus('batch'),
      },
    };
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const singleOk =
      summary.single.recordsPerSecond >= TARGETS.singleRequestsPerSecond && summary.single.p99Ms <= TARGETS.singleP99Ms;
    const batchOk = summary.batch.recordsPerSecond >= TARGETS.batchRecordsPerSecond;
    const singleRatioOk = summary.single.ratio >= TARGETS.singleVsBaseline;
    const batchRatioOk = summary.batch.ratio >= TARGETS.batchVsBaseline;
    // VmHWM catches spikes between two polls.
    const peakMb = Math.max(mem.peakRssMb, mem.hwmMb);
    const rssOk = peakMb < TARGETS.rssMb;

    console.log(
      `\nMedian of ${settings.runs} × ${settings.duration} s runs — ${os.cpus().length} CPUs, Node ${process.version}, PostgreSQL ${postgresVersion}, ` +
        `${fmt(sample.recordBytes)} B records (client and server share the machine)\n`,
    );
    console.log(
      table([
        ['scenario', 'conns', 'records/s', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/1k', 'target', 'result'],
        [
          'single POST',
          String(settings.singleConnections),
          fmt(summary.single.recordsPerSecond),
          fmt(summary.single.recordsPerSecond),
          fmt(summary.single.p50Ms, 1),
          fmt(summary.single.p99Ms, 1),
          fmt(summary.single.serverCpuMsPer1k),
          `≥${fmt(TARGETS.singleRequestsPerSecond)} req/s, p99 ≤${TARGETS.singleP99Ms} ms`,
          verdict(singleOk),
        ],
        [
          `batch of ${settings.batchSize}`,
          String(settings.batchConnections),
          fmt(summary.batch.recordsPerSecond),
          fmt(summary.batch.requestsPerSecond),
          fmt(summary.batch.p50Ms, 1),
          fmt(summary.batch.p99Ms, 1),
          fmt(summary.batch.serverCpuMsPer1k),
          `≥${fmt(TARGETS.batchRecordsPerSecond)} records/s`,
          verdict(batchOk),
        ],
        ['server peak RSS', '', '', '', '', '', '', `<${TARGETS.rssMb} MB`, `${fmt(peakMb)} MB ${verdict(rssOk)}`],
      ]),
    );
    const ratioRow = (name: string, scenario: 'single' | 'batch', target: number, ok: boolean) => {
      const s = summary[scenario];
      return [
        name,
        fmt(s.recordsPerSecond),
        fmt(s.baselineRecordsPerSecond),
        fmt(s.baselineP50Ms, 1),
        fmt(s.baselineP99Ms, 1),
        `${fmt(s.ratio, 2)}×`,
        s.pairedRatios.map((r) => fmt(r, 2)).join(' '),
        fmt(s.databaseCpuMsPer1k),
        fmt(s.baselineDatabaseCpuMsPer1k),
        `≥${fmt(target, 1)}×`,
        verdict(ok),
      ];
    };
    console.log(
      '\nAgainst the baseline: the same rows (hot row, payload row, rollup deltas) as multi-row INSERTs from a pg Pool, ' +
        'at the same concurrency, no HTTP, validation, pricing or redaction.\n',
    );
    console.log(
      table([
        [
          'scenario',
          'ours rec/s',
          'base rec/s',
          'base p50',
          'base p99',
          'ratio',
          'per run',
          'PG CPU ours',
          'PG CPU base',
          'target',
          'result',
        ],
        ratioRow('single POST', 'single', TARGETS.singleVsBaseline, singleRatioOk),
        ratioRow(`batch of ${settings.batchSize}`, 'batch', TARGETS.batchVsBaseline, batchRatioOk),
      ]),
    );
    console.log('ratio: median over runs of ours ÷ the baseline run that followed it (per run: each of those).');
    console.log(
      '\nCPU ms/1k: server process CPU time per 1,000 stored records (steadier than rates when the machine is shared).\n' +
        "PG CPU: the local PostgreSQL's CPU time (all its processes) per 1,000 stored records, ours and the baseline's.",
    );
    console.log(
      `Server memory: ${fmt(mem.idleRssMb)} MB RSS when healthy, ${fmt(mem.peakRssMb)} MB peak (VmRSS polled every 200 ms), VmHWM (kernel high-water mark) ${fmt(mem.hwmMb)} MB.`,
    );
    console.log(
      `Stored rows: ${fmt(check.stored)} (${fmt(check.distinct)} distinct ids) = ${fmt(ledger.created)} acknowledged as created + ` +
        `${fmt(check.storedUnacknowledged)} of the ${fmt(check.unacknowledged)} unacknowledged (in flight when a run stopped, or refused) — ` +
        (check.ok ? 'nothing lost, no duplicates.' : 'MISMATCH.') +
        ` Baseline: ${fmt(check.baselineStored)} rows in its own project, ${fmt(baselineLedger.stored)} committed.`,
    );
    if (ledger.duplicates || ledger.rejected || ledger.failedRequests) {
      console.log(
        `Anomalies: ${ledger.duplicates} fresh ids answered as duplicates, ${ledger.rejected} batch items rejected, ${ledger.failedRequests} failed requests.`,
      );
      for (const sampleText of ledger.samples) console.log(`  ${sampleText}`);
    }
    console.log(`\nCommand: ${command()}`);

    const file = writeResults('ingest', {
      command: command(),
      settings,
      postgresVersion,
      cpus: os.cpus().length,
      node: process.version,
      runs,
      summary,
      memory: mem,
      verification: check,
      ledger,
    });
    console.log(`Raw figures: ${file}`);
    return check.ok ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await baselineDatabase?.close();
    await stopServer(server);
    if (!settings.keepDatabase) dropDatabase(db);
  }
}

runBenchmark(main);
