import { AppError } from '../../errors';

export interface ThrottleLimits {
  /** Failed logins allowed for one account within the window. */
  perAccount: number;
  /** Failed logins allowed from one client address within the window, whatever the account. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 };
const MAX_TRACKED = 100_000;

/**
 * Counts failed logins per account and per client address in memory (Promptlog is one process) and refuses
 * further attempts once either is over its limit, until the window since the first failure has passed.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Throws a 429 that says when to retry, before any password is checked. */
  assertAllowed(email: string, address: string): void {
    const waitMs = Math.max(
      this.waitMs(`account:${email.toLowerCase()}`, this.limits.perAccount),
      this.waitMs(`address:${address}`, this.limits.perAddress),
    );
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      throw new AppError(
        'too_many_attempts',
        `Too many failed logins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to help`,
        undefined,
        Math.ceil(waitMs / 1000),
      );
    }
  }

  recordFailure(email: string, address: string): void {
    if (this.failures.size >= MAX_TRACKED) this.prune();
    for (const key of [`account:${email.toLowerCase()}`, `address:${address}`]) {
      const entry = this.current(key);
      if (entry) entry.count += 1;
      else this.failures.set(key, { count: 1, since: this.clock() });
    }
  }

  /** A successful login clears the account's failures (not the address's, which may be guessing others). */
  recordSuccess(email: string): void {
    this.failures.delete(`account:${email.toLowerCase()}`);
  }

  private waitMs(key: string, limit: number): number {
    const entry = this.current(key);
    if (!entry || entry.count < limit) return 0;
    return entry.since + this.limits.windowMs - this.clock();
  }

  private current(key: string) {
    const entry = this.failures.get(key);
    if (entry && this.clock() - entry.since >= this.limits.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    const now = this.clock();
    for (const [key, entry] of this.failures) {
      if (now - entry.since >= this.limits.windowMs) this.failures.delete(key);
    }
  }
}
