import { foreignKey, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { projectMembers } from './project-members';

/** Edit access to one prompt, and so to its logs, granted to a member beyond what their role gives. */
export const promptAccess = pgTable(
  'prompt_access',
  {
    projectId: uuid('project_id').notNull(),
    userId: uuid('user_id').notNull(),
    promptId: text('prompt_id').notNull(),
    grantedBy: uuid('granted_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.userId, t.promptId] }),
    foreignKey({
      name: 'prompt_access_member_fk',
      columns: [t.projectId, t.userId],
      foreignColumns: [projectMembers.projectId, projectMembers.userId],
    }).onDelete('cascade'),
  ],
);
