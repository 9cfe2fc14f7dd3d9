import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { uuidv7 } from '../../apps/server/src/lib/ids';
import { createDatabase, storedState, withClient } from '../src/database';
import { waitForServerSentEvent } from '../src/events';
import { reportFigure } from '../src/figures';
import { executionJson, startIngestLoad } from '../src/ingest-load';
import { type PostgresInstance, startPostgres, stopPostgres } from '../src/postgres-instance';
import { ServerProcess, sleep } from '../src/server-process';

const CHECK = 'Database restart';
/** PROMPTLOG_DATABASE_TIMEOUT_MS's default: no request waits longer than this for a connection. */
const DATABASE_TIMEOUT_MS = 5_000;
const OUTAGE_MS = 4_000;

let server: ServerProcess;
let databaseUrl: string;
const postgres: PostgresInstance = {
  url: inject('postgresUrl'),
  port: inject('postgresPort'),
  dataDir: inject('postgresDataDir'),
};

beforeAll(async () => {
  databaseUrl = await createDatabase(postgres.url, 'reliability_restart');
  server = await ServerProcess.start({
    databaseUrl,
    name: 'database-restart',
    env: { PROMPTLOG_ROLLUP_INTERVAL_MS: '200', PROMPTLOG_RETENTION_INTERVAL_MS: '1000' },
  });
});
afterAll(async () => {
  await server?.stop();
});

interface Probe {
  status: number | 'no answer';
  ms: number;
  retryAfter: string | null;
}

async function probe(url: string, init: RequestInit = {}): Promise<Probe> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(DATABASE_TIMEOUT_MS * 3) });
    await response.arrayBuffer();
    return {
      status: response.status,
      ms: performance.now() - started,
      retryAfter: response.headers.get('retry-after'),
    };
  } catch {
    return { status: 'no answer', ms: performance.now() - started, retryAfter: null };
  }
}

it('answers 503 with Retry-After while PostgreSQL is away, recovers by itself and loses nothing acknowledged', async () => {
  const load = startIngestLoad(server, { workers: 6, batchEvery: 3, batchSize: 25 });
  await sleep(2_000);
  // A browser's live stream, open across the restart: events published meanwhile are lost, so it must be told.
  const streamToldToResync = waitForServerSentEvent(
    `${server.baseUrl}/api/v1/executions/events?promptId=support-reply`,
    server.auth,
    (message) => message.event === 'resync',
    20_000,
  );
  await sleep(200);

  stopPostgres(postgres, 'fast');
  const outageStarted = Date.now();
  const healthDuringOutage: Probe[] = [];
  const ingestDuringOutage: Probe[] = [];
  while (Date.now() - outageStarted < OUTAGE_MS) {
    const [health, ingest] = await Promise.all([
      probe(`${server.baseUrl}/api/health`),
      probe(`${server.baseUrl}/api/v1/executions`, {
        method: 'POST',
        headers: { ...server.auth, 'content-type': 'application/json' },
        body: executionJson({ promptId: 'outage' }),
      }),
    ]);
    healthDuringOutage.push(health);
    ingestDuringOutage.push(ingest);
    await sleep(250);
  }
  startPostgres(postgres);
  const restarted = Date.now();
  await server.waitUntilHealthy(30_000);
  const recoveredMs = Date.now() - restarted;

  // Acknowledged after the restart: the pool is back.
  await sleep(2_000);
  const ledger = await load.stop();

  // The LISTEN connection: an execution stored now reaches a live stream.
  const liveId = uuidv7();
  const liveEventArrived = await waitForServerSentEvent(
    `${server.baseUrl}/api/v1/executions/events?promptId=after-restart`,
    server.auth,
    (message) => message.event === 'execution' && (JSON.parse(message.data) as { id?: string }).id === liveId,
    10_000,
    async () => {
      await fetch(`${server.baseUrl}/api/v1/executions`, {
        method: 'POST',
        headers: { ...server.auth, 'content-type': 'application/json' },
        body: executionJson({ id: liveId, promptId: 'after-restart' }),
      });
    },
  );

  // The retention job: an execution past the project's retention is deleted on its next run.
  const expiredId = uuidv7();
  await withClient(databaseUrl, (client) => client.query('update projects set retention_days = 1'));
  await fetch(`${server.baseUrl}/api/v1/executions`, {
    method: 'POST',
    headers: { ...server.auth, 'content-type': 'application/json' },
    body: executionJson({
      id: expiredId,
      promptId: 'expired',
      startedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    }),
  });
  const retentionRan = await eventually(async () =>
    withClient(
      databaseUrl,
      async (client) => (await client.query('select 1 from executions where id = $1', [expiredId])).rowCount === 0,
    ),
  );

  const state = await storedState({ databaseUrl }, ledger.acknowledged, ledger.sentInputs);
  // The roller: the rollups count every stored execution of the load.
  const rollupsCaughtUp = await eventually(async () => {
    const summary = await fetch(
      `${server.baseUrl}/api/v1/analytics/summary?promptId=support-reply&promptId=summarize-ticket&promptId=classify-intent&promptId=extract-invoice&promptId=draft-email`,
      { headers: server.auth },
    );
    const { calls } = (await summary.json()) as { calls: number };
    return calls === state.storedOfAcknowledged;
  });

  const during = [...healthDuringOutage, ...ingestDuringOutage];
  const slowest = Math.max(...during.map((p) => p.ms));
  reportFigure(CHECK, 'records acknowledged / stored', `${ledger.acknowledged.size} / ${state.storedOfAcknowledged}`);
  reportFigure(
    CHECK,
    'answers while away (503 with Retry-After / all)',
    `${during.filter((p) => p.status === 503 && p.retryAfter).length} / ${during.length}`,
  );
  reportFigure(CHECK, 'slowest answer while away (ms)', Math.round(slowest));
  reportFigure(
    CHECK,
    'load answers: 5xx other than 503',
    ledger.answersOf((a) => a.startsWith('5') && a !== '503'),
  );
  reportFigure(CHECK, 'healthy again after restart (ms)', recoveredMs);
  reportFigure(
    CHECK,
    'reconnected: pool, LISTEN, roller, retention',
    [true, liveEventArrived, rollupsCaughtUp, retentionRan].map((ok) => (ok ? 'yes' : 'NO')).join(', '),
  );
  const resyncSent = await streamToldToResync;
  reportFigure(CHECK, 'live stream open across the restart told to resync', resyncSent ? 'yes' : 'NO');

  expect(ledger.rejections).toEqual([]);
  expect(during.every((p) => p.status === 503 && p.retryAfter !== null)).toBe(true);
  expect(slowest).toBeLessThan(DATABASE_TIMEOUT_MS + 1_000);
  expect(ledger.answersOf((answer) => answer.startsWith('5') && answer !== '503')).toBe(0);
  expect(ledger.answersOf((answer) => answer === 'network error')).toBe(0);
  expect(state.storedOfAcknowledged).toBe(ledger.acknowledged.size);
  expect(state.duplicateIds + state.partialExecutions + state.alteredInputs).toBe(0);
  expect(liveEventArrived).toBe(true);
  expect(resyncSent).toBe(true);
  expect(rollupsCaughtUp).toBe(true);
  expect(retentionRan).toBe(true);
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return false;
}
