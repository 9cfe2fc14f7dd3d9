import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import { buildPendingIndexes, findPendingIndexes } from './indexes';
import { type MaintenanceReport, maintainPartitions } from './service';

export const PARTITION_MAINTENANCE_INTERVAL_MS = 3_600_000;

/** How long a starting server waits for another process's maintenance before it takes requests anyway. */
const START_WAIT_MS = 60_000;

/**
 * Partition indexes a starting server builds before it takes requests when the partitions missing them hold at most
 * this many rows (a new install: a blink); past it, they are built in the background while the server answers.
 */
const START_INDEX_ROWS = 100_000;

export interface PartitionJobOptions {
  /** 0 runs maintenance once, at the start, and never again. */
  intervalMs: number;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
  clock?: () => Date;
}

/**
 * Runs maintenance once and waits for it (a failure is logged, not thrown: rows then go to the partitions that
 * exist, or the default one), then every `intervalMs`; the returned function stops it and waits for a run. Indexes a
 * migration declared on the partitioned tables are built on their partitions: before the server takes requests when
 * that is quick, otherwise in the background (retried at every run until done).
 */
export async function startPartitionMaintenance(
  handle: DatabaseHandle,
  { intervalMs, log, clock = () => new Date() }: PartitionJobOptions,
): Promise<() => Promise<void>> {
  const stopping = new AbortController();
  let run: Promise<void> | null = null;
  let indexing: Promise<void> | null = null;
  const buildIndexes = () => {
    indexing ??= buildPendingIndexes(handle, { log, signal: stopping.signal })
      .then(() => undefined)
      .catch((error) => log.warn({ err: error }, 'building partition indexes failed; retrying at the next run'))
      .finally(() => {
        indexing = null;
      });
    return indexing;
  };
  const maintain = () => {
    run = maintainPartitions(handle, clock())
      .then((report) => logCreated(report, log))
      .catch((error) => log.warn({ err: error }, 'creating monthly partitions failed; retrying at the next run'))
      .finally(() => {
        run = null;
        if (!stopping.signal.aborted) void buildIndexes();
      });
    return run;
  };
  await maintainAtStart(handle, clock, log);
  const pendingRows = await findPendingIndexes(handle)
    .then((pending) => pending.reduce((sum, index) => sum + index.rows, 0))
    .catch(() => 0);
  if (pendingRows <= START_INDEX_ROWS) await buildIndexes();
  else {
    log.info({ rows: Math.round(pendingRows) }, 'building new indexes on existing partitions in the background');
    void buildIndexes();
  }
  const timer = intervalMs > 0 ? setInterval(() => run ?? maintain(), intervalMs) : undefined;
  timer?.unref();
  // A background build is not waited for: it stops before its next partition, and a build cut short by the exit is
  // dropped and started again by the next start.
  return async () => {
    stopping.abort();
    clearInterval(timer);
    await run;
  };
}

/**
 * The run before the server takes requests. While another process holds the lock (it may be between bounding the
 * default partition and creating this month's), this one waits for it and then checks for itself, rather than
 * start writing rows that have no partition yet.
 */
async function maintainAtStart(handle: DatabaseHandle, clock: () => Date, log: PartitionJobOptions['log']) {
  const deadline = Date.now() + START_WAIT_MS;
  for (;;) {
    try {
      const report = await maintainPartitions(handle, clock());
      logCreated(report, log);
      if (report || Date.now() > deadline) return;
    } catch (error) {
      log.warn({ err: error }, 'creating monthly partitions failed; retrying at the next run');
      return;
    }
    await sleep(200);
  }
}

function logCreated(report: MaintenanceReport | null, log: PartitionJobOptions['log']): void {
  if (report && report.created.length > 0) log.info({ created: report.created }, 'created monthly partitions');
}
