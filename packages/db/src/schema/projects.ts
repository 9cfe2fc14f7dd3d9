import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Executions older than this many days are deleted; null keeps them. */
    retentionDays: integer('retention_days'),
    /** Hourly aggregates older than this many days are deleted; null keeps them. */
    rollupRetentionDays: integer('rollup_retention_days'),
    payloadPolicy: text('payload_policy', { enum: ['all', 'errors_and_sampled', 'metadata_only'] })
      .notNull()
      .default('all'),
    payloadSampleRate: real('payload_sample_rate').notNull().default(0.1),
    /** The built-in redaction detectors that are on: all of them unless an admin turns one off. */
    redactionBuiltins: text('redaction_builtins')
      .array()
      .notNull()
      .default(sql`'{api_key,bearer_token,url_password,card_number}'`),
    /** Custom redaction rules: [{ name, pattern, caseInsensitive }], validated as RE2 before they are saved. */
    redactionCustom: jsonb('redaction_custom').notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    check('projects_retention_check', sql`${t.retentionDays} > 0 and ${t.rollupRetentionDays} > 0`),
    check('projects_sample_rate_check', sql`${t.payloadSampleRate} between 0 and 1`),
    check('projects_payload_policy_check', sql`${t.payloadPolicy} in ('all', 'errors_and_sampled', 'metadata_only')`),
  ],
);
