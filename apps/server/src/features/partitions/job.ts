import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import { type MaintenanceReport, maintainPartitions } from './service';

export const PARTITION_MAINTENANCE_INTERVAL_MS = 3_600_000;

/** How long a starting server waits for another process's maintenance before it takes requests anyway. */
const START_WAIT_MS = 60_000;

export interface PartitionJobOptions {
  /** 0 runs maintenance once, at the start, and never again. */
  intervalMs: number;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
  clock?: () => Date;
}

/**
 * Runs maintenance once and waits for it (a failure is logged, not thrown: rows then go to the partitions that
 * exist, or the default one), then every `intervalMs`; the returned function stops it and waits for a run.
 */
export async function startPartitionMaintenance(
  handle: DatabaseHandle,
  { intervalMs, log, clock = () => new Date() }: PartitionJobOptions,
): Promise<() => Promise<void>> {
  let run: Promise<void> | null = null;
  const maintain = () => {
    run = maintainPartitions(handle, clock())
      .then((report) => logCreated(report, log))
      .catch((error) => log.warn({ err: error }, 'creating monthly partitions failed; retrying at the next run'))
      .finally(() => {
        run = null;
      });
    return run;
  };
  await maintainAtStart(handle, clock, log);
  const timer = intervalMs > 0 ? setInterval(() => run ?? maintain(), intervalMs) : undefined;
  timer?.unref();
  return async () => {
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
