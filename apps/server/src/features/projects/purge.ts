import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, projectDeletions, schema } from '@promptlog/db';
import { eq, is, isNull, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/**
 * The tables whose rows of a project outlive the project's row: they carry `project_id` without a foreign key that
 * cascades from it (the ingestion path writes them without one). Read from the schema, so a new such table is
 * purged too; pending rollup deltas (of every rollup) go first, since the roller would fold them into rollup rows already deleted.
 */
export const PURGED_TABLES: readonly string[] = Object.values<unknown>(schema)
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table))
  .filter(
    (config) =>
      config.columns.some((column) => column.name === 'project_id') &&
      !config.foreignKeys.some(
        (key) => key.onDelete === 'cascade' && key.reference().columns.some((column) => column.name === 'project_id'),
      ),
  )
  .map((config) => config.name)
  .sort((a, b) => Number(b.endsWith('_rollup_deltas')) - Number(a.endsWith('_rollup_deltas')));

const deleteBatch = (table: string) => `
with gone as (
  delete from ${table}
  where ctid = any(array(select ctid from ${table} where project_id = $1 limit $2)) and project_id = $1
  returning 1
)
select count(*)::int as deleted from gone`;
const DeletedRow = z.object({ deleted: z.number() });

const anyLeft = (table: string) => `select exists(select 1 from ${table} where project_id = $1) as left`;
const AnyLeftRow = z.object({ left: z.boolean() });

export interface PurgeOptions {
  /** Rows deleted per statement, each statement its own short transaction. */
  batchSize?: number;
  /** Pause between two batches, so ingestion and the roller get the database in between. */
  pauseMs?: number;
  /** Stops between batches; what is deleted stays deleted. */
  signal?: AbortSignal;
}

export interface PurgeReport {
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** False when the signal stopped it before every row was gone. */
  complete: boolean;
}

/**
 * Deletes what a deleted project left in the tables without a cascading key, in bounded batches, until none of its
 * rows is left. Safe to run twice at once or again later: a batch that finds rows another run is deleting waits for
 * it, and the end is decided by looking, not by a short batch.
 */
export async function purgeProjectData(
  handle: DatabaseHandle,
  projectId: string,
  options: PurgeOptions = {},
): Promise<PurgeReport> {
  const { batchSize = 5_000, pauseMs = 20, signal } = options;
  const report: PurgeReport = { deleted: {}, complete: false };
  for (const table of PURGED_TABLES) {
    report.deleted[table] = 0;
    for (;;) {
      if (signal?.aborted) return report;
      const [row] = await handle.query(deleteBatch(table), [projectId, batchSize], DeletedRow);
      const deleted = row?.deleted ?? 0;
      report.deleted[table] += deleted;
      if (deleted < batchSize) {
        const [check] = await handle.query(anyLeft(table), [projectId], AnyLeftRow);
        if (!check?.left) break;
      }
      if (pauseMs > 0 && !(await pause(pauseMs, signal))) return report;
    }
  }
  return { ...report, complete: true };
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

interface PurgeLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The purges of a process's deleted projects, one after another in the background, so deleting a large project
 * answers at once; closing stops between batches and waits for the statement in flight.
 */
export class ProjectPurges {
  private queue: Promise<void> = Promise.resolve();
  private readonly stop = new AbortController();

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly log: PurgeLog,
  ) {}

  start(projectId: string): void {
    this.queue = this.queue.then(async () => {
      try {
        const report = await purgeProjectData(this.handle, projectId, { signal: this.stop.signal });
        if (report.complete) {
          await this.handle.db
            .update(projectDeletions)
            .set({ purgedAt: sql`now()` })
            .where(eq(projectDeletions.deletedProjectId, projectId));
        }
        this.log.info({ projectId, ...report }, report.complete ? 'deleted project purged' : 'project purge stopped');
      } catch (error) {
        this.log.error({ err: error, projectId }, 'could not purge the data of a deleted project');
      }
    });
  }

  /** Starts again, oldest first, the purges project_deletions says are unfinished: a server stopped during them. */
  async resumeUnfinished(): Promise<void> {
    try {
      const unfinished = await this.handle.db
        .select({ projectId: projectDeletions.deletedProjectId })
        .from(projectDeletions)
        .where(isNull(projectDeletions.purgedAt))
        .orderBy(projectDeletions.deletedAt);
      for (const { projectId } of unfinished) this.start(projectId);
    } catch (error) {
      this.log.error({ err: error }, 'could not look for unfinished purges of deleted projects');
    }
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.queue;
  }
}
