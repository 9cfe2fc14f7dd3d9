// Query plans for the benchmarks: summaries of EXPLAIN (ANALYZE, BUFFERS) text, and the plans of the
// statements the real server runs, captured with auto_explain (loaded for the benchmark database only)
// from the PostgreSQL server log.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { apiGet, type BenchDatabase, fmt, psql, psqlAsync, type Server } from './harness';

export interface PlanSummary {
  /** The top nodes, e.g. "Limit → Index Scan using executions_prompt_recent_idx on executions". */
  top: string;
  indexes: string[];
  /** Execution time (EXPLAIN) or statement duration (auto_explain). */
  ms: number;
  rowsRemovedByFilter: number;
  sharedHit: number;
  sharedRead: number;
  text: string;
}

/** A plan node's line: "->  Index Scan using x on executions  (cost=…) (actual …)". */
const NODE = /\(cost=[\d.]+\.\.[\d.]+ rows=/;

export function summarizePlan(text: string, ms: number): PlanSummary {
  const top = text
    .split('\n')
    .filter((line) => NODE.test(line))
    .slice(0, 3)
    .map((line) => line.replace(/^\s*(?:->\s+)?/, '').replace(/\s+\(cost=.*$/, ''));
  const indexes = new Set<string>();
  for (const match of text.matchAll(
    /(?:Index Scan|Index Only Scan)(?: Backward)? using (\S+)|Bitmap Index Scan on (\S+)/g,
  )) {
    const name = match[1] ?? match[2];
    if (name) indexes.add(name);
  }
  let removed = 0;
  for (const match of text.matchAll(/Rows Removed by Filter: (\d+)/g)) removed += Number(match[1]);
  const buffers = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(text);
  return {
    top: top.join(' → '),
    indexes: [...indexes],
    ms,
    rowsRemovedByFilter: removed,
    sharedHit: Number(buffers?.[1] ?? 0),
    sharedRead: Number(buffers?.[2] ?? 0),
    text,
  };
}

export const describePlan = (plan: PlanSummary) =>
  `${fmt(plan.ms, 1)} ms, ${plan.top}; indexes: ${plan.indexes.join(', ') || 'none'}; ` +
  `rows removed by filter ${fmt(plan.rowsRemovedByFilter)}; buffers hit ${fmt(plan.sharedHit)} read ${fmt(plan.sharedRead)}`;

/** EXPLAIN (ANALYZE, BUFFERS) of SQL, run once before to warm the cache like the timed requests. */
export async function explain(db: BenchDatabase, sql: string): Promise<PlanSummary> {
  await psqlAsync(db.url, `explain (analyze) ${sql}`);
  const text = await psqlAsync(db.url, `explain (analyze, buffers) ${sql}`);
  return summarizePlan(text, Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? Number.NaN));
}

// ---------------------------------------------------------------------------------------------
// auto_explain.

/** The server log of a Debian cluster (logging_collector off, stderr to /var/log/postgresql). */
export function postgresLogFile(db: BenchDatabase): string | null {
  if (process.env.BENCH_PG_LOG) return process.env.BENCH_PG_LOG;
  const major = Math.floor(Number(psql(db.url, 'show server_version_num')) / 10_000);
  const cluster = process.env.BENCH_PG_CLUSTER ?? 'main';
  const file = `/var/log/postgresql/postgresql-${major}-${cluster}.log`;
  try {
    closeSync(openSync(file, 'r'));
    return file;
  } catch {
    return null;
  }
}

/** Makes new sessions on the benchmark database log every statement's plan with actual times and buffers. */
export function enableAutoExplain(db: BenchDatabase): void {
  const settings: [string, string][] = [
    ['session_preload_libraries', 'auto_explain'],
    ['auto_explain.log_min_duration', '0'],
    ['auto_explain.log_analyze', 'on'],
    ['auto_explain.log_buffers', 'on'],
    ['auto_explain.log_format', 'text'],
  ];
  psql(db.url, settings.map(([name, value]) => `alter database "${db.name}" set ${name} = '${value}';`).join('\n'));
}

/** Undoes enableAutoExplain (also after a run that was interrupted). */
export function disableAutoExplain(db: BenchDatabase): void {
  psql(db.adminUrl, `alter database "${db.name}" reset all;`);
}

export function logSize(file: string): number {
  return statSync(file).size;
}

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

export interface CapturedPlan {
  query: string;
  summary: PlanSummary;
}

/** auto_explain entries for the benchmark database written to the log after `offset`. */
export function capturedPlans(file: string, offset: number, db: BenchDatabase): CapturedPlan[] {
  const entries: { header: string; body: string[] }[] = [];
  let current: { header: string; body: string[] } | null = null;
  for (const line of readFrom(file, offset).split('\n')) {
    if (line.startsWith('\t')) {
      current?.body.push(line.slice(1));
      continue;
    }
    current = null;
    if (line.includes(`@${db.name} LOG:  duration:`) && line.endsWith('plan:')) {
      current = { header: line, body: [] };
      entries.push(current);
    }
  }
  return entries.map(({ header, body }) => {
    const ms = Number(/duration: ([\d.]+) ms/.exec(header)?.[1] ?? Number.NaN);
    const queryLine = body.findIndex((l) => l.startsWith('Query Text:'));
    // The query text may span lines; the plan starts at the first node line.
    const planStart = body.findIndex((l, index) => index > queryLine && NODE.test(l));
    const query = body
      .slice(Math.max(0, queryLine), planStart < 0 ? body.length : planStart)
      .join('\n')
      .replace(/^Query Text: /, '');
    const text = body.slice(planStart < 0 ? body.length : planStart).join('\n');
    return { query, summary: summarizePlan(text, ms) };
  });
}

/** The statements one warm request of `path` runs, as auto_explain logged them (a first request warms up). */
export async function requestPlans(
  logFile: string,
  db: BenchDatabase,
  server: Server,
  path: string,
): Promise<CapturedPlan[]> {
  await apiGet(server, path);
  const offset = logSize(logFile);
  await apiGet(server, path);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return capturedPlans(logFile, offset, db);
}

/** The slowest of a request's statements. */
export const slowest = (plans: CapturedPlan[] | undefined) =>
  plans?.reduce<CapturedPlan | undefined>(
    (worst, p) => (!worst || p.summary.ms > worst.summary.ms ? p : worst),
    undefined,
  );
