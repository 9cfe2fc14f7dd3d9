import { bigint, index, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The measures of a conversation, summed over its executions. Users and prompts are bounded samples (the first
 * CONVERSATION_SAMPLE + 1 in sort order), so a conversation with more says so instead of growing without bound.
 */
const conversationMeasures = () => ({
  projectId: uuid('project_id').notNull(),
  conversationId: text('conversation_id').notNull(),
  firstAt: timestamp('first_at', { withTimezone: true, mode: 'string' }).notNull(),
  lastAt: timestamp('last_at', { withTimezone: true, mode: 'string' }).notNull(),
  /** The latest end of any of its calls (its start plus latency when no end was sent; its start while pending). */
  lastEndedAt: timestamp('last_ended_at', { withTimezone: true, mode: 'string' }).notNull(),
  calls: bigint('calls', { mode: 'number' }).notNull(),
  errorCalls: bigint('error_calls', { mode: 'number' }).notNull(),
  inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
  outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
  costUsd: numeric('cost_usd').notNull(),
  pricedCalls: bigint('priced_calls', { mode: 'number' }).notNull(),
  latencySumMs: bigint('latency_sum_ms', { mode: 'number' }).notNull(),
  userIds: text('user_ids').array().notNull(),
  promptIds: text('prompt_ids').array().notNull(),
});

/**
 * One row per conversation, folded from conversation_rollup_deltas by the roller, so the Conversations list reads
 * one narrow row per conversation, newest activity first, by index, never the executions.
 */
export const conversationRollups = pgTable('conversation_rollups', conversationMeasures(), (t) => [
  primaryKey({ columns: [t.projectId, t.conversationId] }),
  index('conversation_rollups_recent_idx').on(t.projectId, t.lastAt.desc(), t.conversationId.desc()),
]);

/** Changes not yet folded into conversation_rollups: insert-only, written by the statements that change executions. */
export const conversationRollupDeltas = pgTable(
  'conversation_rollup_deltas',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ...conversationMeasures(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);
