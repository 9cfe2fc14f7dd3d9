// `pnpm bench:otlp`: the OTLP receiver side by side with the REST batch endpoint in one run on one server.
// Batches of 100 LLM spans (~2 KB of messages each) are exported as protobuf to /api/otel/v1/traces, and the same
// executions are sent as JSON to /api/v1/executions/batch, in alternating runs; medians and their ratio are
// reported, and SQL checks that every acknowledged span and record was stored exactly once.
import { randomFillSync } from 'node:crypto';
import os from 'node:os';
import autocannon, { type RequestContext, type RequestParams } from 'autocannon';
import { otlpJson, otlpProtobuf, type TestSpan } from '../apps/server/src/features/otlp/test-spans';
import { uuidv7 } from '../apps/server/src/lib/ids';
import {
  benchDatabase,
  cpuMs,
  dropDatabase,
  envNumber,
  fmt,
  median,
  psql,
  recreateDatabase,
  runBenchmark,
  type Server,
  serverPidOf,
  startServer,
  stopServer,
  table,
  waitForHealth,
  watchdog,
} from './harness';

const settings = {
  duration: envNumber('BENCH_DURATION', 10),
  runs: Math.round(envNumber('BENCH_RUNS', 3)),
  warmup: envNumber('BENCH_WARMUP', 3),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 6)),
  batchSize: Math.round(envNumber('BENCH_BATCH_SIZE', 100)),
  messageBytes: Math.round(envNumber('BENCH_MESSAGE_BYTES', 2_000)),
  keepDatabase: process.env.BENCH_KEEP_DATABASE === '1',
};
const TARGET_RATIO = 0.7;

const db = benchDatabase('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/promptlog_bench_otlp');

type Path = 'otlp' | 'rest';
const PROMPT: Record<Path, string> = { otlp: 'bench-otlp', rest: 'bench-rest' };
const acknowledged: Record<Path, number> = { otlp: 0, rest: 0 };
const problems: string[] = [];

const TICKET =
  'Hi, I ordered the Orbit Smart Thermostat two weeks ago and it still has not arrived. The tracking page has not ' +
  'updated in five days and nobody answers the phone. I need it before the weekend because the old one is broken. ';
const SYSTEM = "You are Acme's support assistant. Be concise and empathetic. Look up orders before answering.";
const ANSWER =
  'Hi Maria, I checked order A-482133: the parcel is with DHL and was last scanned at the regional hub. It should arrive within two business days.';

function ticketText(): string {
  return TICKET.repeat(Math.ceil(settings.messageBytes / TICKET.length)).slice(0, settings.messageBytes);
}

/** One batch of LLM spans as protobuf, encoded once; each request copies it and writes fresh trace and span ids. */
function otlpBatchFactory() {
  const startMs = Date.now() - 60_000;
  const spans: TestSpan[] = Array.from({ length: settings.batchSize }, (_, i) => ({
    name: 'chat gpt-4o-mini',
    startMs: startMs + i,
    durationMs: 1_840,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1_250,
      'gen_ai.usage.output_tokens': 180,
      'gen_ai.usage.cache_read.input_tokens': 1_024,
      'gen_ai.request.temperature': 0.3,
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: SYSTEM }]),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: ticketText() }] }]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' },
      ]),
      'promptlog.prompt.id': PROMPT.otlp,
      'promptlog.prompt.version': 2,
      'promptlog.inputs': JSON.stringify({ customer_name: 'Maria Lopez', order_id: 'A-482133' }),
    },
  }));
  const request = otlpJson(spans, { 'service.name': 'bench' });
  const template = otlpProtobuf(request);
  const idOffsets = (request.resourceSpans[0]?.scopeSpans[0]?.spans ?? []).flatMap((span) => [
    { at: template.indexOf(Buffer.from(span.traceId, 'hex')), length: 16 },
    { at: template.indexOf(Buffer.from(span.spanId, 'hex')), length: 8 },
  ]);
  if (idOffsets.some((o) => o.at < 0)) throw new Error('could not locate the span ids in the encoded batch');
  return {
    bytes: template.length,
    next(): Buffer {
      const body = Buffer.from(template);
      for (const { at, length } of idOffsets) randomFillSync(body, at, length);
      return body;
    },
  };
}

/** The same executions as REST records, serialised once; each request inserts fresh ids. */
function restBatchFactory() {
  const tail = JSON.stringify({
    promptId: PROMPT.rest,
    promptVersion: 2,
    status: 'success',
    source: { type: 'api', id: 'bench' },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    latencyMs: 1_840,
    inputs: { customer_name: 'Maria Lopez', order_id: 'A-482133' },
    request: {
      systemPrompt: SYSTEM,
      messages: [{ role: 'user', content: ticketText() }],
      parameters: { temperature: 0.3 },
    },
    output: ANSWER,
    usage: { inputTokens: 1_250, outputTokens: 180, cacheReadTokens: 1_024 },
    metadata: { finishReason: 'stop' },
  }).slice(1);
  return {
    next(): { body: string; count: number } {
      const records: string[] = [];
      for (let i = 0; i < settings.batchSize; i++) records.push(`{"id":"${uuidv7()}",${tail}`);
      return { body: `{"executions":[${records.join(',')}]}`, count: settings.batchSize };
    },
  };
}

interface RunStats {
  path: Path;
  label: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuMsPer1k: number;
  non2xx: number;
}

async function run(server: Server, serverPid: number, path: Path, label: string, seconds: number): Promise<RunStats> {
  const otlp = otlpBatchFactory();
  const rest = restBatchFactory();
  let stored = 0;
  const setupRequest = (request: RequestParams, context: RequestContext): RequestParams => {
    if (path === 'otlp') {
      context.count = settings.batchSize;
      return { ...request, body: otlp.next() };
    }
    const batch = rest.next();
    context.count = batch.count;
    return { ...request, body: batch.body };
  };
  const onResponse = (status: number, body: string, context: RequestContext): void => {
    const count = Number(context.count);
    if (status !== 200) {
      if (problems.length < 10) problems.push(`${path} HTTP ${status}: ${String(body).slice(0, 300)}`);
      return;
    }
    // An empty ExportTraceServiceResponse means every span was accepted; REST answers one result per record.
    const accepted =
      path === 'otlp'
        ? String(body).length === 0
          ? count
          : 0
        : (String(body).match(/"status":"created"/g)?.length ?? 0);
    if (accepted !== count && problems.length < 10)
      problems.push(`${path}: ${accepted} of ${count} accepted: ${String(body).slice(0, 300)}`);
    stored += accepted;
    acknowledged[path] += accepted;
  };
  const cpuBefore = cpuMs(serverPid);
  const result = await autocannon({
    url: server.baseUrl,
    connections: settings.connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: path === 'otlp' ? '/api/otel/v1/traces' : '/api/v1/executions/batch',
        headers: {
          authorization: `Bearer ${server.apiKey}`,
          'content-type': path === 'otlp' ? 'application/x-protobuf' : 'application/json',
        },
        setupRequest,
        onResponse,
      },
    ],
  });
  const cpu = cpuMs(serverPid) - cpuBefore;
  const elapsed = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    path,
    label,
    perSecond: stored / elapsed,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverCpuMsPer1k: stored ? (cpu / stored) * 1000 : Number.NaN,
    non2xx: result.non2xx,
  };
}

function command(): string {
  const env = Object.entries(process.env)
    .filter(([key]) => key.startsWith('BENCH_'))
    .map(([key, value]) => `${key}=${value}`);
  return [...env, 'pnpm bench:otlp'].join(' ');
}

async function main(): Promise<number> {
  console.log(`OTLP receiver benchmark: ${command()}`);
  const postgresVersion = recreateDatabase(db);
  const server = await startServer({ db, logName: 'otlp-server.log' });
  const budgetMs = (240 + 4 * (settings.warmup + settings.runs * settings.duration)) * 1000;
  const timer = watchdog(server, budgetMs);
  try {
    await waitForHealth(server, 180_000);
    const serverPid = serverPidOf(server);
    console.log(
      `Server ${server.baseUrl}, pid ${serverPid}. Batches of ${settings.batchSize} spans, ` +
        `${fmt(otlpBatchFactory().bytes / 1024)} KiB protobuf vs ${fmt(restBatchFactory().next().body.length / 1024)} KiB JSON.`,
    );
    const runs: RunStats[] = [];
    const report = (s: RunStats) =>
      console.log(
        `  ${s.label.padEnd(12)} ${fmt(s.perSecond).padStart(7)} executions/s  p50 ${fmt(s.p50Ms, 1).padStart(6)} ms  ` +
          `p99 ${fmt(s.p99Ms, 1).padStart(6)} ms  server CPU ${fmt(s.serverCpuMsPer1k).padStart(4)} ms/1k${s.non2xx ? `  non-2xx ${s.non2xx}` : ''}`,
      );
    for (const path of ['otlp', 'rest'] as const)
      report(await run(server, serverPid, path, `${path} warm-up`, settings.warmup));
    // Alternating, so drift on a shared machine affects both paths alike.
    for (let i = 1; i <= settings.runs; i++) {
      for (const path of ['otlp', 'rest'] as const) {
        const stats = await run(server, serverPid, path, `${path} #${i}`, settings.duration);
        runs.push(stats);
        report(stats);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const of = (path: Path) => runs.filter((r) => r.path === path);
    const summary = (path: Path) => ({
      perSecond: median(of(path).map((r) => r.perSecond)),
      p99Ms: median(of(path).map((r) => r.p99Ms)),
      cpu: median(of(path).map((r) => r.serverCpuMsPer1k)),
    });
    const otlp = summary('otlp');
    const rest = summary('rest');
    const ratio = otlp.perSecond / rest.perSecond;
    const counts = psql(
      db.url,
      `select prompt_id, count(*), count(distinct id) from executions where prompt_id in ('${PROMPT.otlp}', '${PROMPT.rest}') group by prompt_id order by prompt_id`,
    );
    const stored = Object.fromEntries(
      counts.split('\n').map((line) => {
        const [prompt, total, distinct] = line.split('|');
        return [prompt, { total: Number(total), distinct: Number(distinct) }];
      }),
    );
    const exact = (['otlp', 'rest'] as const).every((path) => {
      const s = stored[PROMPT[path]];
      return s !== undefined && s.total === s.distinct && s.total >= acknowledged[path];
    });

    console.log(
      `\nMedian of ${settings.runs} × ${settings.duration} s runs at ${settings.connections} connections — ${os.cpus().length} CPUs, ` +
        `Node ${process.version}, PostgreSQL ${postgresVersion} (client and server share the machine)\n`,
    );
    console.log(
      table([
        ['path', 'executions/s', 'p99 ms', 'server CPU ms/1k'],
        ['OTLP protobuf', fmt(otlp.perSecond), fmt(otlp.p99Ms, 1), fmt(otlp.cpu)],
        ['REST batch JSON', fmt(rest.perSecond), fmt(rest.p99Ms, 1), fmt(rest.cpu)],
        [
          'OTLP / REST',
          `${fmt(ratio, 2)}×`,
          '',
          `target ≥ ${TARGET_RATIO}× ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
        ],
      ]),
    );
    for (const path of ['otlp', 'rest'] as const) {
      const s = stored[PROMPT[path]];
      console.log(
        `${path}: ${fmt(acknowledged[path])} acknowledged, ${fmt(s?.total ?? 0)} stored (${fmt(s?.distinct ?? 0)} distinct)`,
      );
    }
    console.log(exact ? 'Nothing lost, no duplicates.' : 'MISMATCH between acknowledged and stored executions.');
    for (const problem of problems) console.log(`  ${problem}`);
    return exact ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await stopServer(server);
    if (!settings.keepDatabase) dropDatabase(db);
  }
}

runBenchmark(main);
