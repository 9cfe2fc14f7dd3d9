import type { DatabaseHandle } from '@promptlog/db';
import { maintainPartitions } from './service';

export const PARTITION_MAINTENANCE_INTERVAL_MS = 3_600_000;

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
      .then((report) => {
        if (report && report.created.length > 0) log.info({ created: report.created }, 'created monthly partitions');
      })
      .catch((error) => log.warn({ err: error }, 'creating monthly partitions failed; retrying at the next run'))
      .finally(() => {
        run = null;
      });
    return run;
  };
  await maintain();
  const timer = intervalMs > 0 ? setInterval(() => run ?? maintain(), intervalMs) : undefined;
  timer?.unref();
  return async () => {
    clearInterval(timer);
    await run;
  };
}
