import { index, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

/** Admin-set per-million-token prices that override the catalogue for matching models. */
export const customPrices = pgTable(
  'custom_prices',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    model: text('model').notNull(),
    match: text('match', { enum: ['exact', 'prefix'] }).notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true, mode: 'string' }).notNull(),
    inputPerMillion: numeric('input_per_million', { precision: 30, scale: 12 }).notNull(),
    outputPerMillion: numeric('output_per_million', { precision: 30, scale: 12 }).notNull(),
    cacheReadPerMillion: numeric('cache_read_per_million', { precision: 30, scale: 12 }),
    cacheWritePerMillion: numeric('cache_write_per_million', { precision: 30, scale: 12 }),
    /** Null: reasoning tokens, part of the output tokens, cost the output price. */
    reasoningPerMillion: numeric('reasoning_per_million', { precision: 30, scale: 12 }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] }), index('custom_prices_model_idx').on(t.projectId, t.model)],
);
