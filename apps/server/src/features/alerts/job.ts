import type { DatabaseHandle } from '@promptlog/db';
import { evaluateAlerts } from './evaluate';
import { deliverDueWebhooks } from './webhooks';

export interface AlertsLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface AlertsJobOptions {
  /** How often the rules are evaluated; 0 disables evaluation and deliveries. */
  intervalMs: number;
  /** How long one webhook delivery may take. */
  deliveryTimeoutMs: number;
  /** PROMPTLOG_PUBLIC_URL: webhook bodies then carry the alert's link as an absolute URL too. */
  publicUrl?: string | undefined;
  log: AlertsLog;
  clock?: () => Date;
}

/** Webhooks are walked at least this often, so a firing's delivery leaves within seconds of being queued. */
const DELIVERY_INTERVAL_MS = 5_000;

/**
 * Two loops, each one run at a time: the evaluation (every `intervalMs`, the first one interval after the start) and
 * the webhook deliveries, on their own timer so a slow receiver never holds up an evaluation. The returned function
 * stops both and waits for the runs under way.
 */
export function startAlertsJob(
  handle: DatabaseHandle,
  { intervalMs, deliveryTimeoutMs, publicUrl, log, clock = () => new Date() }: AlertsJobOptions,
): () => Promise<void> {
  if (intervalMs <= 0) return async () => undefined;
  let stopped = false;
  const loops = [
    loop(intervalMs, async () => {
      const report = await evaluateAlerts(handle, { now: clock(), publicUrl });
      if (!report) return;
      if (report.fired > 0 || report.resolved > 0) {
        log.info({ fired: report.fired, resolved: report.resolved }, 'alerts changed');
      }
      for (const { ruleId, error } of report.failed ?? []) {
        log.warn({ err: error, ruleId }, 'alerts: evaluating a rule failed');
      }
    }),
    loop(Math.min(intervalMs, DELIVERY_INTERVAL_MS), async () => {
      await deliverDueWebhooks(handle, { now: clock(), timeoutMs: deliveryTimeoutMs });
    }),
  ];

  function loop(every: number, work: () => Promise<void>) {
    let run: Promise<void> | null = null;
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      timer = setTimeout(() => {
        run = work()
          .catch((error) => log.warn({ err: error }, 'alerts: a background run failed'))
          .finally(() => {
            run = null;
            if (!stopped) schedule();
          });
      }, every);
      timer.unref();
    };
    schedule();
    return async () => {
      clearTimeout(timer);
      await run;
    };
  }

  return async () => {
    stopped = true;
    await Promise.all(loops.map((stop) => stop()));
  };
}
