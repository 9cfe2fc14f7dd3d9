import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { expect, vi } from 'vitest';
import { z } from 'zod';
import { injectAs, logIn, type TestProject } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';
import { runDueRepricing } from './repricing-jobs';

const JobStateRow = z.object({ state: z.string() });
const CountRow = z.object({ n: z.number() });

/**
 * For tests, whose apps run no background re-pricing: walks the project's queued re-pricings to their end (waiting
 * for a chunk another worker holds), and answers their states, oldest first.
 */
export async function finishRepricing(handle: DatabaseHandle, projectId: string): Promise<string[]> {
  await vi.waitFor(
    async () => {
      await runDueRepricing(handle, { projectId, retryDelayMs: 1 });
      expect(await pendingRepricing(handle, projectId)).toBe(0);
    },
    { timeout: 20_000, interval: 20 },
  );
  const rows = await handle.query(
    'select state from repricing_jobs where project_id = $1 order by created_at, id',
    [projectId],
    JobStateRow,
  );
  return rows.map((row) => row.state);
}

export async function pendingRepricing(handle: DatabaseHandle, projectId: string): Promise<number> {
  const [row] = await handle.query(
    `select count(*)::int as n from repricing_jobs where project_id = $1 and state in ('queued', 'running')`,
    [projectId],
    CountRow,
  );
  return row?.n ?? 0;
}

/** Sets a custom price as the project's admin, walks the re-pricing it starts and folds the deltas it wrote. */
export async function priceAndReprice(
  app: FastifyInstance,
  handle: DatabaseHandle,
  project: TestProject,
  price: object,
): Promise<void> {
  const admin = await logIn(app, project.email, project.password);
  const priced = await injectAs(app, admin, { method: 'POST', url: '/api/v1/prices', payload: price });
  expect(priced.statusCode, priced.body).toBe(201);
  await finishRepricing(handle, project.projectId);
  await foldRollupDeltas(handle);
}
