import { sql } from 'drizzle-orm';
import { check, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';
import { prompts } from './prompts';

/**
 * A named Logs tab: its URL search params (filters, time range), shared with the project. A view of one prompt
 * goes with the prompt; one without a prompt applies to every prompt's Logs tab.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    /** Null for a view of every prompt. */
    promptId: text('prompt_id'),
    name: text('name').notNull(),
    /** The canonical URL search string (keys sorted), e.g. `range=30d&status=error`. */
    state: text('state').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    // One name per prompt, and one among the project-wide views (whose prompt is null). An expression rather than
    // NULLS NOT DISTINCT, which PostgreSQL 14 lacks; a prompt id is never empty.
    uniqueIndex('saved_views_name_key').on(t.projectId, sql`coalesce(${t.promptId}, '')`, t.name),
    foreignKey({
      name: 'saved_views_prompt_fk',
      columns: [t.projectId, t.promptId],
      foreignColumns: [prompts.projectId, prompts.id],
    }).onDelete('cascade'),
    check('saved_views_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('saved_views_state_check', sql`char_length(${t.state}) <= 2000`),
  ],
);
