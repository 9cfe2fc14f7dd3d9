import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The tags each prompt's executions carried, one row per UTC day a tag was seen: what the Logs tab's Tag filter
 * suggests, without scanning executions. Written by the ingest statement with `on conflict do nothing` (no row
 * lock, so concurrent batches never wait on a popular tag); aged out with the rollups, deleted with the project.
 */
export const tagsSeenDaily = pgTable(
  'tags_seen_daily',
  {
    projectId: uuid('project_id').notNull(),
    promptId: text('prompt_id').notNull(),
    tag: text('tag').notNull(),
    /** The UTC day, as in the daily rollups. */
    day: timestamp('day', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.promptId, t.tag, t.day] })],
);
