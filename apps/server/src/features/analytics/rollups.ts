import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import { z } from 'zod';
import {
  FOLD_CONVERSATION_DELTAS,
  foldConversationsStatement,
  rebuildConversationsStatements,
} from '../conversations/rollup-sql';
import {
  FOLD_SYSTEM_PROMPT_DELTAS,
  foldSystemPromptsStatement,
  rebuildSystemPromptsStatements,
} from '../system-prompts/rollup-sql';
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

/** How many deltas a fold took (a count: a number from both drivers) and whether it held the roller's lock. */
const FoldRow = z.object({ folded: z.number(), held: z.boolean() });

/**
 * Folds pending deltas into the hourly and daily rollups until none are left; returns how many were folded. While
 * another fold or a rebuild holds the roller's lock it waits for it, unless `skipWhenBusy` (the background roller).
 */
export async function foldRollupDeltas(handle: DatabaseHandle, { skipWhenBusy = false } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await handle.query(FOLD_DELTAS, [FOLD_BATCH], FoldRow);
    if (row?.held === false) {
      if (skipWhenBusy) return total;
      await sleep(LOCK_RETRY_MS);
      continue;
    }
    const folded = row?.folded ?? 0;
    total += folded;
    if (foldedAll(folded, skipWhenBusy)) break;
  }
  await foldOtherDeltas(handle, FOLD_CONVERSATION_DELTAS, skipWhenBusy);
  await foldOtherDeltas(handle, FOLD_SYSTEM_PROMPT_DELTAS, skipWhenBusy);
  return total;
}

/** The same for conversation_rollups or system_prompt_rollups (`fold`), under the same lock. */
async function foldOtherDeltas(handle: DatabaseHandle, fold: string, skipWhenBusy: boolean): Promise<void> {
  for (;;) {
    const [row] = await handle.query(fold, [FOLD_BATCH], FoldRow);
    if (row?.held === false) {
      if (skipWhenBusy) return;
      await sleep(LOCK_RETRY_MS);
      continue;
    }
    if (foldedAll(row?.folded ?? 0, skipWhenBusy)) return;
  }
}

/**
 * A fold picks its batch in the snapshot its statement started with, before it waited for the lock; when another fold
 * committed meanwhile, some of the picked deltas are gone and the batch comes back short although deltas remain. So a
 * caller promised "none left" folds until a batch takes nothing; the background roller stops at a short batch, since
 * it comes back within a second.
 */
function foldedAll(folded: number, background: boolean): boolean {
  return background ? folded < FOLD_BATCH : folded === 0;
}

const RebuildRow = z.object({ deltas: z.number() });

/**
 * Recomputes the rollups of a project (or of every project) from the raw executions, keeping those of
 * hours that retention has deleted executions from (see rebuildStatement).
 */
export async function rebuildRollups(
  handle: DatabaseHandle,
  projectId: string | null = null,
  now = new Date(),
): Promise<void> {
  await handle.transaction(async (tx) => {
    // Wait for a running roller and hold its lock, so the fold below is not the one that skips. Each
    // statement after the wait takes a fresh snapshot (read committed), so nothing conflicts.
    await tx.query('select pg_advisory_xact_lock($1)', [ROLLER_LOCK]);
    const [written] = await tx.query(rebuildStatement(), [projectId, now.toISOString()], RebuildRow);
    // Grouping a whole data set's deltas: room to sort in memory rather than spill to disk.
    await tx.query(`set local work_mem = '256MB'`);
    // The hours only: the days are derived from them below, for this project alone, so its deltas alone: another
    // project's pending ones are left to the roller, which folds them into its days too.
    const foldHours = foldStatement(Object.values(ROLLUP_TABLES), { all: true });
    const [taken] = await tx.query(foldHours, [projectId], FoldRow);
    // The fold also takes the project's deltas that concurrent ingestion committed meanwhile, never fewer than written.
    if ((taken?.folded ?? 0) < (written?.deltas ?? 0)) {
      throw new Error('the rebuild could not fold the deltas it wrote; nothing was changed');
    }
    for (const statement of rederiveDailyStatements()) await tx.query(statement, [projectId]);
    // Conversations are recounted from the executions still stored, then folded under the lock held above.
    for (const statement of rebuildConversationsStatements()) await tx.query(statement, [projectId]);
    await tx.query(foldConversationsStatement({ all: true }));
    // So are the system prompts' counts (their texts stay).
    for (const statement of rebuildSystemPromptsStatements()) await tx.query(statement, [projectId]);
    await tx.query(foldSystemPromptsStatement({ all: true }));
  });
  // The rebuild wrote and deleted a delta per group of executions: reclaim that space now.
  const tables = [
    'execution_rollup_deltas',
    'conversation_rollup_deltas',
    'conversation_rollups',
    'system_prompt_rollup_deltas',
    'system_prompt_rollups',
  ];
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
