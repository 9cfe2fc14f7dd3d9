import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import {
  FOLD_CONVERSATION_DELTAS,
  foldConversationsStatement,
  rebuildConversationsStatements,
} from '../conversations/rollup-sql';
import {
  ALL_ROLLUP_TABLES,
  FOLD_DELTAS,
  foldStatement,
  ROLLER_LOCK,
  ROLLUP_TABLES,
  rebuildStatement,
  rederiveDailyStatements,
} from './rollup-sql';

const FOLD_BATCH = 20_000;
const LOCK_RETRY_MS = 20;

/**
 * Folds pending deltas into the hourly and daily rollups until none are left; returns how many were folded. While
 * another fold or a rebuild holds the roller's lock it waits for it, unless `skipWhenBusy` (the background roller).
 */
export async function foldRollupDeltas(handle: DatabaseHandle, { skipWhenBusy = false } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await handle.query<{ folded: number; held: boolean }>(FOLD_DELTAS, [FOLD_BATCH]);
    if (row?.held === false) {
      if (skipWhenBusy) return total;
      await sleep(LOCK_RETRY_MS);
      continue;
    }
    const folded = Number(row?.folded ?? 0);
    total += folded;
    if (folded < FOLD_BATCH) break;
  }
  await foldConversationDeltas(handle, skipWhenBusy);
  return total;
}

/** The same for conversation_rollups, under the same lock. */
async function foldConversationDeltas(handle: DatabaseHandle, skipWhenBusy: boolean): Promise<void> {
  for (;;) {
    const [row] = await handle.query<{ folded: number; held: boolean }>(FOLD_CONVERSATION_DELTAS, [FOLD_BATCH]);
    if (row?.held === false) {
      if (skipWhenBusy) return;
      await sleep(LOCK_RETRY_MS);
      continue;
    }
    if (Number(row?.folded ?? 0) < FOLD_BATCH) return;
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
    // Grouping a whole data set's deltas: room to sort in memory rather than spill to disk.
    await tx.execute(sql.raw(`set local work_mem = '256MB'`));
    // The hours only: the days are derived from them below.
    const foldHours = foldStatement(Object.values(ROLLUP_TABLES), { all: true });
    const [taken] = rowsOf<{ folded: number }>(await tx.execute(sql.raw(foldHours)));
    // The fold also takes deltas that concurrent ingestion committed meanwhile, never fewer than written.
    if (Number(taken?.folded ?? 0) < Number(written?.deltas ?? 0)) {
      throw new Error('the rebuild could not fold the deltas it wrote; nothing was changed');
    }
    for (const statement of rederiveDailyStatements(projectId)) await tx.execute(sql.raw(statement));
    // Conversations are recounted from the executions still stored, then folded under the lock held above.
    for (const statement of rebuildConversationsStatements(projectId)) await tx.execute(sql.raw(statement));
    await tx.execute(sql.raw(foldConversationsStatement({ all: true })));
  });
  // The rebuild wrote and deleted a delta per group of executions: reclaim that space now.
  const tables = ['execution_rollup_deltas', 'conversation_rollup_deltas', 'conversation_rollups'];
  for (const table of [...tables, ...ALL_ROLLUP_TABLES.map((t) => t.table)]) {
    await handle.query(`vacuum analyze ${table}`);
  }
}

/** Folds deltas every `intervalMs` in the background, so charts are fresh within seconds of ingestion. */
export function startRoller(handle: DatabaseHandle, onError: (error: unknown) => void, intervalMs = 1000) {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = foldRollupDeltas(handle, { skipWhenBusy: true })
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
