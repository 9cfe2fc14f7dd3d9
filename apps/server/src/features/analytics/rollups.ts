import type { DatabaseHandle } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { FOLD_DELTAS, rebuildStatements } from './rollup-sql';

const FOLD_BATCH = 20_000;

/** Folds pending deltas into the hourly rollups until none are left; returns how many were folded. */
export async function foldRollupDeltas(handle: DatabaseHandle): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await handle.query<{ folded: number }>(FOLD_DELTAS, [FOLD_BATCH]);
    const folded = Number(row?.folded ?? 0);
    total += folded;
    if (folded < FOLD_BATCH) return total;
  }
}

/** Recomputes the rollups of a project (or of every project) from the raw executions. */
export async function rebuildRollups(handle: DatabaseHandle, projectId: string | null = null): Promise<void> {
  await handle.db.transaction(
    async (tx) => {
      for (const statement of rebuildStatements(projectId)) await tx.execute(sql.raw(statement));
      await tx.execute(sql.raw(FOLD_DELTAS.replace('$1', 'null')));
    },
    { isolationLevel: 'repeatable read' },
  );
}

/** Folds deltas every `intervalMs` in the background, so charts are fresh within seconds of ingestion. */
export function startRoller(handle: DatabaseHandle, onError: (error: unknown) => void, intervalMs = 1000) {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = foldRollupDeltas(handle)
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
