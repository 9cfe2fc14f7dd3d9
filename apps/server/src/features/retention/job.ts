import type { DatabaseHandle } from '@promptlog/db';
import { startRepeatingJob } from '../../lib/repeating-job';
import { deleteExpiredSessions } from '../auth/service';
import { type ApplyRetentionOptions, applyRetention, type RetentionReport } from './service';

/** Held for a whole run on PostgreSQL, so two server processes never delete at the same time. */
export const RETENTION_LOCK = 8412004;

export interface RetentionLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface RetentionJobOptions extends Omit<ApplyRetentionOptions, 'now' | 'signal'> {
  /** 0 disables the job. */
  intervalMs: number;
  log: RetentionLog;
  clock?: () => Date;
}

const running = new WeakSet<DatabaseHandle>();

export interface RetentionRun extends RetentionReport {
  /** Login sessions past their expiry, deleted: they log no one in, and would pile up forever. */
  expiredSessions: number;
}

/**
 * One run of `applyRetention`, then the expired sessions' deletion, unless a run is already under way on this
 * handle or (on PostgreSQL) in another process: then nothing is done and the result is null.
 */
export async function runRetention(
  handle: DatabaseHandle,
  options: ApplyRetentionOptions,
): Promise<RetentionRun | null> {
  if (running.has(handle)) return null;
  running.add(handle);
  try {
    return await handle.withAdvisoryLock(RETENTION_LOCK, async () => {
      const report = await applyRetention(handle, options);
      return { ...report, expiredSessions: await deleteExpiredSessions(handle.db, options.now) };
    });
  } finally {
    running.delete(handle);
  }
}

/**
 * Applies retention every `intervalMs` (the first run one interval after the start), one run at a time;
 * the returned function stops the job, interrupting a run between two batches, and waits for it.
 */
export function startRetentionJob(
  handle: DatabaseHandle,
  { intervalMs, log, clock = () => new Date(), ...tuning }: RetentionJobOptions,
): () => Promise<void> {
  return startRepeatingJob(intervalMs, (signal) =>
    runRetention(handle, { ...tuning, now: clock(), signal })
      .then((report) => {
        const changed = report?.projects.filter((p) => p.executions > 0 || p.traceSpans > 0 || p.rollupRows > 0) ?? [];
        if (changed.length > 0) log.info({ projects: changed }, 'data retention deleted old rows');
        if (report?.expiredSessions) log.info({ sessions: report.expiredSessions }, 'deleted expired login sessions');
        if (report?.droppedPartitions.length) {
          log.info({ partitions: report.droppedPartitions }, 'data retention dropped expired months');
        }
      })
      .catch((error) => log.warn({ err: error }, 'applying data retention failed')),
  );
}
