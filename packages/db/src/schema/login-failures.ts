import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed logins per account and per client address, shared by every server process. `key_hash` is the
 * SHA-256 of `account:<email>` or `address:<ip>`, so neither is stored; a row is dead once it expires.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    keyHash: text('key_hash').primaryKey(),
    failures: integer('failures').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_expires_idx').on(t.expiresAt)],
);
