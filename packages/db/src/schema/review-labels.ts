import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

/** A label reviewers put on executions, from the project's short list: a name and a colour from a fixed palette. */
export const reviewLabels = pgTable(
  'review_labels',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** One of REVIEW_LABEL_COLORS (contracts): a palette the UI maps to readable colours in both themes. */
    color: text('color').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    uniqueIndex('review_labels_name_key').on(t.projectId, sql`lower(${t.name})`),
    check('review_labels_name_check', sql`char_length(${t.name}) between 1 and 40`),
  ],
);
