import { sql } from 'drizzle-orm';
import { foreignKey, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { alertRules } from './alert-rules';

/**
 * One firing of a rule for one subject (the rule's scope, or one prompt or version of it): fired, then resolved when
 * the condition no longer holds. At most one open event per rule and subject, so concurrent evaluations record a
 * firing once. `numbers` are what triggered it; `link` the Logs tab filtered to those calls.
 */
export const alertEvents = pgTable(
  'alert_events',
  {
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull(),
    ruleId: uuid('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    subject: text('subject').notNull(),
    measure: text('measure').notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true, mode: 'string' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'string' }),
    numbers: jsonb('numbers').notNull(),
    link: text('link').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    foreignKey({
      name: 'alert_events_rule_fk',
      columns: [t.projectId, t.ruleId],
      foreignColumns: [alertRules.projectId, alertRules.id],
    }).onDelete('cascade'),
    uniqueIndex('alert_events_open_key').on(t.projectId, t.ruleId, t.subject).where(sql`${t.resolvedAt} is null`),
  ],
);
