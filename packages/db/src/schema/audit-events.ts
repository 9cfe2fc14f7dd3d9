import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projects } from './projects';

/** Who changed what in a project, newest first. Actor labels are copied so the trail survives deletions. */
export const auditEvents = pgTable(
  'audit_events',
  {
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    action: text('action').notNull(),
    actorKind: text('actor_kind', { enum: ['user', 'api_key', 'system'] }).notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label').notNull(),
    target: text('target'),
    details: jsonb('details').notNull().default({}),
  },
  // Ids are UUIDv7, so the primary key also orders events by time.
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);
