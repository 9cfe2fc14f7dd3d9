import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

/** What a re-pricing walks: the executions of a model name or prefix from a date on. */
export type RepricingPattern = { model: string; match: 'exact' | 'prefix'; effectiveFrom: string };

/**
 * The re-pricing a custom price change needs, committed with the change and then walked in the background in
 * chunks: each chunk's costs, rollup deltas and the job's cursor and counts commit together, so a crash resumes
 * from the last chunk. `queued` and `running` are waiting or under way; `done` and `failed` are final until a retry.
 */
export const repricingJobs = pgTable(
  'repricing_jobs',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    /** The price that changed; gone when it was deleted. */
    priceId: uuid('price_id').notNull(),
    action: text('action', { enum: ['created', 'updated', 'deleted'] }).notNull(),
    /** The price's model name or prefix, as the UI names the job. */
    model: text('model').notNull(),
    patterns: jsonb('patterns').$type<RepricingPattern[]>().notNull(),
    state: text('state', { enum: ['queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    /** Executions covered when the walk started (counted by the worker), or null before. */
    total: integer('total'),
    processed: integer('processed').notNull().default(0),
    repriced: integer('repriced').notNull().default(0),
    /** The id of the last execution walked: the next chunk starts after it. */
    cursor: uuid('cursor'),
    /** Failed attempts of the current chunk in a row. */
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    /** After a failed chunk, not before this. */
    retryAt: timestamp('retry_at', { withTimezone: true, mode: 'string' }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index('repricing_jobs_recent_idx').on(t.projectId, t.createdAt.desc()),
    // The worker's queue: only the jobs still to walk, so finding the next one stays cheap however many are done.
    index('repricing_jobs_pending_idx')
      .on(t.projectId, t.createdAt, t.id)
      .where(sql`${t.state} in ('queued', 'running')`),
    check('repricing_jobs_state_check', sql`${t.state} in ('queued', 'running', 'done', 'failed')`),
    check(
      'repricing_jobs_counts_check',
      sql`${t.processed} >= 0 and ${t.repriced} >= 0 and ${t.repriced} <= ${t.processed}`,
    ),
  ],
);
