import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every version of a prompt that has been seen, recorded at ingestion, so listing them never scans executions. */
export const promptVersions = pgTable(
  'prompt_versions',
  {
    projectId: uuid('project_id').notNull(),
    promptId: text('prompt_id').notNull(),
    version: integer('version').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.promptId, t.version] })],
);
