import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A deleted project's record, which outlives it: who deleted it and when, and whether the data it left behind (see
 * apps/server/src/features/projects/purge.ts) is all gone; a server that stopped mid-purge resumes from here at start.
 * Keyed by `deleted_project_id`, not `project_id`, so the purge, which empties every table keyed by a project, keeps it.
 */
export const projectDeletions = pgTable(
  'project_deletions',
  {
    deletedProjectId: uuid('deleted_project_id').primaryKey(),
    name: text('name').notNull(),
    deletedByEmail: text('deleted_by_email').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    /** When the last of its rows was deleted; null while the purge has work left. */
    purgedAt: timestamp('purged_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('project_deletions_unpurged_idx').on(t.deletedAt).where(sql`${t.purgedAt} is null`)],
);
