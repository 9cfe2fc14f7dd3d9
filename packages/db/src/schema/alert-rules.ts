import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { projects } from './projects';

/**
 * A project's alert rule: a measure read from the rollups over a scope (each of prompt, version, source and model
 * narrows it; null is any), a window of hours, the calls needed before it is judged, and a condition. A built-in
 * rule (`builtin` set, one of each per project) is created by the evaluator and may be edited or turned off, not
 * deleted. The webhook secret is kept as it is, since it must sign each delivery; the API shows it once.
 */
export const alertRules = pgTable(
  'alert_rules',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    measure: text('measure').notNull(),
    promptId: text('prompt_id'),
    promptVersion: integer('prompt_version'),
    sourceType: text('source_type'),
    model: text('model'),
    windowHours: integer('window_hours').notNull(),
    minCalls: integer('min_calls').notNull(),
    condition: text('condition', {
      enum: ['above_threshold', 'worse_than_previous_window', 'worse_than_previous_version'],
    }).notNull(),
    /** For `above_threshold`: in the measure's unit (a rate 0–1, milliseconds, USD, calls). */
    threshold: doublePrecision('threshold'),
    builtin: text('builtin'),
    enabled: boolean('enabled').notNull().default(true),
    webhookUrl: text('webhook_url'),
    webhookSecret: text('webhook_secret'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    // Nulls are distinct: any number of rules of one's own, one row per built-in.
    unique('alert_rules_builtin_key').on(t.projectId, t.builtin),
    check('alert_rules_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('alert_rules_window_check', sql`${t.windowHours} between 1 and 720`),
    check('alert_rules_min_calls_check', sql`${t.minCalls} between 1 and 1000000`),
    check('alert_rules_webhook_check', sql`(${t.webhookUrl} is null) = (${t.webhookSecret} is null)`),
  ],
);
