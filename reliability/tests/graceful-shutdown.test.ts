import { expect, inject, it } from 'vitest';
import { createDatabase, storedState } from '../src/database';
import { reportFigure } from '../src/figures';
import { startIngestLoad } from '../src/ingest-load';
import { ServerProcess, sleep } from '../src/server-process';

const CHECK = 'Graceful shutdown (SIGTERM under load)';
/** PROMPTLOG_SHUTDOWN_TIMEOUT_MS's default. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

it('finishes the requests in flight, refuses new ones, closes within its timeout and loses nothing', async () => {
  const databaseUrl = await createDatabase(inject('postgresUrl'), 'reliability_shutdown');
  const server = await ServerProcess.start({ databaseUrl, name: 'graceful-shutdown' });
  try {
    const load = startIngestLoad(server, { workers: 8, batchEvery: 2, batchSize: 50 });
    await sleep(2_000);
    const sigtermAt = performance.now();
    const exitCode = await server.kill('SIGTERM');
    const shutdownMs = performance.now() - sigtermAt;
    // Whatever was refused or cut off is sent again to the next process, as a client behind a load balancer would.
    await server.restart();
    await sleep(500);
    const ledger = await load.stop();
    const state = await storedState({ databaseUrl }, ledger.acknowledged, ledger.sentInputs);
    const cutOff = ledger.unansweredSentAt.filter((sentAt) => sentAt < sigtermAt).length;

    reportFigure(CHECK, 'exit code, time to exit (ms)', `${exitCode}, ${Math.round(shutdownMs)}`);
    reportFigure(CHECK, 'requests in flight at SIGTERM that got no answer', cutOff);
    reportFigure(CHECK, 'records acknowledged / stored', `${ledger.acknowledged.size} / ${state.storedOfAcknowledged}`);

    expect(exitCode).toBe(0);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(cutOff).toBe(0);
    expect(ledger.rejections).toEqual([]);
    expect(state.storedOfAcknowledged).toBe(ledger.acknowledged.size);
    expect(state.totalStored).toBe(ledger.acknowledged.size);
    expect(state.duplicateIds + state.partialExecutions + state.alteredInputs).toBe(0);
  } finally {
    await server.stop();
  }
});
