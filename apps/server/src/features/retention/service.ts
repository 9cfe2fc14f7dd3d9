import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import { z } from 'zod';
import { ALL_ROLLUP_TABLES } from '../analytics/rollup-sql';
import { dropExpiredPartitions } from '../partitions/service';
import { DELETE_SYSTEM_PROMPTS } from '../system-prompts/rollup-sql';

const DAY_MS = 86_400_000;

export interface ApplyRetentionOptions {
  /** The clock: cutoffs are `now` minus each project's retention. */
  now: Date;
  /** Rows deleted per statement (each statement is its own short transaction). */
  batchSize?: number;
  /** Pause between two batches, so ingestion and the roller get the database in between. */
  pauseMs?: number;
  /** Stops between batches; what is deleted stays deleted and the next run carries on. */
  signal?: AbortSignal;
}

export interface ProjectRetentionReport {
  projectId: string;
  /** Executions started before this were deleted; null when the project keeps executions forever. */
  executionsBefore: string | null;
  executions: number;
  payloads: number;
  /** Trace steps that are not LLM calls, deleted by the same cutoff as executions. */
  traceSpans: number;
  /** Conversations whose latest call started before the same cutoff: nothing of their thread is left. */
  conversations: number;
  /** Reviews of executions started before the same cutoff, with their labels. */
  reviews: number;
  /**
   * Rows of system prompt counts whose last call started before the same cutoff, and the texts stored before it that
   * nothing counts any more.
   */
  systemPrompts: number;
  /**
   * Rollups before this UTC midnight were deleted from every rollup table, hourly and daily alike (so a day stays
   * the sum of its hours); null when the project keeps them forever.
   */
  rollupsBefore: string | null;
  /** Rows deleted from the rollup tables, pending deltas included. */
  rollupRows: number;
}

export interface RetentionReport {
  /** Monthly partitions dropped whole, because every project's retention had passed them. */
  droppedPartitions: string[];
  projects: ProjectRetentionReport[];
  /** False when the signal stopped the run before everything due was deleted. */
  complete: boolean;
}

/**
 * Oldest first, so what remains of a project is always every execution from some time on (the rollup
 * rebuild relies on it); `nulls first` makes that order executions_project_recent_idx read backwards,
 * not a sort of every old row. Locked rows (a completion in flight) are left for the next run.
 */
const DELETE_EXECUTIONS = `
with doomed as (
  select id from executions
  where project_id = $1 and started_at < $2
  order by started_at nulls first
  limit $3
  for update skip locked
), payloads as (
  delete from execution_payloads p using doomed d
  where p.project_id = $1 and p.execution_id = d.id
  returning 1
), claims as (
  delete from execution_id_claims c using doomed d
  where c.project_id = $1 and c.id = d.id
), gone as (
  delete from executions e using doomed d
  where e.project_id = $1 and e.id = d.id
  returning 1
)
select (select count(*) from gone)::int as deleted, (select count(*) from payloads)::int as payloads`;

/** Oldest first, reading trace_spans_project_started_idx in order. */
const DELETE_TRACE_SPANS = `
with doomed as (
  select trace_id, span_id from trace_spans
  where project_id = $1 and started_at < $2
  order by started_at
  limit $3
  for update skip locked
), gone as (
  delete from trace_spans s using doomed d
  where s.project_id = $1 and s.trace_id = d.trace_id and s.span_id = d.span_id
  returning 1
)
select (select count(*) from gone)::int as deleted`;

/** By the reviewed execution's start, which each review keeps; the review's labels go with it (foreign key). */
const DELETE_REVIEWS = `
with gone as (
  delete from execution_reviews
  where ctid = any(array(select ctid from execution_reviews where project_id = $1 and started_at < $2 limit $3))
    and project_id = $1 and started_at < $2
  returning 1
)
select count(*)::int as deleted from gone`;

/** Pending deltas first, so a fold cannot bring a deleted conversation back; oldest activity first, by index. */
const DELETE_CONVERSATIONS = ['conversation_rollup_deltas', 'conversation_rollups'].map(
  (table) => `
with gone as (
  delete from ${table}
  where ctid = any(array(select ctid from ${table} where project_id = $1 and last_at < $2 limit $3))
    and project_id = $1 and last_at < $2
  returning 1
)
select count(*)::int as deleted from gone`,
);

/** Pending deltas first: folded after their hour's rollup rows were deleted, they would bring them back. */
const ROLLUP_ROW_TABLES = [
  { table: 'execution_rollup_deltas', time: 'hour' },
  ...ALL_ROLLUP_TABLES,
  { table: 'tags_seen_daily', time: 'day' },
];

function deleteOldRollupRows({ table, time }: { table: string; time: string }): string {
  return `
with gone as (
  delete from ${table}
  where ctid = any(array(select ctid from ${table} where project_id = $1 and ${time} < $2 limit $3))
    and project_id = $1 and ${time} < $2
  returning 1
)
select count(*)::int as deleted from gone`;
}

const RetentionSettingsRow = z.object({
  id: z.string(),
  retention_days: z.number().nullable(),
  rollup_retention_days: z.number().nullable(),
});

/** What a batch deleted: every delete statement above counts its rows, the executions' one its payloads too. */
const DeletedBatchRow = z.object({ deleted: z.number(), payloads: z.number().optional() });

/**
 * Deletes, for every project with a retention setting, the executions (and their payloads) and trace steps older
 * than its `retention_days` and the rollup rows older than its `rollup_retention_days`. Months of executions that
 * every project's retention has passed are dropped whole first; the rest is deleted row by row. Deleting executions
 * leaves the rollups alone, so analytics for old periods stay complete.
 */
export async function applyRetention(handle: DatabaseHandle, options: ApplyRetentionOptions): Promise<RetentionReport> {
  const { now, batchSize = 5_000, pauseMs = 50, signal } = options;
  const { dropped: droppedPartitions } = await dropExpiredPartitions(handle, now);
  const settings = await handle.query(
    `select id, retention_days, rollup_retention_days from projects
     where retention_days is not null or rollup_retention_days is not null
     order by id`,
    [],
    RetentionSettingsRow,
  );
  const batches = { batchSize, pauseMs, signal };
  const projects: ProjectRetentionReport[] = [];
  for (const project of settings) {
    const report: ProjectRetentionReport = {
      projectId: project.id,
      executionsBefore: cutoff(now, project.retention_days),
      executions: 0,
      payloads: 0,
      traceSpans: 0,
      conversations: 0,
      reviews: 0,
      systemPrompts: 0,
      rollupsBefore: dayCutoff(now, project.rollup_retention_days),
      rollupRows: 0,
    };
    projects.push(report);
    if (report.executionsBefore !== null) {
      const done = await inBatches(handle, DELETE_EXECUTIONS, [project.id, report.executionsBefore], batches);
      report.executions += done.deleted;
      report.payloads += done.payloads;
      if (!done.complete) return { droppedPartitions, projects, complete: false };
      const spans = await inBatches(handle, DELETE_TRACE_SPANS, [project.id, report.executionsBefore], batches);
      report.traceSpans += spans.deleted;
      if (!spans.complete) return { droppedPartitions, projects, complete: false };
      const reviews = await inBatches(handle, DELETE_REVIEWS, [project.id, report.executionsBefore], batches);
      report.reviews += reviews.deleted;
      if (!reviews.complete) return { droppedPartitions, projects, complete: false };
      for (const statement of DELETE_CONVERSATIONS) {
        const gone = await inBatches(handle, statement, [project.id, report.executionsBefore], batches);
        report.conversations += gone.deleted;
        if (!gone.complete) return { droppedPartitions, projects, complete: false };
      }
      for (const statement of DELETE_SYSTEM_PROMPTS) {
        const gone = await inBatches(handle, statement, [project.id, report.executionsBefore], batches);
        report.systemPrompts += gone.deleted;
        if (!gone.complete) return { droppedPartitions, projects, complete: false };
      }
    }
    if (report.rollupsBefore !== null) {
      for (const rollup of ROLLUP_ROW_TABLES) {
        const done = await inBatches(handle, deleteOldRollupRows(rollup), [project.id, report.rollupsBefore], batches);
        report.rollupRows += done.deleted;
        if (!done.complete) return { droppedPartitions, projects, complete: false };
      }
    }
  }
  return { droppedPartitions, projects, complete: true };
}

function cutoff(now: Date, days: number | null): string | null {
  return days === null ? null : new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** The cutoff rounded down to a UTC midnight. */
function dayCutoff(now: Date, days: number | null): string | null {
  return days === null ? null : new Date(Math.floor((now.getTime() - days * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
}

/** Runs a delete of at most `batchSize` rows until one deletes fewer, or the signal stops it. */
async function inBatches(
  handle: DatabaseHandle,
  statement: string,
  params: unknown[],
  { batchSize, pauseMs, signal }: { batchSize: number; pauseMs: number; signal: AbortSignal | undefined },
): Promise<{ deleted: number; payloads: number; complete: boolean }> {
  const total = { deleted: 0, payloads: 0, complete: false };
  for (;;) {
    if (signal?.aborted) return total;
    const [row] = await handle.query(statement, [...params, batchSize], DeletedBatchRow);
    const deleted = row?.deleted ?? 0;
    total.deleted += deleted;
    total.payloads += row?.payloads ?? 0;
    if (deleted < batchSize) return { ...total, complete: true };
    if (!(await pause(pauseMs, signal))) return total;
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  }
}
