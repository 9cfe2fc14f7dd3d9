import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase, type DataLocation, storedState } from '../src/database';
import { reportFigure } from '../src/figures';
import { startIngestLoad } from '../src/ingest-load';
import { ServerProcess, sleep } from '../src/server-process';

const KILLS = 3;

describe.each([
  {
    backend: 'PostgreSQL',
    location: async (): Promise<DataLocation> => ({
      databaseUrl: await createDatabase(inject('postgresUrl'), 'reliability_crash'),
    }),
  },
  {
    backend: 'embedded',
    location: async (): Promise<DataLocation> => ({
      dataDir: path.join(mkdtempSync(path.join(tmpdir(), 'promptlog-crash-')), 'data'),
    }),
  },
])('on $backend', ({ backend, location: makeLocation }) => {
  it('stores every acknowledged execution exactly once and whole, however often the server is killed', async () => {
    const check = `Crash durability, ${backend} (SIGKILL ×${KILLS})`;
    const location = await makeLocation();
    const server = await ServerProcess.start({ ...location, name: `crash-durability-${backend}` });
    try {
      const load = startIngestLoad(server, { workers: 8, batchEvery: 3, batchSize: 25, requestTimeoutMs: 10_000 });
      for (let kill = 0; kill < KILLS; kill++) {
        await sleep(2_500);
        await server.kill('SIGKILL');
        await sleep(300);
        await server.restart();
      }
      await sleep(2_000);
      const ledger = await load.stop();
      // The embedded database is the server's own files: read them once it is gone.
      if ('dataDir' in location) await server.kill('SIGKILL');
      const state = await storedState(location, ledger.acknowledged, ledger.sentInputs);

      reportFigure(
        check,
        'records acknowledged / stored',
        `${ledger.acknowledged.size} / ${state.storedOfAcknowledged}`,
      );
      reportFigure(
        check,
        'duplicate ids, partial executions, altered inputs',
        `${state.duplicateIds}, ${state.partialExecutions}, ${state.alteredInputs}`,
      );
      reportFigure(check, 'answers', [...ledger.answers].map(([answer, n]) => `${answer}: ${n}`).join(', '));
      reportFigure(
        check,
        'requests (retries, cut off by a kill)',
        `${ledger.requests} (${ledger.retries}, ${ledger.answersOf((a) => a === 'network error')})`,
      );

      expect(ledger.rejections).toEqual([]);
      expect(ledger.acknowledged.size).toBeGreaterThan(200);
      expect(ledger.answersOf((answer) => answer === 'network error')).toBeGreaterThan(0);
      expect(state.storedOfAcknowledged).toBe(ledger.acknowledged.size);
      // Every id was retried until acknowledged, so nothing is stored that the client does not know of.
      expect(state.totalStored).toBe(ledger.acknowledged.size);
      expect(state.duplicateIds).toBe(0);
      expect(state.partialExecutions).toBe(0);
      expect(state.alteredInputs).toBe(0);
      expect(ledger.answersOf((answer) => answer.startsWith('5') && answer !== '503')).toBe(0);
    } finally {
      await server.stop();
      if ('dataDir' in location) rmSync(path.dirname(location.dataDir), { recursive: true, force: true });
    }
  });
});
