import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { memoryKb, percentile } from '../../bench/harness';
import { createDatabase, storedState } from '../src/database';
import { reportFigure } from '../src/figures';
import { longestUnhealthyStretchMs, type Probe, startHealthProber } from '../src/health-prober';
import { runIngestLoad } from '../src/ingest-load';
import { ServerProcess, sleep } from '../src/server-process';

const CONNECTIONS = 200;
const SECONDS = 20;
const CHECK = `Overload (${CONNECTIONS} clients of 100-record batches, ${SECONDS} s)`;
/** The memory ceiling the server is started with (PROMPTLOG_MAX_RSS_MB), which its RSS must stay under. */
const RSS_CEILING_MB = 768;
const HEALTH_TIMEOUT_MS = 1_000;
/**
 * On the main port a probe waits behind the connections accepted before it, one per event-loop turn (libuv ≥ 1.45):
 * seconds while 200 clients connect at once. There the bound is what decides a restart (Kubernetes' default liveness
 * probe: 3 failures 10 s apart); the probe port (PROMPTLOG_HEALTH_PORT) must answer every probe within the second.
 */
const MAIN_PORT_UNHEALTHY_STRETCH_BOUND_MS = 30_000;
/** Accepted requests wait for at most PROMPTLOG_MAX_REQUESTS_IN_PROGRESS (32) others: a few seconds here at worst. */
const ACCEPTED_P99_BOUND_MS = 10_000;

let server: ServerProcess;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createDatabase(inject('postgresUrl'), 'reliability_overload');
  server = await ServerProcess.start({
    databaseUrl,
    name: 'overload',
    env: { PROMPTLOG_MAX_RSS_MB: String(RSS_CEILING_MB) },
  });
});
afterAll(async () => {
  await server?.stop();
});

it('sheds what it cannot serve with 503 and Retry-After, within its memory, while health keeps answering', async () => {
  let loading = true;
  let peakRssKb = 0;
  const probePortProber = startHealthProber(server.healthProbeUrl, HEALTH_TIMEOUT_MS * 3);
  const mainPortProber = startHealthProber(`${server.baseUrl}/api/health`, HEALTH_TIMEOUT_MS * 3);
  const watchMemory = (async () => {
    while (loading) {
      peakRssKb = Math.max(peakRssKb, memoryKb(server.pid).rss);
      await sleep(100);
    }
  })();

  // Clients as the SDK and OTLP exporters behave: each keeps one batch in flight and, when refused, waits as long
  // as Retry-After says before sending it again.
  const stop = setTimeout(() => {
    loading = false;
  }, SECONDS * 1000);
  const ledger = await runIngestLoad({
    baseUrl: server.baseUrl,
    auth: server.auth,
    workers: CONNECTIONS,
    batchEvery: 1,
    batchSize: 100,
    keepGoing: () => loading,
    honourRetryAfter: true,
  });
  clearTimeout(stop);
  loading = false;
  await watchMemory;
  const health = await probePortProber.stop();
  const mainPortHealth = await mainPortProber.stop();
  const state = await storedState({ databaseUrl }, ledger.acknowledged, ledger.sentInputs);

  const accepted = ledger.answersOf((a) => a.startsWith('2'));
  const shed = ledger.answersOf((a) => a === '503' || a === '429');
  const failed = ledger.requests - accepted - shed;
  const p99 = percentile(ledger.acceptedLatenciesMs, 99);
  const probesOverBudget = health.filter((probe) => !answeredInTime(probe)).length;
  const mainPortUnhealthyStretchMs = longestUnhealthyStretchMs(mainPortHealth, HEALTH_TIMEOUT_MS);
  const stillHealthy = (await fetch(`${server.baseUrl}/api/health`)).ok;

  reportFigure(CHECK, 'requests accepted / shed (503, 429) / failed', `${accepted} / ${shed} / ${failed}`);
  reportFigure(CHECK, 'refusals without Retry-After', ledger.refusalsWithoutRetryAfter);
  reportFigure(CHECK, 'records acknowledged / stored', `${ledger.acknowledged.size} / ${state.storedOfAcknowledged}`);
  reportFigure(
    CHECK,
    'p50 / p90 / p99 of accepted requests (ms)',
    [50, 90, 99].map((p) => Math.round(percentile(ledger.acceptedLatenciesMs, p))).join(' / '),
  );
  reportFigure(CHECK, `peak RSS (MB, ceiling ${RSS_CEILING_MB})`, Math.round(peakRssKb / 1024));
  reportFigure(CHECK, 'health on the probe port: probes, not 200 within 1 s, p50 / max (ms)', probeSummary(health));
  reportFigure(
    CHECK,
    'health on the main port: probes, not 200 within 1 s, p50 / max (ms)',
    probeSummary(mainPortHealth),
  );
  reportFigure(
    CHECK,
    'health on the main port: longest stretch without a good answer (ms)',
    Math.round(mainPortUnhealthyStretchMs),
  );

  expect(ledger.rejections).toEqual([]);
  expect(accepted).toBeGreaterThan(0);
  expect(shed).toBeGreaterThan(0);
  expect(failed).toBe(0);
  expect(ledger.refusalsWithoutRetryAfter).toBe(0);
  expect(state.storedOfAcknowledged).toBe(ledger.acknowledged.size);
  expect(peakRssKb / 1024).toBeLessThan(RSS_CEILING_MB);
  expect(health.length).toBeGreaterThan(20);
  expect(probesOverBudget).toBe(0);
  expect(mainPortUnhealthyStretchMs).toBeLessThan(MAIN_PORT_UNHEALTHY_STRETCH_BOUND_MS);
  expect(p99).toBeLessThan(ACCEPTED_P99_BOUND_MS);
  expect(stillHealthy).toBe(true);
});

function answeredInTime(probe: Probe): boolean {
  return probe.status === 200 && probe.ms < HEALTH_TIMEOUT_MS;
}

function probeSummary(probes: readonly Probe[]): string {
  const ms = probes.map((probe) => probe.ms);
  const late = probes.filter((probe) => !answeredInTime(probe)).length;
  return `${probes.length}, ${late}, ${Math.round(percentile(ms, 50))} / ${Math.round(Math.max(...ms))}`;
}
