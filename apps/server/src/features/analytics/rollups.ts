import type { DatabaseHandle } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { FOLD_DELTAS, ROLLER_LOCK, ROLLUP_TABLES, rebuildStatement } from './rollup-sql';

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

/**
 * Recomputes the rollups of a project (or of every project) from the raw executions, keeping those of
 * hours that retention has deleted executions from (see rebuildStatement).
 */
export async function rebuildRollups(
  handle: DatabaseHandle,
  projectId: string | null = null,
  now = new Date(),
): Promise<void> {
  await handle.db.transaction(async (tx) => {
    // Wait for a running roller and hold its lock, so the fold below is not the one that skips. Each
    // statement after the wait takes a fresh snapshot (read committed), so nothing conflicts.
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${ROLLER_LOCK})`));
    const [written] = rowsOf<{ deltas: number }>(await tx.execute(sql.raw(rebuildStatement(projectId, now))));
    const [taken] = rowsOf<{ folded: number }>(await tx.execute(sql.raw(FOLD_DELTAS.replace('$1', 'null'))));
    // The fold also takes deltas that concurrent ingestion committed meanwhile, never fewer than written.
    if (Number(taken?.folded ?? 0) < Number(written?.deltas ?? 0)) {
      throw new Error('the rebuild could not fold the deltas it wrote; nothing was changed');
    }
  });
  // The rebuild wrote and deleted a delta per group of executions: reclaim that space now.
  for (const table of ['execution_rollup_deltas', ...Object.values(ROLLUP_TABLES).map((t) => t.table)]) {
    await handle.query(`vacuum analyze ${table}`);
  }
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

/** Both drivers return `{ rows }` from execute(); drizzle's shared type does not say so. */
function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}
