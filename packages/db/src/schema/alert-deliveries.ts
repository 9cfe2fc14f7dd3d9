import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { alertRules } from './alert-rules';

/**
 * A webhook delivery of an alert (fired or resolved) or a test: the exact body signed and sent, and its last
 * attempt: the response's status code or the error, and when the next attempt is due while it is pending.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull(),
    ruleId: uuid('rule_id').notNull(),
    /** Null for a test delivery. */
    eventId: uuid('event_id'),
    kind: text('kind', { enum: ['fired', 'resolved', 'test'] }).notNull(),
    body: text('body').notNull(),
    state: text('state', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    statusCode: integer('status_code'),
    error: text('error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'string' }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    foreignKey({
      name: 'alert_deliveries_rule_fk',
      columns: [t.projectId, t.ruleId],
      foreignColumns: [alertRules.projectId, alertRules.id],
    }).onDelete('cascade'),
    index('alert_deliveries_rule_idx').on(t.projectId, t.ruleId, t.id),
    // The walker's queue: only the pending ones, by when they are due.
    index('alert_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
  ],
);
