// `pnpm bench:list`: generates a large synthetic data set with SQL on a dedicated local PostgreSQL
// database (1M executions over 90 days by default), starts the real server against it and times the
// Logs tab's read API through HTTP: first pages, filtered pages, a deep keyset page, pages sorted by latency, text search, the
// detail endpoint and the prompt list. Prints medians and p95s and EXPLAIN summaries of the list SQL.
import os from 'node:os';
import autocannon from 'autocannon';
import {
  apiGet,
  envNumber,
  fmt,
  median,
  newTiming,
  percentile,
  postgresSettingsOf,
  psql,
  runBenchmark,
  type Server,
  type Timing,
  table,
  timeInRounds,
  writeResults,
} from './harness';
import { HEAVY_PROMPT, SEARCH_WORDS } from './list-data';
import {
  captureServerPlans,
  dataSetSizeFromEnv,
  describeDataSet,
  describeStorage,
  listBenchCommand,
  listDatabase,
  withListDataSet,
} from './list-dataset';
import { type CapturedPlan, describePlan, explain, type PlanSummary, slowest } from './plans';

const settings = {
  ...dataSetSizeFromEnv(),
  requests: Math.round(envNumber('BENCH_LIST_REQUESTS', 200)),
  warmup: Math.round(envNumber('BENCH_LIST_WARMUP', 20)),
  rounds: Math.round(envNumber('BENCH_LIST_ROUNDS', 4)),
  deepPages: Math.round(envNumber('BENCH_LIST_DEEP_PAGES', 200)),
  connections: Math.round(envNumber('BENCH_LIST_CONNECTIONS', 4)),
  duration: envNumber('BENCH_LIST_DURATION', 5),
  /** Per scenario, for its sequential requests: a slow endpoint gets fewer samples instead of a stuck run. */
  maxSeconds: envNumber('BENCH_LIST_MAX_SECONDS', 60),
  reuse: process.env.BENCH_REUSE === '1',
  dropAfter: process.env.BENCH_DROP_DATABASE === '1',
  logLevel: process.env.BENCH_LOG_LEVEL,
  /** The server's own variable and default: how many executions one search request reads. */
  searchBudget: Math.round(envNumber('PROMPTLOG_SEARCH_SCAN_EXECUTIONS', 5_000)),
};

const db = listDatabase();
const LIMIT = 50;
const TARGET_P95_MS = 25;

const command = () =>
  listBenchCommand('bench:list', settings, [
    ['BENCH_LIST_REQUESTS', settings.requests, 200],
    ['BENCH_LIST_WARMUP', settings.warmup, 20],
    ['BENCH_LIST_ROUNDS', settings.rounds, 4],
    ['BENCH_LIST_DEEP_PAGES', settings.deepPages, 200],
    ['BENCH_LIST_CONNECTIONS', settings.connections, 4],
    ['BENCH_LIST_DURATION', settings.duration, 5],
    ['BENCH_LIST_MAX_SECONDS', settings.maxSeconds, 60],
  ]);

// ---------------------------------------------------------------------------------------------
// HTTP.

interface Scenario {
  key: string;
  label: string;
  path: string;
  target?: number;
  throughput: boolean;
  /** Set when the reproduced SQL can be EXPLAINed. */
  sql?: string;
}

interface Probe {
  status: number;
  items: number | null;
  nextCursor: string | null;
  body: string;
}

async function probe(server: Server, path: string): Promise<Probe> {
  const { status, body } = await apiGet(server, path);
  let items: number | null = null;
  let nextCursor: string | null = null;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      if ('items' in parsed && Array.isArray(parsed.items)) items = parsed.items.length;
      if ('nextCursor' in parsed && typeof parsed.nextCursor === 'string') nextCursor = parsed.nextCursor;
    }
  } catch {
    // Not JSON: reported through status and body.
  }
  return { status, items, nextCursor, body };
}

interface Throughput {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function throughput(server: Server, scenario: Scenario): Promise<Throughput> {
  const result = await autocannon({
    url: `${server.baseUrl}${scenario.path}`,
    connections: settings.connections,
    duration: settings.duration,
    timeout: 30,
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000 || settings.duration;
  const ok = Object.entries(result.statusCodeStats)
    .filter(([code]) => code === '200')
    .reduce((sum, [, stats]) => sum + stats.count, 0);
  return {
    requestsPerSecond: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

// ---------------------------------------------------------------------------------------------
// The list SQL, reproduced from apps/server/src/features/logs/queries.ts for EXPLAIN.

const LIST_COLUMNS = `id, prompt_id, prompt_version, status, source_type, source_id, source_url, model, provider,
  to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), latency_ms, input_tokens,
  output_tokens, trim_scale(cost_usd)::text, cost_origin, error_type, tags, attempt, generation,
  trace_step_index, trace_step_type`;

const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;

function listSql(projectId: string, conditions: string[]): string {
  return `select ${LIST_COLUMNS} from executions
where ${[`project_id = ${lit(projectId)}`, `prompt_id in (${lit(HEAVY_PROMPT)})`, ...conditions].join(' and ')}
order by executions.started_at desc nulls last, executions.id desc nulls last limit ${LIMIT + 1}`;
}

const searchSql = (word: string) => {
  const matches = `strpos(lower(concat_ws(' ', p.inputs::text, p.output::text, p.error::text)), lower(${lit(word)})) > 0`;
  return `(exists (
    select 1 from execution_payloads p
    where p.project_id = executions.project_id and p.execution_id = executions.id
      and p.started_at = executions.started_at and ${matches})
  or exists (
    select 1 from execution_payloads_default p
    where p.project_id = executions.project_id and p.execution_id = executions.id
      and p.started_at is null and ${matches}))`;
};

/**
 * A page sorted by latency, slowest first, as apps/server/src/features/logs/queries.ts reads it: the values after the
 * cursor, then the NULLs, each a limited index range, merged.
 */
function latencySql(projectId: string, conditions: string[], after?: { latencyMs: string; id: string }): string {
  const where = [`project_id = ${lit(projectId)}`, `prompt_id in (${lit(HEAVY_PROMPT)})`, ...conditions].join(' and ');
  const keyset = after ? ` and (latency_ms, id) < (${after.latencyMs}, ${lit(after.id)}::uuid)` : '';
  const segment = (present: boolean) =>
    `(select ${LIST_COLUMNS}, latency_ms as sort_value from executions
  where ${where} and latency_ms is ${present ? 'not null' : 'null'}${present ? keyset : ''}
  order by latency_ms desc, id desc limit ${LIMIT + 1})`;
  return `${segment(true)} union all ${segment(false)}
order by sort_value desc nulls last, id desc limit ${LIMIT + 1}`;
}

/** Where the server stops one search request: the oldest of the next `searchBudget` rows the other filters select. */
function searchEdgeSql(projectId: string, conditions: string[]): string {
  return `(started_at, id) >= (select started_at, id from executions
  where ${[`project_id = ${lit(projectId)}`, `prompt_id in (${lit(HEAVY_PROMPT)})`, ...conditions].join(' and ')}
  order by started_at desc nulls last, id desc nulls last offset ${settings.searchBudget - 1} limit 1)`;
}

// ---------------------------------------------------------------------------------------------

interface Outcome {
  scenario: Scenario;
  probe: Probe;
  timing: Timing;
  throughput?: Throughput;
  plan?: PlanSummary;
  /** What the server ran for one request, from auto_explain. */
  captured?: CapturedPlan[];
  /** The first request after a server restart: no pooled connection, no prepared statement, cold JavaScript. */
  firstAfterRestartMs?: number;
}

async function main(): Promise<number> {
  console.log(`List benchmark: ${command()}`);
  const postgresSettings = postgresSettingsOf(db);
  return withListDataSet({ db, settings, logName: 'list-server.log' }, async (run) => {
    const { dataSet } = run;
    const { projectId } = dataSet;
    console.log(`Data set: ${describeDataSet(db)}`);
    console.log(`Storage: ${describeStorage(db, dataSet.rows)}`);
    console.log(`PostgreSQL: ${postgresSettings}`);

    // Parameters: the last 30 days for text search, an execution with a trace for the detail.
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const detailId = psql(
      db.url,
      `select id from executions where project_id = '${projectId}' and prompt_id = '${HEAVY_PROMPT}'
       and trace_id is not null order by started_at desc limit 1 offset 100`,
    );
    const base = `/api/v1/executions?promptId=${encodeURIComponent(HEAVY_PROMPT)}&limit=${LIMIT}`;
    const filters = '&source=workflow&status=error&version=3';
    const search = (word: string) => `${base}&from=${encodeURIComponent(from)}&q=${encodeURIComponent(word)}`;
    const fromSql = `started_at >= ${lit(from)}`;

    // (c) Walk the keyset pages of (a); the walk also times "next page" requests.
    console.log(`Following nextCursor for ${settings.deepPages} pages of ${LIMIT}…`);
    let cursor: string | null = null;
    const walkLatencies: number[] = [];
    let walkFailure = '';
    for (let page = 0; page < settings.deepPages; page++) {
      const started = performance.now();
      const result: Probe = await probe(run.server, `${base}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      walkLatencies.push(performance.now() - started);
      if (result.status !== 200 || !result.nextCursor) {
        walkFailure = `page ${page + 1}: HTTP ${result.status}${result.nextCursor ? '' : ', no nextCursor'} ${result.body.slice(0, 300)}`;
        break;
      }
      cursor = result.nextCursor;
    }
    const deepOffset = settings.deepPages * LIMIT;
    const deepPosition = psql(
      db.url,
      `select to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), id from executions
       where project_id = '${projectId}' and prompt_id = '${HEAVY_PROMPT}'
       order by started_at desc, id desc offset ${deepOffset - 1} limit 1`,
    ).split('|');
    const deepCondition = `(started_at, id) < (${lit(deepPosition[0] ?? '')}::timestamptz, ${lit(deepPosition[1] ?? '')}::uuid)`;

    // (h) and (i): sorted by latency over the last 30 days, the first page and one deep in the walk of that order.
    const sorted = `${base}&from=${encodeURIComponent(from)}&sort=latency_desc`;
    const sortedPages = Math.max(1, Math.round(settings.deepPages / 4));
    let sortedCursor: string | null = null;
    for (let page = 0; page < sortedPages; page++) {
      const result: Probe = await probe(
        run.server,
        `${sorted}${sortedCursor ? `&cursor=${encodeURIComponent(sortedCursor)}` : ''}`,
      );
      if (result.status !== 200 || !result.nextCursor) break;
      sortedCursor = result.nextCursor;
    }
    const [sortedLatency = '0', sortedId = ''] = psql(
      db.url,
      `select latency_ms, id from executions where project_id = '${projectId}' and prompt_id = '${HEAVY_PROMPT}'
       and ${fromSql} and latency_ms is not null order by latency_ms desc, id desc offset ${sortedPages * LIMIT - 1} limit 1`,
    ).split('|');

    const scenarios: Scenario[] = [
      {
        key: 'a',
        label: '(a) first page',
        path: base,
        throughput: true,
        sql: listSql(projectId, []),
      },
      {
        key: 'b',
        label: '(b) workflow+error+v3',
        path: `${base}${filters}`,
        target: TARGET_P95_MS,
        throughput: true,
        sql: listSql(projectId, ["status in ('error')", "source_type in ('workflow')", 'prompt_version in (3)']),
      },
      {
        key: 'c',
        label: `(c) page ${settings.deepPages + 1} (cursor)`,
        path: cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base,
        target: TARGET_P95_MS,
        throughput: true,
        sql: listSql(projectId, [deepCondition]),
      },
      {
        key: 'd',
        label: `(d) q=${SEARCH_WORDS.latin} 30d`,
        path: search(SEARCH_WORDS.latin),
        throughput: true,
        sql: listSql(projectId, [fromSql, searchSql(SEARCH_WORDS.latin), searchEdgeSql(projectId, [fromSql])]),
      },
      {
        key: 'e',
        label: `(e) q=${SEARCH_WORDS.nonLatin} 30d`,
        path: search(SEARCH_WORDS.nonLatin),
        throughput: true,
        sql: listSql(projectId, [fromSql, searchSql(SEARCH_WORDS.nonLatin), searchEdgeSql(projectId, [fromSql])]),
      },
      {
        key: 'd0',
        label: `(d0) q=<no match> 30d`,
        path: search(SEARCH_WORDS.absent),
        throughput: true,
        sql: listSql(projectId, [fromSql, searchSql(SEARCH_WORDS.absent), searchEdgeSql(projectId, [fromSql])]),
      },
      {
        key: 'h',
        label: '(h) sort=latency_desc 30d',
        path: sorted,
        target: TARGET_P95_MS,
        throughput: true,
        sql: latencySql(projectId, [fromSql]),
      },
      {
        key: 'i',
        label: `(i) sort=latency_desc 30d, page ${sortedPages + 1}`,
        path: sortedCursor ? `${sorted}&cursor=${encodeURIComponent(sortedCursor)}` : sorted,
        target: TARGET_P95_MS,
        throughput: true,
        sql: latencySql(projectId, [fromSql], { latencyMs: sortedLatency, id: sortedId }),
      },
      {
        key: 'f',
        label: '(f) detail',
        path: `/api/v1/executions/${detailId}`,
        throughput: true,
      },
      {
        key: 'g',
        label: '(g) prompts',
        path: '/api/v1/prompts',
        throughput: true,
      },
    ];

    const outcomes: Outcome[] = [];
    for (const scenario of scenarios) {
      const first = await probe(run.server, scenario.path);
      outcomes.push({ scenario, probe: first, timing: newTiming() });
      const shape = first.items === null ? '' : `, ${first.items} items${first.nextCursor ? ', nextCursor' : ''}`;
      console.log(
        `  probe ${scenario.label}: HTTP ${first.status}${shape}${first.status === 200 ? '' : ` — ${first.body.slice(0, 300)}`}`,
      );
    }
    const working = outcomes.filter((o) => o.probe.status === 200);

    await timeInRounds(run, working, settings);

    console.log(`Throughput at concurrency ${settings.connections}, ${settings.duration} s each…`);
    for (const outcome of working) {
      const slow = median(outcome.timing.latencies) > 250;
      if (outcome.scenario.throughput && !slow) outcome.throughput = await throughput(run.server, outcome.scenario);
    }

    console.log('The first request of each scenario after a server restart…');
    for (const outcome of working) {
      await run.restart();
      const started = performance.now();
      await apiGet(run.server, outcome.scenario.path);
      outcome.firstAfterRestartMs = performance.now() - started;
    }

    await captureServerPlans(
      run,
      working.map((outcome) => outcome.scenario.path),
      (index, plans) => {
        const outcome = working[index];
        // Not the analytics roller's fold, which runs every second whatever the request.
        if (outcome) outcome.captured = plans.filter((p) => !/execution_rollup_deltas/.test(p.query));
      },
    );

    console.log(
      'EXPLAIN (ANALYZE, BUFFERS) of the list SQL as reproduced from apps/server/src/features/logs/queries.ts…',
    );
    for (const outcome of outcomes) {
      if (outcome.scenario.sql) outcome.plan = await explain(db, outcome.scenario.sql);
    }

    // Report.
    console.log(
      `\n${fmt(dataSet.rows)} executions, ${os.cpus().length} CPUs, Node ${process.version}; sequential requests on one keep-alive connection ` +
        `(client and server share the machine; medians and ratios matter, not single figures)\n`,
    );
    const walkSteady = walkLatencies.slice(1);
    const rows: string[][] = [
      [
        'scenario',
        'items',
        'n',
        'median ms',
        'p95 ms',
        'max ms',
        'first after restart ms',
        'srv CPU ms/req',
        `req/s @${settings.connections}`,
        'target',
        'result',
        'server SQL ms',
        'repro SQL ms',
      ],
    ];
    for (const outcome of outcomes) {
      const { latencies } = outcome.timing;
      const p95 = percentile(latencies, 95);
      const target = outcome.scenario.target;
      rows.push([
        outcome.scenario.label,
        outcome.probe.status === 200 ? String(outcome.probe.items ?? '—') : `HTTP ${outcome.probe.status}`,
        `${latencies.length}${outcome.timing.truncated ? '*' : ''}`,
        fmt(median(latencies), 1),
        fmt(p95, 1),
        fmt(Math.max(...latencies), 1),
        outcome.firstAfterRestartMs === undefined ? '' : fmt(outcome.firstAfterRestartMs, 1),
        latencies.length ? fmt(outcome.timing.serverCpuMs / (latencies.length + outcome.timing.failures), 1) : 'n/a',
        outcome.throughput ? fmt(outcome.throughput.requestsPerSecond) : '—',
        target ? `p95 ≤ ${target} ms` : '',
        target && latencies.length ? (p95 <= target ? 'met' : 'MISSED') : '',
        fmt(slowest(outcome.captured)?.summary.ms ?? Number.NaN, 1),
        outcome.plan ? fmt(outcome.plan.ms, 1) : '',
      ]);
    }
    rows.push([
      `(c') keyset walk, pages 2–${walkLatencies.length}`,
      '',
      String(walkSteady.length),
      fmt(median(walkSteady), 1),
      fmt(percentile(walkSteady, 95), 1),
      walkSteady.length ? fmt(Math.max(...walkSteady), 1) : 'n/a',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    console.log(table(rows));
    console.log(
      'server SQL ms: the slowest statement of one request as the server ran it (auto_explain with ANALYZE, so a little slower); ' +
        'repro SQL ms: EXPLAIN ANALYZE of the list SQL rebuilt by this benchmark.',
    );
    if (working.some((o) => o.timing.truncated)) {
      console.log(`* stopped at the ${settings.maxSeconds} s budget of the scenario (BENCH_LIST_MAX_SECONDS).`);
    }
    if (walkFailure) console.log(`Keyset walk stopped early: ${walkFailure}`);
    for (const outcome of outcomes) {
      if (outcome.timing.failures) {
        console.log(
          `${outcome.scenario.label}: ${outcome.timing.failures} failed requests, e.g. ${outcome.timing.sample}`,
        );
      }
      if (outcome.throughput && (outcome.throughput.non2xx || outcome.throughput.errors)) {
        console.log(
          `${outcome.scenario.label} under load: ${outcome.throughput.non2xx} non-2xx, ${outcome.throughput.errors} errors`,
        );
      }
    }

    console.log("\nPlans (warm): the server's slowest statement per request (auto_explain), then the reproduced SQL:");
    for (const outcome of outcomes) {
      const captured = slowest(outcome.captured);
      if (captured) {
        console.log(
          `  ${outcome.scenario.label} server (${outcome.captured?.length ?? 0} statements): ${describePlan(captured.summary)}`,
        );
      }
      if (outcome.plan) console.log(`  ${outcome.scenario.label} repro: ${describePlan(outcome.plan)}`);
    }
    for (const outcome of outcomes) {
      const captured = slowest(outcome.captured);
      if (captured && captured.summary.ms > 10) {
        console.log(`\nSlow server statement ${outcome.scenario.label}:\n${captured.query}\n${captured.summary.text}`);
      } else if (!captured && outcome.plan && outcome.plan.ms > 10) {
        console.log(
          `\nSlow reproduced statement ${outcome.scenario.label}:\n${outcome.scenario.sql}\n${outcome.plan.text}`,
        );
      }
    }

    console.log(`\nCommand: ${command()}`);
    const file = writeResults('list', {
      command: command(),
      settings,
      postgresSettings,
      dataSet: { ...dataSet, apiKey: undefined, description: describeDataSet(db) },
      keysetWalk: { latencies: walkLatencies, failure: walkFailure },
      outcomes: outcomes.map((o) => ({
        key: o.scenario.key,
        label: o.scenario.label,
        path: o.scenario.path,
        probe: {
          status: o.probe.status,
          items: o.probe.items,
          body: o.probe.status === 200 ? undefined : o.probe.body,
        },
        medianMs: median(o.timing.latencies),
        p95Ms: percentile(o.timing.latencies, 95),
        timing: o.timing,
        throughput: o.throughput,
        sql: o.scenario.sql,
        plan: o.plan,
        captured: o.captured,
      })),
    });
    console.log(`Raw figures: ${file}`);
    const failed = outcomes.some((o) => o.probe.status !== 200 || o.timing.failures > 0);
    if (failed) console.log(`Some requests failed: see the server log ${run.server.logFile}`);
    return failed ? 1 : 0;
  });
}

runBenchmark(main);
