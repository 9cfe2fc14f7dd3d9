import { type Database, loginFailures } from '@promptlog/db';
import { eq, inArray, lte, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { sha256 } from '../../lib/secrets';

export interface ThrottleLimits {
  /** Failed logins allowed for one account within the window. */
  perAccount: number;
  /** Failed logins allowed from one client address within the window, whatever the account. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 };
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Counts failed logins per account and per client address in PostgreSQL, so every server process shares the
 * limits, and refuses further attempts once either is over its limit, until the window since the first failure
 * has passed. An attempt counts as failed from before its password is checked until it proves right, so
 * concurrent guesses cannot all slip in under the limit.
 */
export class LoginThrottle {
  private nextSweepAt = 0;

  constructor(
    private readonly db: Database,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one more attempt as failed, or throws a 429 that says when to retry, before any password is checked. */
  async admitAttempt(email: string, address: string): Promise<void> {
    const now = this.clock();
    await this.deleteExpired(now);
    const keys = throttleKeys(email, address);
    const counts = await this.countFailure([keys.account, keys.address], now);
    const limitOf = (keyHash: string) => (keyHash === keys.account ? this.limits.perAccount : this.limits.perAddress);
    const waitMs = Math.max(
      0,
      ...counts.filter((row) => row.failures > limitOf(row.keyHash)).map((row) => row.expiresAt.getTime() - now),
    );
    if (waitMs > 0) {
      // A refused attempt checks no password, so it is no failure.
      await this.giveBack([keys.account, keys.address]);
      const minutes = Math.ceil(waitMs / 60_000);
      throw new AppError(
        'too_many_attempts',
        `Too many failed logins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to help`,
        undefined,
        Math.ceil(waitMs / 1000),
      );
    }
  }

  /**
   * The password was right: the account's failures are cleared, and the address, which may be guessing other
   * accounts, gets back only this attempt.
   */
  async recordSuccess(email: string, address: string): Promise<void> {
    const keys = throttleKeys(email, address);
    await this.db.delete(loginFailures).where(eq(loginFailures.keyHash, keys.account));
    await this.giveBack([keys.address]);
  }

  /** One statement per attempt, so processes counting at once never lose a failure; an expired window starts over. */
  private countFailure(keyHashes: string[], now: number) {
    const expired = sql`${loginFailures.expiresAt} <= ${new Date(now).toISOString()}`;
    const expiresAt = new Date(now + this.limits.windowMs);
    return this.db
      .insert(loginFailures)
      .values(keyHashes.map((keyHash) => ({ keyHash, failures: 1, expiresAt })))
      .onConflictDoUpdate({
        target: loginFailures.keyHash,
        set: {
          failures: sql`case when ${expired} then 1 else ${loginFailures.failures} + 1 end`,
          expiresAt: sql`case when ${expired} then excluded.expires_at else ${loginFailures.expiresAt} end`,
        },
      })
      .returning({
        keyHash: loginFailures.keyHash,
        failures: loginFailures.failures,
        expiresAt: loginFailures.expiresAt,
      });
  }

  private async giveBack(keyHashes: string[]): Promise<void> {
    await this.db
      .update(loginFailures)
      .set({ failures: sql`greatest(${loginFailures.failures} - 1, 0)` })
      .where(inArray(loginFailures.keyHash, keyHashes));
  }

  /** Expired rows hold nothing; each process clears them now and then, whoever wrote them. */
  private async deleteExpired(now: number): Promise<void> {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    await this.db.delete(loginFailures).where(lte(loginFailures.expiresAt, new Date(now)));
  }
}

/** Only hashes are stored: the table never lists who tried to log in, or from where. */
function throttleKeys(email: string, address: string) {
  return { account: sha256(`account:${email.toLowerCase()}`), address: sha256(`address:${address}`) };
}
