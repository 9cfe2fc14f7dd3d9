import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every distinct system prompt text of a project, once, keyed by its hash (executions.system_prompt_hash). Written by
 * the ingest statement with `on conflict do nothing` only while the payload policy keeps the text, and only the first
 * time a process meets it; retention deletes a text once no counted use of it is left, the purge with the project.
 */
export const systemPrompts = pgTable(
  'system_prompts',
  {
    projectId: uuid('project_id').notNull(),
    hash: text('hash').notNull(),
    text: text('text').notNull(),
    storedAt: timestamp('stored_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.hash] })],
);

/** How often each prompt version ran with each system prompt, and when first and last (by the calls' start). */
const usageColumns = () => ({
  projectId: uuid('project_id').notNull(),
  promptId: text('prompt_id').notNull(),
  /** 0 for calls logged without a version, as in the analytics rollups. */
  promptVersion: integer('prompt_version').notNull(),
  hash: text('hash').notNull(),
  calls: bigint('calls', { mode: 'number' }).notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'string' }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/**
 * One row per prompt version and system prompt, folded by the analytics roller from system_prompt_rollup_deltas, so
 * the system prompts of a prompt are read from a handful of rows, never from the executions.
 */
export const systemPromptRollups = pgTable('system_prompt_rollups', usageColumns(), (t) => [
  primaryKey({ columns: [t.projectId, t.promptId, t.promptVersion, t.hash] }),
  /** Whether anything still counts a text, for retention. */
  index('system_prompt_rollups_hash_idx').on(t.projectId, t.hash),
]);

/** Uses not yet folded into system_prompt_rollups: insert-only, written by the ingest statement. */
export const systemPromptRollupDeltas = pgTable(
  'system_prompt_rollup_deltas',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ...usageColumns(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);
