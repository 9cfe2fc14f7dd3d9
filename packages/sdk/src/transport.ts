import { refTimer, unrefTimer } from './runtime.js';

export interface TransportConfig {
  baseUrl: string;
  apiKey: string;
  maxRetries: number;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

/** What became of one request: an answer the SDK does not retry, or retries that ran out. */
export type DeliveryOutcome =
  | { kind: 'answered'; status: number; body: unknown; attempts: number }
  | { kind: 'gave_up'; attempts: number; lastStatus?: number; cause?: unknown };

const RETRIED_STATUSES = new Set([408, 429]);

export function isRetriedStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status) || status >= 500;
}

/** Sends JSON to the Promptlog API, retrying network errors, 408, 429 and 5xx with the same body. */
export class Transport {
  private readonly sleeper = new RetrySleeper();

  constructor(private readonly config: TransportConfig) {}

  async send(method: 'POST' | 'PATCH', path: string, body: string): Promise<DeliveryOutcome> {
    const url = `${this.config.baseUrl}${path}`;
    let lastStatus: number | undefined;
    let cause: unknown;
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${this.config.apiKey}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.config.requestTimeoutMs),
        });
        if (!isRetriedStatus(response.status)) {
          return { kind: 'answered', status: response.status, body: await readBody(response), attempts: attempt };
        }
        lastStatus = response.status;
        cause = undefined;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        cause = error;
        lastStatus = undefined;
      }
      if (attempt > this.config.maxRetries) return { kind: 'gave_up', attempts: attempt, lastStatus, cause };
      await this.sleeper.sleep(
        Math.min(retryAfterMs ?? backoffDelay(attempt, this.config.retryBaseDelayMs), this.config.retryMaxDelayMs),
      );
    }
  }

  /** Keeps the process alive during retry pauses while `work` runs (someone awaits a flush). */
  keepAliveWhile<T>(work: Promise<T>): Promise<T> {
    return this.sleeper.keepAliveWhile(work);
  }
}

/** Exponential backoff with jitter: half the delay fixed, half random, so clients spread out. */
export function backoffDelay(attempt: number, baseDelayMs: number): number {
  const delay = baseDelayMs * 2 ** (attempt - 1);
  return delay / 2 + Math.random() * (delay / 2);
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * Retry pauses do not keep a process alive on their own, except while the application awaits a
 * flush or shutdown, so `await promptlog.shutdown()` at the end of a script still delivers.
 */
class RetrySleeper {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private holders = 0;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      if (this.holders === 0) unrefTimer(timer);
    });
  }

  async keepAliveWhile<T>(work: Promise<T>): Promise<T> {
    this.holders++;
    for (const timer of this.timers) refTimer(timer);
    try {
      return await work;
    } finally {
      this.holders--;
    }
  }
}
