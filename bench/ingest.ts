// `pnpm bench:ingest`: starts the real server on a fresh local PostgreSQL database, loads it with
// single-record POSTs and 100-record batches (interleaved runs, medians reported), watches its RSS,
// and checks with SQL that every acknowledged record was stored exactly once.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import autocannon, { type RequestContext, type RequestParams, type Result } from 'autocannon';
import {
  benchDatabase,
  cpuMs,
  dropDatabase,
  envNumber,
  findServerPid,
  fmt,
  median,
  memoryKb,
  psql,
  RESULTS_DIR,
  recreateDatabase,
  type Server,
  startServer,
  stopServer,
  table,
  waitForHealth,
} from './harness';
import { createRecordFactory } from './records';
import { uuidv7 } from './uuidv7';

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
};

const TARGETS = { batchRecordsPerSecond: 10_000, singleRequestsPerSecond: 2_000, singleP99Ms: 15, rssMb: 300 };

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
  /** Server CPU per 1,000 stored records: steadier than rates on a shared machine. */
  serverCpuMsPer1k: number;
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
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const wall = (performance.now() - started) / 1000;
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000 || wall;
  return {
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
    clientCpuShare: (clientCpu.user + clientCpu.system) / 1000 / 1000 / wall,
  };
}

// ---------------------------------------------------------------------------------------------
// Verification and report.

interface Verification {
  stored: number;
  distinct: number;
  acknowledged: number;
  storedUnacknowledged: number;
  unacknowledged: number;
  ok: boolean;
}

function verify(): Verification {
  const [stored = 0, distinct = 0] = psql(dbUrl, 'select count(*), count(distinct id) from executions')
    .split('|')
    .map(Number);
  const pending = [...unacknowledged];
  let storedUnacknowledged = 0;
  for (let i = 0; i < pending.length; i += 5_000) {
    const chunk = pending.slice(i, i + 5_000);
    storedUnacknowledged += Number(
      psql(dbUrl, `select count(*) from executions where id = any('{${chunk.join(',')}}'::uuid[])`),
    );
  }
  const acknowledged = ledger.created + ledger.duplicates;
  return {
    stored,
    distinct,
    acknowledged,
    storedUnacknowledged,
    unacknowledged: pending.length,
    ok: stored === distinct && ledger.duplicates === 0 && stored === ledger.created + storedUnacknowledged,
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
  return `${set.join(' ')} pnpm bench:ingest`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const expectedSeconds = 2 * settings.warmup + 2 * settings.runs * settings.duration;
  console.log(`Ingestion benchmark: ${command()}`);
  console.log(`Recreating database ${dbName}…`);
  const postgresVersion = recreateDatabase(db);

  const server = await startServer({ db, logName: 'ingest-server.log', logLevel: settings.logLevel });
  // A hard stop in case anything hangs: the server may build the web app on its first start.
  const watchdog = setTimeout(
    () => {
      console.error('Benchmark exceeded its time budget; stopping.');
      void stopServer(server).finally(() => process.exit(2));
    },
    (240 + expectedSeconds * 2) * 1000,
  );
  watchdog.unref();

  const onSignal = () => void stopServer(server).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const health = await waitForHealth(server, 180_000);
    const port = Number(new URL(server.baseUrl).port);
    const serverPid = findServerPid(server.child.pid ?? 0, port);
    console.log(
      `Server ${server.baseUrl} healthy (${JSON.stringify(health)}), pid ${serverPid}${serverPid === server.child.pid ? '' : ` (child of ${server.child.pid})`}; log: ${server.logFile}`,
    );
    const memory = watchMemory(serverPid);
    const sample = createRecordFactory(settings.recordBytes);
    console.log(
      `Records: ${fmt(sample.recordBytes)} B each; batches of ${settings.batchSize} (${fmt(sample.batch(settings.batchSize).body.length / 1024)} KiB bodies). ` +
        `About ${Math.round(expectedSeconds)} s of load.`,
    );

    const runs: RunStats[] = [];
    const report = (stats: RunStats) =>
      console.log(
        `  ${stats.label.padEnd(14)} ${fmt(stats.recordsPerSecond).padStart(8)} records/s  ${fmt(stats.requestsPerSecond).padStart(7)} req/s  ` +
          `p50 ${fmt(stats.p50Ms, 1).padStart(6)} ms  p99 ${fmt(stats.p99Ms, 1).padStart(6)} ms  ` +
          `server CPU ${fmt(stats.serverCpuMsPer1k).padStart(4)} ms/1k records  client ${fmt(stats.clientCpuShare * 100).padStart(3)}% of a core` +
          (stats.non2xx || stats.errors
            ? `  non-2xx ${stats.non2xx}, errors ${stats.errors}, timeouts ${stats.timeouts}`
            : ''),
      );
    // Interleaved, so drift on a shared machine affects both scenarios alike.
    for (const scenario of ['single', 'batch'] as const) {
      report(await run(server, serverPid, scenario, `${scenario} warm-up`, settings.warmup));
    }
    for (let index = 1; index <= settings.runs; index++) {
      for (const scenario of ['single', 'batch'] as const) {
        const stats = await run(server, serverPid, scenario, `${scenario} #${index}`, settings.duration);
        runs.push(stats);
        report(stats);
      }
    }
    // Let requests still in flight when the last run stopped reach the database before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const mem = memory.stop();
    const check = verify();

    const of = (scenario: Scenario) => runs.filter((r) => r.scenario === scenario);
    const single = of('single');
    const batch = of('batch');
    const summary = {
      single: {
        recordsPerSecond: median(single.map((r) => r.recordsPerSecond)),
        p50Ms: median(single.map((r) => r.p50Ms)),
        p99Ms: median(single.map((r) => r.p99Ms)),
        serverCpuMsPer1k: median(single.map((r) => r.serverCpuMsPer1k)),
      },
      batch: {
        recordsPerSecond: median(batch.map((r) => r.recordsPerSecond)),
        requestsPerSecond: median(batch.map((r) => r.requestsPerSecond)),
        p50Ms: median(batch.map((r) => r.p50Ms)),
        p99Ms: median(batch.map((r) => r.p99Ms)),
        serverCpuMsPer1k: median(batch.map((r) => r.serverCpuMsPer1k)),
      },
    };
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const singleOk =
      summary.single.recordsPerSecond >= TARGETS.singleRequestsPerSecond && summary.single.p99Ms <= TARGETS.singleP99Ms;
    const batchOk = summary.batch.recordsPerSecond >= TARGETS.batchRecordsPerSecond;
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
    console.log(
      '\nCPU ms/1k: server process CPU time per 1,000 stored records (steadier than rates when the machine is shared).',
    );
    console.log(
      `Server memory: ${fmt(mem.idleRssMb)} MB RSS when healthy, ${fmt(mem.peakRssMb)} MB peak (VmRSS polled every 200 ms), VmHWM (kernel high-water mark) ${fmt(mem.hwmMb)} MB.`,
    );
    console.log(
      `Stored rows: ${fmt(check.stored)} (${fmt(check.distinct)} distinct ids) = ${fmt(ledger.created)} acknowledged as created + ` +
        `${fmt(check.storedUnacknowledged)} of the ${fmt(check.unacknowledged)} unacknowledged (in flight when a run stopped, or refused) — ` +
        (check.ok ? 'nothing lost, no duplicates.' : 'MISMATCH.'),
    );
    if (ledger.duplicates || ledger.rejected || ledger.failedRequests) {
      console.log(
        `Anomalies: ${ledger.duplicates} fresh ids answered as duplicates, ${ledger.rejected} batch items rejected, ${ledger.failedRequests} failed requests.`,
      );
      for (const sampleText of ledger.samples) console.log(`  ${sampleText}`);
    }
    console.log(`\nCommand: ${command()}`);

    const file = `${RESULTS_DIR}ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(
      file,
      `${JSON.stringify({ command: command(), settings, postgresVersion, cpus: os.cpus().length, node: process.version, runs, summary, memory: mem, verification: check, ledger }, null, 2)}\n`,
    );
    console.log(`Raw figures: ${file}`);
    return check.ok ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await stopServer(server);
    if (!settings.keepDatabase) dropDatabase(db);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
