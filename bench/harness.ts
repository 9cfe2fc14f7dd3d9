// What the benchmarks share: a throw-away loopback PostgreSQL database, the real server started with
// `node scripts/start.mjs` and a headless API key, finding the process that serves, and reporting.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Database.

export interface BenchDatabase {
  url: URL;
  name: string;
  /** The same server's `postgres` database, to drop and create the benchmark database from. */
  adminUrl: URL;
  /** The environment variable the URL came from, for messages. */
  envName: string;
}

export function benchDatabase(envName: string, fallback: string): BenchDatabase {
  const url = new URL(process.env[envName] || fallback);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`${envName} must point at a loopback address, got ${url.hostname}`);
  }
  if (!/^[A-Za-z0-9_]+$/.test(name) || ['postgres', 'template0', 'template1', 'test', 'root'].includes(name)) {
    throw new Error(`Refusing to drop database "${name}": use a dedicated benchmark database name`);
  }
  return { url, name, adminUrl, envName };
}

function psqlArgs(url: URL): string[] {
  return [url.toString(), '-XtAq', '-v', 'ON_ERROR_STOP=1', '-f', '-'];
}

function psqlFailure(status: number | null, stderr: string, sql: string): Error {
  return new Error(`psql failed (${status}): ${stderr.trim()}\nSQL: ${sql.slice(0, 300)}`);
}

/** Runs SQL with psql and returns its unaligned, tuples-only output. Blocks: only for short statements. */
export function psql(url: URL, sql: string): string {
  const result = spawnSync('psql', psqlArgs(url), { input: sql, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`could not run psql: ${result.error.message}`);
  if (result.status !== 0) throw psqlFailure(result.status, result.stderr, sql);
  return result.stdout.trim();
}

/** Like psql(), without blocking the event loop (the server's log is piped through this process). */
export function psqlAsync(url: URL, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', psqlArgs(url), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', (error) => reject(new Error(`could not run psql: ${error.message}`)));
    child.once('close', (status) => {
      if (status === 0) resolve(Buffer.concat(out).toString('utf8').trim());
      else reject(psqlFailure(status, Buffer.concat(err).toString('utf8'), sql));
    });
    child.stdin.end(sql);
  });
}

/** Drops and creates the benchmark database; returns the PostgreSQL server version. */
export function recreateDatabase(db: BenchDatabase): string {
  psql(db.adminUrl, `DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE);\nCREATE DATABASE "${db.name}";`);
  return psql(db.url, 'show server_version');
}

export function dropDatabase(db: BenchDatabase): void {
  psql(db.adminUrl, `DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE);`);
}

/** The PostgreSQL settings that bear on the read benchmarks' plans, as `name=value` pairs. */
export function postgresSettingsOf(db: BenchDatabase): string {
  return psql(
    db.adminUrl,
    `select string_agg(name || '=' || current_setting(name), ' ') from pg_settings
     where name in ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather')`,
  );
}

export function databaseExists(db: BenchDatabase): boolean {
  return psql(db.adminUrl, `select count(*) from pg_database where datname = '${db.name}'`) === '1';
}

// ---------------------------------------------------------------------------------------------
// The server process.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface Server {
  child: ChildProcess;
  baseUrl: string;
  apiKey: string;
  logFile: string;
}

export interface ServerOptions {
  db: BenchDatabase;
  /** File name under bench/results/ for the server's stdout and stderr. */
  logName: string;
  logLevel?: string | undefined;
  /** Reuse a key (a database already set up keeps the key it was set up with). */
  apiKey?: string | undefined;
  /** Append to the log file instead of starting it afresh. */
  appendLog?: boolean;
  /** More environment for the server, e.g. PGOPTIONS to change a PostgreSQL setting for its sessions. */
  env?: Record<string, string>;
  /** Flags for the server's node, e.g. `--cpu-prof` (which NODE_OPTIONS does not accept). */
  nodeArgs?: string[];
}

export async function startServer(options: ServerOptions): Promise<Server> {
  const port = await freePort();
  const apiKey = options.apiKey ?? `pl_bench_${randomBytes(16).toString('hex')}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = `${RESULTS_DIR}${options.logName}`;
  const log = createWriteStream(logFile, { flags: options.appendLog ? 'a' : 'w' });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'scripts/start.mjs'], {
    cwd: ROOT,
    // Its own process group, so the cleanup can also stop anything start.mjs spawned.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: options.db.url.toString(),
      PROMPTLOG_INIT_ADMIN_EMAIL: 'bench@example.com',
      PROMPTLOG_INIT_ADMIN_PASSWORD: 'bench-password-not-secret',
      PROMPTLOG_INIT_PROJECT_NAME: 'Benchmark',
      PROMPTLOG_INIT_API_KEY: apiKey,
      ...(options.logLevel ? { PROMPTLOG_LOG_LEVEL: options.logLevel } : {}),
      ...options.env,
    },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { child, baseUrl: `http://127.0.0.1:${port}`, apiKey, logFile };
}

export async function waitForHealth(server: Server, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `the server exited with code ${server.child.exitCode} before it was healthy; see ${server.logFile}`,
      );
    }
    try {
      const response = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return response.json();
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server was not healthy after ${timeoutMs / 1000} s (${lastError}); see ${server.logFile}`);
}

/** The pid of the process that serves (see findServerPid). */
export function serverPidOf(server: Server): number {
  return findServerPid(server.child.pid ?? 0, Number(new URL(server.baseUrl).port));
}

/** On SIGINT or SIGTERM, stops the server (the one `current` returns then: a benchmark may restart it) and exits. */
export function stopOnSignal(current: () => Server): void {
  const onSignal = () => void stopServer(current()).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** A hard stop in case anything hangs (the server may build the web app on its first start); unref'd, clear it when done. */
export function watchdog(server: Server, budgetMs: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    console.error('Benchmark exceeded its time budget; stopping.');
    void stopServer(server).finally(() => process.exit(2));
  }, budgetMs);
  timer.unref();
  return timer;
}

export async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Requests.

export async function apiGet(
  server: Server,
  path: string,
  timeoutMs = 30_000,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}

/** Sequential requests of one scenario, added up across calls. */
export interface Timing {
  latencies: number[];
  failures: number;
  sample: string;
  serverCpuMs: number;
  /** Time spent in this scenario's timed requests, against its budget. */
  spentMs: number;
  truncated: boolean;
}

export const newTiming = (): Timing => ({
  latencies: [],
  failures: 0,
  sample: '',
  serverCpuMs: 0,
  spentMs: 0,
  truncated: false,
});

/** `count` sequential GETs of `path` into `into`, stopping early once `into` has spent `budgetMs`. */
export async function timeRequests(
  server: Server,
  serverPid: number,
  path: string,
  count: number,
  into: Timing,
  budgetMs: number,
): Promise<void> {
  const cpuBefore = cpuMs(serverPid);
  for (let i = 0; i < count; i++) {
    if (into.spentMs > budgetMs) {
      into.truncated = true;
      break;
    }
    const started = performance.now();
    const { status, body } = await apiGet(server, path);
    const elapsed = performance.now() - started;
    into.spentMs += elapsed;
    if (status === 200) into.latencies.push(elapsed);
    else {
      into.failures++;
      if (!into.sample) into.sample = `HTTP ${status}: ${body.slice(0, 300)}`;
    }
  }
  into.serverCpuMs += cpuMs(serverPid) - cpuBefore;
}

export interface RoundsPlan {
  warmup: number;
  requests: number;
  rounds: number;
  /** Per path, across its rounds: a slow endpoint gets fewer samples instead of a stuck run. */
  maxSeconds: number;
}

/**
 * Times each outcome's path into its timing: a warm-up, then the requests interleaved in rounds so drift on a
 * shared machine hits every path alike. Each round may use its share of the budget, so slow paths are sampled in
 * every round too.
 */
export async function timeInRounds(
  run: { server: Server; serverPid: number },
  outcomes: readonly { scenario: { path: string }; timing: Timing }[],
  plan: RoundsPlan,
): Promise<void> {
  console.log(
    `Timing ${outcomes.length} scenario(s): ${plan.warmup} warm-up + ${plan.requests} sequential requests each, in ${plan.rounds} rounds…`,
  );
  for (const outcome of outcomes) {
    await timeRequests(run.server, run.serverPid, outcome.scenario.path, plan.warmup, newTiming(), 30_000);
  }
  for (let round = 0; round < plan.rounds; round++) {
    const budgetMs = (plan.maxSeconds * 1000 * (round + 1)) / plan.rounds;
    for (const outcome of outcomes) {
      const share = Math.ceil(plan.requests / plan.rounds);
      await timeRequests(run.server, run.serverPid, outcome.scenario.path, share, outcome.timing, budgetMs);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Finding the real server process and what it uses.

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The fields after the command name (which may contain spaces) start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function processTree(root: number): number[] {
  const all = [root];
  for (let i = 0; i < all.length; i++) {
    const pid = all[i];
    if (pid !== undefined) all.push(...childrenOf(pid));
  }
  return all;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (local?.endsWith(`:${portHex}`) && state === '0A' && inode) inodes.add(inode);
    }
  }
  return inodes;
}

/** The process in the tree that owns the listening socket: start.mjs may run the server itself or in a child. */
export function findServerPid(root: number, port: number): number {
  const inodes = listeningInodes(port);
  for (const pid of processTree(root)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      }
    } catch {
      // Not ours to read, or gone.
    }
  }
  throw new Error(`no process in the tree of ${root} listens on port ${port}`);
}

export function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU time the process has used so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the state field.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The CPU time (user + system, ms) of each running process named postgres, by pid. */
function postgresProcessesCpuMs(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the state field.
    byPid.set(entry, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
  }
  return byPid;
}

/**
 * Measures the CPU time the local PostgreSQL server uses from now until `stop()`: every process named postgres,
 * sampled every 100 ms so a backend that exits meanwhile still counts up to its last sample. (The postmaster's account
 * of its exited children proved unreliable here: sums taken from it went down during runs.) NaN when no such process
 * is visible (a remote database).
 */
export function watchDatabaseCpu(): { stop: () => number } {
  const before = postgresProcessesCpuMs();
  const last = new Map(before);
  const sample = () => {
    for (const [pid, ms] of postgresProcessesCpuMs()) last.set(pid, ms);
  };
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      if (last.size === 0) return Number.NaN;
      let total = 0;
      for (const [pid, ms] of last) total += ms - (before.get(pid) ?? 0);
      return total;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reporting.

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Nearest-rank percentile (0–100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export const fmt = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row, index) => {
      const line = row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  ');
      return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

/** Writes a run's figures to bench/results/<name>-<time>.json and returns the file's path. */
export function writeResults(name: string, figures: unknown): string {
  const file = `${RESULTS_DIR}${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file;
}

/** Runs a benchmark's main and exits with its code (1 when it throws). */
export function runBenchmark(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
