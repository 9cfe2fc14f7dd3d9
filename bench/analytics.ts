// `pnpm bench:analytics`: on the 1M-execution data set of `pnpm bench:list` (generated or reused with
// BENCH_REUSE=1), times `pnpm rollups:rebuild`, then the analytics read API through HTTP (summary, time
// series, breakdowns; medians and p95s of sequential requests), checks the rollups against the raw rows,
// and measures the rollup lag: a burst of batches for a new prompt until the summary has caught up,
// with the cost compared as an exact decimal. Prints EXPLAIN summaries of the server's statements.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import {
  type BurstResult,
  canonicalDecimal,
  type LagResult,
  pollUntilCaughtUp,
  type SummaryFigures,
  sendBurst,
  summaryFigures,
} from './analytics-lag';
import {
  apiGet,
  envNumber,
  fmt,
  median,
  newTiming,
  percentile,
  postgresSettingsOf,
  psql,
  psqlAsync,
  ROOT,
  runBenchmark,
  type Server,
  startServer,
  stopServer,
  type Timing,
  table,
  timeInRounds,
  waitForHealth,
  writeResults,
} from './harness';
import { HEAVY_PROMPT } from './list-data';
import {
  captureServerPlans,
  dataSetSizeFromEnv,
  describeDataSet,
  listBenchCommand,
  listDatabase,
  TRANSIENT_PROMPT_PREFIX,
  withListDataSet,
} from './list-dataset';
import { type CapturedPlan, describePlan, explain, type PlanSummary, slowest } from './plans';

const settings = {
  ...dataSetSizeFromEnv(),
  requests: Math.round(envNumber('BENCH_ANALYTICS_REQUESTS', 200)),
  warmup: Math.round(envNumber('BENCH_ANALYTICS_WARMUP', 20)),
  rounds: Math.round(envNumber('BENCH_ANALYTICS_ROUNDS', 4)),
  /** Per scenario, for its sequential requests: a slow endpoint gets fewer samples instead of a stuck run. */
  maxSeconds: envNumber('BENCH_ANALYTICS_MAX_SECONDS', 60),
  lagRecords: Math.round(envNumber('BENCH_LAG_RECORDS', 10_000)),
  lagBatchSize: Math.round(envNumber('BENCH_LAG_BATCH_SIZE', 100)),
  lagConnections: Math.round(envNumber('BENCH_LAG_CONNECTIONS', 4)),
  lagPollMs: envNumber('BENCH_LAG_POLL_MS', 50),
  lagTimeoutSeconds: envNumber('BENCH_LAG_TIMEOUT_SECONDS', 60),
  /** Requests per scenario and server for the side-by-side run with PostgreSQL's JIT off (BENCH_ANALYTICS_JIT_COMPARE=0: none). */
  jitCompareRequests:
    process.env.BENCH_ANALYTICS_JIT_COMPARE === '0' ? 0 : Math.round(envNumber('BENCH_ANALYTICS_JIT_REQUESTS', 40)),
  /** VACUUM the rollup tables after the rebuild, as autovacuum would (it is off on these machines). */
  vacuum: process.env.BENCH_ANALYTICS_VACUUM !== '0',
  reuse: process.env.BENCH_REUSE === '1',
  dropAfter: process.env.BENCH_DROP_DATABASE === '1',
  logLevel: process.env.BENCH_LOG_LEVEL,
};

const db = listDatabase();
const TARGETS = { promptP95Ms: 50, lagMs: 5_000 };
const TZ = 'Europe/Paris';

const command = () =>
  listBenchCommand(
    'bench:analytics',
    settings,
    [
      ['BENCH_ANALYTICS_REQUESTS', settings.requests, 200],
      ['BENCH_ANALYTICS_WARMUP', settings.warmup, 20],
      ['BENCH_ANALYTICS_ROUNDS', settings.rounds, 4],
      ['BENCH_ANALYTICS_MAX_SECONDS', settings.maxSeconds, 60],
      ['BENCH_LAG_RECORDS', settings.lagRecords, 10_000],
      ['BENCH_LAG_BATCH_SIZE', settings.lagBatchSize, 100],
      ['BENCH_LAG_CONNECTIONS', settings.lagConnections, 4],
      ['BENCH_LAG_POLL_MS', settings.lagPollMs, 50],
      ['BENCH_LAG_TIMEOUT_SECONDS', settings.lagTimeoutSeconds, 60],
      ['BENCH_ANALYTICS_JIT_REQUESTS', settings.jitCompareRequests || 40, 40],
    ],
    [
      ...(settings.jitCompareRequests ? [] : ['BENCH_ANALYTICS_JIT_COMPARE=0']),
      ...(settings.vacuum ? [] : ['BENCH_ANALYTICS_VACUUM=0']),
    ],
  );

const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;

// ---------------------------------------------------------------------------------------------
// Rebuilding the rollups.

interface Rebuild {
  seconds: number;
  /** Deltas still pending when the command returned: its own fold did not take them all. */
  pendingAfterCommand: number;
  /** From the start of the command until no delta was pending (the roller folds what the rebuild left). */
  completeSeconds: number;
  deltasBeforeVacuum: DeltaTable | null;
  vacuumSeconds: number | null;
  /** What the rebuild command printed (it reports its own time, without start-up and migration). */
  output: string;
  analyzeSeconds: number;
  rollupRows: number;
  rollupSize: string;
  /** Every rollup table: rows and size. */
  rollupTables: string;
  /** Distinct (project, prompt, hour): the fewest rows any hourly grain with a prompt dimension can have. */
  promptHourCells: number;
}

function hasRebuildScript(): boolean {
  const parsed: unknown = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('scripts' in parsed)) return false;
  const scripts = parsed.scripts;
  return typeof scripts === 'object' && scripts !== null && 'rollups:rebuild' in scripts;
}

/** `DATABASE_URL=<bench db> pnpm rollups:rebuild`, without blocking the event loop (the server's log flows through it). */
function runRebuild(): Promise<{ seconds: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('pnpm', ['--silent', 'rollups:rebuild'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', (error) => reject(new Error(`could not run pnpm rollups:rebuild: ${error.message}`)));
    child.once('close', (status) => {
      const text = Buffer.concat(output).toString('utf8').trim();
      if (status === 0) resolve({ seconds: (performance.now() - started) / 1000, output: text });
      else reject(new Error(`pnpm rollups:rebuild failed (${status}):\n${text.slice(-2_000)}`));
    });
  });
}

/** The rollup tables the schema has (the full one and coarser ones by prompt, model or project; hourly and daily). */
function rollupTables(): string[] {
  return psql(
    db.url,
    "select string_agg(tablename, ',' order by tablename) from pg_tables where schemaname = 'public' and tablename ~ '_rollups_(hourly|daily)$'",
  )
    .split(',')
    .filter(Boolean);
}

const pendingDeltas = async () => Number(await psqlAsync(db.url, 'select count(*) from execution_rollup_deltas'));

async function rebuild(): Promise<Rebuild> {
  if (!hasRebuildScript()) throw new Error('package.json has no "rollups:rebuild" script yet');
  console.log(`Rebuilding the rollups: DATABASE_URL=${db.url.toString()} pnpm rollups:rebuild…`);
  const started = performance.now();
  const { seconds, output } = await runRebuild();
  console.log(`  ${output.split('\n').at(-1) ?? ''} (${fmt(seconds, 1)} s wall clock, pnpm and tsx start-up included)`);
  const pendingAfterCommand = await pendingDeltas();
  if (pendingAfterCommand > 0) {
    console.log(
      `  ${fmt(pendingAfterCommand)} deltas were still pending when the command returned (its fold folded none: the ` +
        "running server's roller held the advisory lock?); waiting for the roller to fold them…",
    );
  }
  // Bounded: the roller folds 20,000 per statement.
  const deadline = performance.now() + 600_000;
  let pending = pendingAfterCommand;
  while (pending > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    pending = await pendingDeltas();
  }
  if (pending > 0) throw new Error(`${fmt(pending)} deltas still pending 10 minutes after the rebuild`);
  const completeSeconds = (performance.now() - started) / 1000;
  if (pendingAfterCommand > 0) console.log(`  rollups complete ${fmt(completeSeconds, 1)} s after the rebuild started`);
  // The rebuild leaves every rollup row and delta it replaced dead; autovacuum is off on these machines (and would
  // take a while on others). Timed apart, so reads are measured in the steady state (BENCH_ANALYTICS_VACUUM=0: not).
  let deltasBeforeVacuum: DeltaTable | null = null;
  let vacuumSeconds: number | null = null;
  if (settings.vacuum) {
    deltasBeforeVacuum = deltaTable();
    console.log(`  before VACUUM: ${describeDeltas(deltasBeforeVacuum)}`);
    const vacuumStarted = performance.now();
    await psqlAsync(db.url, `vacuum execution_rollup_deltas, ${rollupTables().join(', ')};`);
    vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  }
  const analyzeStarted = performance.now();
  await psqlAsync(db.url, `analyze ${rollupTables().join(', ')};`);
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const [rows, size] = psql(
    db.url,
    `select count(*), pg_size_pretty(pg_total_relation_size('execution_rollups_hourly')) from execution_rollups_hourly`,
  ).split('|');
  const promptHourCells = Number(
    await psqlAsync(
      db.url,
      'select count(*) from (select distinct project_id, prompt_id, hour from execution_rollups_hourly) s',
    ),
  );
  const tableSizes: string[] = [];
  for (const name of rollupTables()) {
    const [count, bytes] = psql(
      db.url,
      `select count(*), pg_size_pretty(pg_total_relation_size('${name}')) from ${name}`,
    ).split('|');
    tableSizes.push(`${name} ${fmt(Number(count))} rows ${bytes}`);
  }
  return {
    rollupTables: tableSizes.join(', '),
    seconds,
    pendingAfterCommand,
    completeSeconds,
    deltasBeforeVacuum,
    vacuumSeconds,
    output,
    analyzeSeconds,
    rollupRows: Number(rows),
    rollupSize: size ?? '',
    promptHourCells,
  };
}

interface DeltaTable {
  liveRows: number;
  deadRows: number;
  size: string;
  autovacuum: string;
  lastVacuum: string;
}

/** The state of the deltas table: the roller scans it every second, and the rebuild leaves its rows dead. */
function deltaTable(): DeltaTable {
  const [live, dead, size, lastVacuum] = psql(
    db.url,
    `select (select count(*) from execution_rollup_deltas), n_dead_tup, pg_size_pretty(pg_total_relation_size(relid)),
       coalesce(greatest(last_vacuum, last_autovacuum)::text, 'never')
     from pg_stat_user_tables where relname = 'execution_rollup_deltas'`,
  ).split('|');
  return {
    liveRows: Number(live),
    deadRows: Number(dead),
    size: size ?? '',
    autovacuum: psql(db.url, 'show autovacuum'),
    lastVacuum: lastVacuum ?? '',
  };
}

const describeDeltas = (d: DeltaTable) =>
  `execution_rollup_deltas: ${fmt(d.liveRows)} rows, ${fmt(d.deadRows)} dead, ${d.size}; last vacuum ${d.lastVacuum}; autovacuum=${d.autovacuum}`;

// ---------------------------------------------------------------------------------------------
// Checking the rollups against the raw executions.

interface RawFigures {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: string | null;
  unpricedCalls: number;
}

function rawFigures(projectId: string, fromHour: string, promptId: string | null): RawFigures {
  const [calls, input, output, cost, unpriced] = psql(
    db.url,
    `select count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), trim_scale(sum(cost_usd))::text,
       count(*) - count(cost_usd)
     from executions where project_id = ${lit(projectId)} and started_at >= ${lit(fromHour)}
       ${promptId ? `and prompt_id = ${lit(promptId)}` : ''}`,
  ).split('|');
  return {
    calls: Number(calls),
    inputTokens: Number(input),
    outputTokens: Number(output),
    costUsd: cost ? cost : null,
    unpricedCalls: Number(unpriced),
  };
}

function compareFigures(label: string, api: SummaryFigures | null, raw: RawFigures): string[] {
  if (!api) return [`${label}: the summary could not be read`];
  const problems: string[] = [];
  const check = (name: string, got: unknown, want: unknown) => {
    if (got !== want) problems.push(`${label}: ${name} is ${String(got)} in the API, ${String(want)} in the raw rows`);
  };
  check('calls', api.calls, raw.calls);
  check('inputTokens', api.inputTokens, raw.inputTokens);
  check('outputTokens', api.outputTokens, raw.outputTokens);
  check('unpricedCalls', api.unpricedCalls, raw.unpricedCalls);
  check('costUsd', api.costUsd === null ? null : canonicalDecimal(api.costUsd), raw.costUsd);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// HTTP.

interface Scenario {
  key: string;
  label: string;
  path: string;
  target?: number;
  /** Raw-executions SQL computing the same figures, EXPLAINed for comparison. */
  rawSql?: string;
}

interface Probe {
  status: number;
  /** points of a series, items of a breakdown, calls of a summary. */
  shape: string;
  body: string;
}

function shapeOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return '';
    if ('points' in parsed && Array.isArray(parsed.points)) return `${parsed.points.length} points`;
    if ('items' in parsed && Array.isArray(parsed.items)) return `${parsed.items.length} items`;
    if ('calls' in parsed && typeof parsed.calls === 'number') return `${fmt(parsed.calls)} calls`;
  } catch {
    // Not JSON: reported through status and body.
  }
  return '';
}

interface Outcome {
  scenario: Scenario;
  probe: Probe;
  timing: Timing;
  captured?: CapturedPlan[];
  rawPlan?: PlanSummary;
}

/** The roller's fold (it runs every second whatever the requests do). */
const isRollerStatement = (p: CapturedPlan) => /execution_rollup_deltas/.test(p.query);
/** The request's analytics statements (those reading the rollups), not the API key lookup nor the roller. */
const requestStatements = (plans: CapturedPlan[]) =>
  plans.filter((p) => !isRollerStatement(p) && /_rollups_(hourly|daily)|generate_series/.test(p.query));

interface JitComparison {
  label: string;
  jitOn: number[];
  jitOff: number[];
}

/** Alternates requests between the two servers (which goes first alternates too), within the scenario's budget. */
async function compareJit(withJit: Server, withoutJit: Server, scenario: Scenario): Promise<JitComparison> {
  const result: JitComparison = { label: scenario.label, jitOn: [], jitOff: [] };
  const deadline = performance.now() + settings.maxSeconds * 1000;
  for (const server of [withJit, withoutJit]) await apiGet(server, scenario.path);
  for (let i = 0; i < settings.jitCompareRequests && performance.now() < deadline; i++) {
    const order: [Server, number[]][] = [
      [withJit, result.jitOn],
      [withoutJit, result.jitOff],
    ];
    if (i % 2) order.reverse();
    for (const [server, into] of order) {
      const started = performance.now();
      const { status } = await apiGet(server, scenario.path);
      if (status === 200) into.push(performance.now() - started);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The rollup lag.

interface Lag {
  promptId: string;
  burst: BurstResult;
  poll: LagResult;
  sendSeconds: number;
  costExact: boolean | null;
  problems: string[];
}

async function measureLag(server: Server): Promise<Lag> {
  const promptId = `${TRANSIENT_PROMPT_PREFIX}lag-${Date.now().toString(36)}`;
  console.log(
    `Rollup lag: ${fmt(settings.lagRecords)} executions for ${promptId} in batches of ${settings.lagBatchSize} ` +
      `over ${settings.lagConnections} connections…`,
  );
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const burst = await sendBurst(server, {
    promptId,
    records: settings.lagRecords,
    batchSize: settings.lagBatchSize,
    connections: settings.lagConnections,
  });
  const sendSeconds = (burst.lastAckAt - burst.firstSentAt) / 1000;
  const problems: string[] = [...burst.failedRequests.slice(0, 3), ...burst.notCreated];
  const path = `/api/v1/analytics/summary?promptId=${encodeURIComponent(promptId)}&from=${encodeURIComponent(from)}`;
  const expected = { ...burst.expected, calls: burst.created };
  const poll = await pollUntilCaughtUp(
    server,
    path,
    expected,
    burst.lastAckAt,
    settings.lagPollMs,
    settings.lagTimeoutSeconds * 1000,
  );
  if (burst.created !== settings.lagRecords) {
    problems.push(`only ${fmt(burst.created)} of ${fmt(settings.lagRecords)} records were acknowledged as created`);
  }
  let costExact: boolean | null = null;
  const last = poll.last;
  if (poll.caughtUp && last) {
    const got = last.costUsd === null ? null : canonicalDecimal(last.costUsd);
    costExact = got === burst.expected.costUsd;
    if (!costExact) problems.push(`costUsd is ${last.costUsd} in the summary, ${burst.expected.costUsd} sent`);
    if (last.cacheReadTokens !== burst.expected.cacheReadTokens) {
      problems.push(`cacheReadTokens ${last.cacheReadTokens}, expected ${burst.expected.cacheReadTokens}`);
    }
    if (last.unpricedCalls !== 0) problems.push(`unpricedCalls ${last.unpricedCalls}, expected 0`);
    if (last.successRate !== 1) problems.push(`successRate ${last.successRate}, expected 1`);
  } else {
    problems.push(
      `not caught up after ${settings.lagTimeoutSeconds} s: last summary ${poll.lastBody.slice(0, 300)}`,
      ...poll.pollFailures,
    );
  }
  return { promptId, burst, poll, sendSeconds, costExact, problems };
}

/** Removes what the lag probe added (also left over by an interrupted run), so the data set stays reusable. */
async function removeTransientRows(): Promise<void> {
  const like = `like '${TRANSIENT_PROMPT_PREFIX}%'`;
  const tables = psql(
    db.url,
    `select string_agg(table_name, ',') from information_schema.tables where table_schema = 'public'
     and table_name in ('execution_payloads', 'executions', 'prompt_versions', 'prompts', 'execution_rollup_deltas',
       'execution_rollups_hourly', 'prompt_rollups_hourly', 'execution_rollups_daily', 'prompt_rollups_daily')`,
  ).split(',');
  const statements: string[] = [];
  if (tables.includes('execution_payloads')) {
    statements.push(
      `delete from execution_payloads p using executions e where p.project_id = e.project_id and p.execution_id = e.id and e.prompt_id ${like};`,
    );
  }
  // The project and model rollups keep the burst's calls until the next rebuild (which every run of this benchmark starts with).
  for (const name of [
    'executions',
    'prompt_versions',
    'execution_rollup_deltas',
    'execution_rollups_hourly',
    'prompt_rollups_hourly',
    'execution_rollups_daily',
    'prompt_rollups_daily',
    'prompts',
  ]) {
    if (tables.includes(name))
      statements.push(`delete from ${name} where ${name === 'prompts' ? 'id' : 'prompt_id'} ${like};`);
  }
  await psqlAsync(db.url, `begin;\n${statements.join('\n')}\ncommit;`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  console.log(`Analytics benchmark: ${command()}`);
  const postgresSettings = postgresSettingsOf(db);
  const options = { db, settings, logName: 'analytics-server.log', onReuse: removeTransientRows };
  return withListDataSet(options, async (run) => {
    const { dataSet } = run;
    const { projectId } = dataSet;
    console.log(`Data set: ${describeDataSet(db)}`);
    console.log(`PostgreSQL: ${postgresSettings}`);

    // 1. The rebuild, on the running server's database (its roller keeps running, as in production).
    const rebuilt = await rebuild();
    console.log(
      `  ${fmt(rebuilt.rollupRows)} rollup rows (${rebuilt.rollupSize}, ${fmt(rebuilt.rollupRows / dataSet.rows, 2)} per execution; ` +
        `${fmt(rebuilt.promptHourCells)} distinct prompt-hours); ` +
        `${rebuilt.vacuumSeconds === null ? '' : `VACUUM ${fmt(rebuilt.vacuumSeconds, 1)} s, `}ANALYZE ${fmt(rebuilt.analyzeSeconds, 1)} s`,
    );
    console.log(`  ${rebuilt.rollupTables}`);
    const deltasAfterRebuild = deltaTable();
    console.log(`  ${describeDeltas(deltasAfterRebuild)}`);

    // 2. The read API.
    const nowMs = Date.now();
    const from30 = new Date(nowMs - 30 * 86_400_000).toISOString();
    const from7 = new Date(nowMs - 7 * 86_400_000).toISOString();
    const from30Hour = new Date(Math.floor(Date.parse(from30) / 3_600_000) * 3_600_000).toISOString();
    const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
    const prompt = { promptId: HEAVY_PROMPT };
    const rawSummary = (promptId: string | null) =>
      `select count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd), count(*) filter (where status = 'success'),
         percentile_cont(array[0.5, 0.95]) within group (order by latency_ms)
       from executions where project_id = ${lit(projectId)} and started_at >= ${lit(from30Hour)}
         ${promptId ? `and prompt_id = ${lit(promptId)}` : ''}`;
    const rawGrouped = (column: string) =>
      `select ${column}, count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd),
         percentile_cont(0.95) within group (order by latency_ms)
       from executions where project_id = ${lit(projectId)} and started_at >= ${lit(from30Hour)} group by 1`;
    const scenarios: Scenario[] = [
      {
        key: 'a',
        label: `(a) summary ${HEAVY_PROMPT} 30d`,
        path: `/api/v1/analytics/summary?${q({ ...prompt, from: from30 })}`,
        target: TARGETS.promptP95Ms,
        rawSql: rawSummary(HEAVY_PROMPT),
      },
      {
        key: 'b',
        label: `(b) daily series ${HEAVY_PROMPT} 30d ${TZ}`,
        path: `/api/v1/analytics/timeseries?${q({ ...prompt, from: from30, interval: 'day', tz: TZ })}`,
        target: TARGETS.promptP95Ms,
        rawSql: `select date_trunc('day', started_at, ${lit(TZ)}), count(*), sum(input_tokens), sum(cost_usd),
            percentile_cont(0.95) within group (order by latency_ms)
          from executions where project_id = ${lit(projectId)} and prompt_id = ${lit(HEAVY_PROMPT)}
            and started_at >= ${lit(from30Hour)} group by 1`,
      },
      {
        key: 'c',
        label: '(c) summary project 30d',
        path: `/api/v1/analytics/summary?${q({ from: from30 })}`,
        rawSql: rawSummary(null),
      },
      {
        key: 'd',
        label: '(d) breakdown by model 30d',
        path: `/api/v1/analytics/breakdown?${q({ from: from30, by: 'model' })}`,
        rawSql: rawGrouped('model'),
      },
      {
        key: 'e',
        label: '(e) breakdown by prompt 30d',
        path: `/api/v1/analytics/breakdown?${q({ from: from30, by: 'prompt' })}`,
        rawSql: rawGrouped('prompt_id'),
      },
      {
        key: 'f',
        label: '(f) hourly series project 7d',
        path: `/api/v1/analytics/timeseries?${q({ from: from7, interval: 'hour' })}`,
      },
    ];

    const outcomes: Outcome[] = [];
    for (const scenario of scenarios) {
      const { status, body } = await apiGet(run.server, scenario.path);
      outcomes.push({ scenario, probe: { status, shape: shapeOf(body), body }, timing: newTiming() });
      console.log(
        `  probe ${scenario.label}: HTTP ${status}${status === 200 ? `, ${shapeOf(body)}` : ` — ${body.slice(0, 300)}`}`,
      );
    }
    const working = outcomes.filter((o) => o.probe.status === 200);

    // The rollups against the raw rows, through the API (a, c).
    const checks: string[] = [];
    const [probeA, probeC] = [outcomes[0], outcomes[2]];
    if (probeA?.probe.status === 200) {
      checks.push(
        ...compareFigures('(a)', summaryFigures(probeA.probe.body), rawFigures(projectId, from30Hour, HEAVY_PROMPT)),
      );
    }
    if (probeC?.probe.status === 200) {
      checks.push(...compareFigures('(c)', summaryFigures(probeC.probe.body), rawFigures(projectId, from30Hour, null)));
    }
    console.log(
      checks.length
        ? `Rollups disagree with the raw rows:\n  ${checks.join('\n  ')}`
        : 'Rollups match the raw rows for (a) and (c): calls, tokens, unpriced calls, exact cost.',
    );

    await timeInRounds(run, working, settings);

    // Side by side: the same requests against a second server whose sessions run with jit=on (the server turns it
    // off on its connections; an `options` parameter in the URL overrides that).
    const jitRows: JitComparison[] = [];
    if (settings.jitCompareRequests && working.length) {
      console.log(
        `Side by side with jit=on (options in a second server's URL): ${settings.jitCompareRequests} interleaved requests per scenario and server…`,
      );
      const jitUrl = new URL(db.url.toString());
      jitUrl.searchParams.set('options', '-c jit=on');
      const withJit = await startServer({
        db,
        logName: 'analytics-server-jit.log',
        logLevel: settings.logLevel,
        apiKey: run.server.apiKey,
        env: { DATABASE_URL: jitUrl.toString() },
      });
      try {
        await waitForHealth(withJit, 60_000);
        for (const outcome of working) jitRows.push(await compareJit(withJit, run.server, outcome.scenario));
      } finally {
        await stopServer(withJit);
      }
    }

    // 3. The rollup lag.
    let lag: Lag | null = null;
    try {
      lag = await measureLag(run.server);
    } finally {
      await removeTransientRows();
    }

    const rollerPlans: CapturedPlan[] = [];
    await captureServerPlans(
      run,
      working.map((outcome) => outcome.scenario.path),
      (index, plans) => {
        const outcome = working[index];
        if (outcome) outcome.captured = requestStatements(plans);
        rollerPlans.push(...plans.filter(isRollerStatement));
      },
    );

    console.log('EXPLAIN ANALYZE of the same figures computed from the raw executions (for comparison)…');
    for (const outcome of outcomes) {
      if (outcome.scenario.rawSql) outcome.rawPlan = await explain(db, outcome.scenario.rawSql);
    }

    // Report.
    console.log(
      `\n${fmt(dataSet.rows)} executions, ${fmt(rebuilt.rollupRows)} hourly rollup rows, ${os.cpus().length} CPUs, Node ${process.version}; ` +
        'sequential requests on one keep-alive connection (client and server share the machine; medians and ratios matter)\n',
    );
    const rows: string[][] = [
      [
        'scenario',
        'shape',
        'n',
        'median ms',
        'p95 ms',
        'max ms',
        'srv CPU ms/req',
        'target',
        'result',
        'server SQL ms',
        'raw-rows SQL ms',
      ],
    ];
    for (const outcome of outcomes) {
      const { latencies } = outcome.timing;
      const p95 = percentile(latencies, 95);
      const target = outcome.scenario.target;
      const statements = outcome.captured ?? [];
      rows.push([
        outcome.scenario.label,
        outcome.probe.status === 200 ? outcome.probe.shape : `HTTP ${outcome.probe.status}`,
        `${latencies.length}${outcome.timing.truncated ? '*' : ''}`,
        fmt(median(latencies), 1),
        fmt(p95, 1),
        latencies.length ? fmt(Math.max(...latencies), 1) : 'n/a',
        latencies.length ? fmt(outcome.timing.serverCpuMs / (latencies.length + outcome.timing.failures), 1) : 'n/a',
        target ? `p95 ≤ ${target} ms` : '',
        target && latencies.length ? (p95 <= target ? 'met' : 'MISSED') : '',
        statements.length
          ? `${fmt(
              statements.reduce((sum, p) => sum + p.summary.ms, 0),
              1,
            )} (${statements.length} stmts)`
          : '',
        outcome.rawPlan ? fmt(outcome.rawPlan.ms, 0) : '',
      ]);
    }
    console.log(table(rows));
    console.log(
      "server SQL ms: the request's statements on the rollups as the server ran them (auto_explain with ANALYZE, " +
        'so a little slower; some run concurrently); raw-rows SQL ms: EXPLAIN ANALYZE of the same figures from executions, warm.',
    );
    if (working.some((o) => o.timing.truncated)) {
      console.log(`* stopped at the ${settings.maxSeconds} s budget of the scenario (BENCH_ANALYTICS_MAX_SECONDS).`);
    }
    for (const outcome of outcomes) {
      if (outcome.timing.failures) {
        console.log(
          `${outcome.scenario.label}: ${outcome.timing.failures} failed requests, e.g. ${outcome.timing.sample}`,
        );
      }
    }

    if (jitRows.length) {
      console.log(
        "\nSide by side, interleaved: the same server code with PostgreSQL JIT on (?options=-c jit=on) and off (the server's default):\n",
      );
      const jitTable: string[][] = [
        ['scenario', 'n', 'median ms jit on', 'median ms jit off', 'on/off', 'p95 on', 'p95 off'],
      ];
      for (const row of jitRows) {
        jitTable.push([
          row.label,
          String(Math.min(row.jitOn.length, row.jitOff.length)),
          fmt(median(row.jitOn), 1),
          fmt(median(row.jitOff), 1),
          fmt(median(row.jitOn) / median(row.jitOff), 2),
          fmt(percentile(row.jitOn, 95), 1),
          fmt(percentile(row.jitOff, 95), 1),
        ]);
      }
      console.log(table(jitTable));
    }

    console.log(
      `\nRebuild: ${fmt(rebuilt.seconds, 1)} s wall clock for ${fmt(dataSet.rows)} executions (${rebuilt.output.split('\n').at(-1) ?? ''}); ` +
        (rebuilt.pendingAfterCommand
          ? `${fmt(rebuilt.pendingAfterCommand)} deltas left unfolded, rollups complete after ${fmt(rebuilt.completeSeconds, 1)} s; `
          : 'everything folded by the command; ') +
        `${rebuilt.vacuumSeconds === null ? '' : `then VACUUM ${fmt(rebuilt.vacuumSeconds, 1)} s, `}ANALYZE ${fmt(rebuilt.analyzeSeconds, 1)} s.`,
    );
    if (lag) {
      const { burst, poll } = lag;
      console.log(
        `Rollup lag: ${fmt(burst.created)} executions sent in ${fmt(lag.sendSeconds, 2)} s ` +
          `(${fmt(burst.created / lag.sendSeconds)} records/s; batch p50 ${fmt(median(burst.requestMs), 0)} ms, p99 ${fmt(percentile(burst.requestMs, 99), 0)} ms); ` +
          (poll.caughtUp
            ? `caught up ${fmt(poll.lagMs / 1000, 2)} s after the last acknowledgement (target ≤ ${TARGETS.lagMs / 1000} s: ${poll.lagMs <= TARGETS.lagMs ? 'met' : 'MISSED'}), `
            : `NOT caught up within ${settings.lagTimeoutSeconds} s, `) +
          `first counted after ${poll.firstSeenMs === null ? 'n/a' : `${fmt(poll.firstSeenMs / 1000, 2)} s`}, ${poll.polls} polls every ${settings.lagPollMs} ms.`,
      );
      console.log(
        `  cost: expected ${burst.expected.costUsd}, summary ${poll.last?.costUsd ?? 'n/a'} → ${lag.costExact === null ? 'not compared' : lag.costExact ? 'exact' : 'MISMATCH'}; ` +
          `tokens in/out ${fmt(burst.expected.inputTokens)}/${fmt(burst.expected.outputTokens)}.`,
      );
      for (const problem of lag.problems) console.log(`  problem: ${problem}`);
    }
    const deltasAtEnd = deltaTable();
    if (rebuilt.deltasBeforeVacuum) console.log(`After the rebuild: ${describeDeltas(rebuilt.deltasBeforeVacuum)}`);
    console.log(
      `Before the reads:  ${describeDeltas(deltasAfterRebuild)}\nAt the end:        ${describeDeltas(deltasAtEnd)}`,
    );
    if (rollerPlans.length) {
      const ms = rollerPlans.map((p) => p.summary.ms);
      const worst = slowest(rollerPlans);
      console.log(
        `The roller's fold, ${rollerPlans.length} runs seen during the plan capture: median ${fmt(median(ms), 1)} ms, max ${fmt(Math.max(...ms), 1)} ms` +
          (worst
            ? `; slowest: ${worst.summary.top}, buffers hit ${fmt(worst.summary.sharedHit)} read ${fmt(worst.summary.sharedRead)}`
            : ''),
      );
    }

    console.log("\nPlans (warm): the server's statements on the rollups per request (auto_explain):");
    for (const outcome of outcomes) {
      for (const captured of outcome.captured ?? []) {
        console.log(`  ${outcome.scenario.label}: ${describePlan(captured.summary)}`);
      }
    }
    for (const outcome of outcomes) {
      const captured = slowest(outcome.captured);
      if (captured && captured.summary.ms > 20) {
        console.log(`\nSlow server statement ${outcome.scenario.label}:\n${captured.query}\n${captured.summary.text}`);
      }
    }

    console.log(`\nCommand: ${command()}`);
    const file = writeResults('analytics', {
      command: command(),
      settings,
      postgresSettings,
      dataSet: { ...dataSet, apiKey: undefined, description: describeDataSet(db) },
      rebuild: rebuilt,
      deltaTable: { afterRebuild: deltasAfterRebuild, atEnd: deltaTable() },
      jitComparison: jitRows,
      rollerPlans,
      rollupChecks: checks,
      outcomes: outcomes.map((o) => ({
        key: o.scenario.key,
        label: o.scenario.label,
        path: o.scenario.path,
        probe: {
          status: o.probe.status,
          shape: o.probe.shape,
          body: o.probe.status === 200 ? undefined : o.probe.body,
        },
        medianMs: median(o.timing.latencies),
        p95Ms: percentile(o.timing.latencies, 95),
        timing: o.timing,
        captured: o.captured,
        rawSql: o.scenario.rawSql,
        rawPlan: o.rawPlan,
      })),
      lag: lag && {
        promptId: lag.promptId,
        expected: lag.burst.expected,
        created: lag.burst.created,
        sendSeconds: lag.sendSeconds,
        batchMs: lag.burst.requestMs,
        caughtUp: lag.poll.caughtUp,
        lagMs: lag.poll.lagMs,
        firstSeenMs: lag.poll.firstSeenMs,
        polls: lag.poll.polls,
        last: lag.poll.last,
        costExact: lag.costExact,
        problems: lag.problems,
      },
    });
    console.log(`Raw figures: ${file}`);
    const failed =
      outcomes.some((o) => o.probe.status !== 200 || o.timing.failures > 0) ||
      checks.length > 0 ||
      !lag?.poll.caughtUp ||
      lag.problems.length > 0;
    if (failed) console.log(`Something failed or disagreed: see above and the server log ${run.server.logFile}`);
    return failed ? 1 : 0;
  });
}

runBenchmark(main);
