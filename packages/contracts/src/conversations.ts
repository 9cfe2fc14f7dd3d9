import { z } from 'zod';
import { IsoDateTime, RepeatedParam } from './common';
import { CONVERSATION_ID_MAX } from './execution';
import { ExecutionListItem } from './executions-query';

/** How many users and prompts a conversation's summary names; `…Truncated` says when it has more. */
export const CONVERSATION_SAMPLE = 20;

export const ConversationId = z.string().min(1).max(CONVERSATION_ID_MAX);

/** GET /api/v1/conversations: most recent activity first, keyset-paginated by `cursor`. */
export const ListConversationsQuery = z.object({
  projectId: z.uuid().optional(),
  from: IsoDateTime.optional().describe('Conversations active at or after this time (their last call started since)'),
  to: IsoDateTime.optional().describe('Conversations active before this time (their first call started before)'),
  q: z.string().trim().min(1).max(200).optional().describe('Part of the conversation id (case-insensitive)'),
  promptId: RepeatedParam(z.string().min(1)).describe('Conversations that ran any of these prompts'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional().describe('nextCursor of the previous page'),
});
export type ListConversationsQuery = z.output<typeof ListConversationsQuery>;

export const ConversationSummary = z.object({
  id: z.string(),
  firstAt: z.string().describe('Start of its first call'),
  lastAt: z.string().describe('Start of its latest call: the list is ordered by it'),
  durationMs: z.number().int().describe('From the start of its first call to the end of its latest'),
  calls: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z
    .string()
    .nullable()
    .describe('Exact decimal sum of its priced calls; null when none of them has a known cost'),
  unpricedCalls: z.number().int().describe('Calls with no known cost, left out of costUsd'),
  latencySumMs: z.number().int(),
  users: z.array(z.string()).describe(`Its users (user id, else email), at most ${CONVERSATION_SAMPLE}, sorted`),
  usersTruncated: z.boolean().describe('Whether it has more users than listed'),
  promptIds: z.array(z.string()).describe(`The prompts it ran, at most ${CONVERSATION_SAMPLE}, sorted`),
  promptsTruncated: z.boolean(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ConversationListPage = z.object({
  items: z.array(ConversationSummary),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next (older) page; null on the last page'),
});
export type ConversationListPage = z.infer<typeof ConversationListPage>;

export const ConversationParams = z.object({ conversationId: ConversationId });
export type ConversationParams = z.infer<typeof ConversationParams>;

export const ConversationThreadQuery = z.object({
  projectId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type ConversationThreadQuery = z.output<typeof ConversationThreadQuery>;

export const ConversationThread = z.object({
  conversation: ConversationSummary.nullable().describe(
    'Its totals; null while they are being counted (within seconds of ingestion) or when it ran prompts whose logs you may not read',
  ),
  items: z
    .array(ExecutionListItem)
    .describe('Its executions, oldest first (narrow rows; only those of prompts whose logs you may read)'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next (later) calls; null on the last page'),
});
export type ConversationThread = z.infer<typeof ConversationThread>;
