import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

/**
 * A person's review of one execution: thumbs up or down, a note, labels. Kept apart from the hot, partitioned
 * executions table: reviews are few, and the Logs tab's "reviewed" and label filters are semi-joins on this table's
 * keys. A review with no rating, note or label is deleted, so a row exists exactly when the execution was reviewed.
 */
export const executionReviews = pgTable(
  'execution_reviews',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    executionId: uuid('execution_id').notNull(),
    /** The execution's prompt and start (its partition key), which never change: a filter of one prompt's logs reads
     * only that prompt's reviews, a join on the start reaches one month's partition, and retention deletes by it. */
    promptId: text('prompt_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    rating: text('rating', { enum: ['up', 'down'] }),
    note: text('note').notNull().default(''),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.executionId] }),
    index('execution_reviews_started_idx').on(t.projectId, t.startedAt),
    index('execution_reviews_prompt_idx').on(t.projectId, t.promptId, t.startedAt),
    check('execution_reviews_rating_check', sql`${t.rating} is null or ${t.rating} in ('up', 'down')`),
    check('execution_reviews_note_check', sql`char_length(${t.note}) <= 4000`),
  ],
);
