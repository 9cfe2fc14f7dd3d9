import {
  CONVERSATION_SAMPLE,
  type ConversationListPage,
  type ConversationSummary,
  type ConversationThread,
  type ConversationThreadQuery,
  type ListConversationsQuery,
} from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { AppError } from '../../errors';
import type { LogsScope } from '../access/policy';
import { toListItem } from '../logs/queries';
import { decodePosition, encodePosition } from './cursor';
import { type ConversationRow, selectConversation, selectConversationPage, selectThreadPage } from './queries';

function toSummary(row: ConversationRow): ConversationSummary {
  const { userIds, promptIds, pricedCalls, costUsd, ...rest } = row;
  return {
    ...rest,
    costUsd: pricedCalls > 0 ? costUsd : null,
    unpricedCalls: row.calls - pricedCalls,
    users: userIds.slice(0, CONVERSATION_SAMPLE),
    usersTruncated: userIds.length > CONVERSATION_SAMPLE,
    promptIds: promptIds.slice(0, CONVERSATION_SAMPLE),
    promptsTruncated: promptIds.length > CONVERSATION_SAMPLE,
  };
}

/** Conversations, latest activity first, from their rollup rows: never the executions. */
export async function listConversations(
  handle: QueryRunner,
  projectId: string,
  query: ListConversationsQuery,
  scope: LogsScope,
): Promise<ConversationListPage> {
  const after = query.cursor ? decodePosition(query.cursor, 'text') : undefined;
  const rows = await selectConversationPage(
    handle.db,
    projectId,
    query,
    scope,
    after && { lastAt: after.at, id: after.key },
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > query.limit && last ? encodePosition(last.lastAt, last.id) : null,
  };
}

/**
 * One conversation as a thread: its executions oldest first (those of prompts the caller may read), a page at a time,
 * and its totals when the caller may read every prompt it ran. A conversation with nothing visible is not found.
 */
export async function getConversationThread(
  handle: QueryRunner,
  projectId: string,
  conversationId: string,
  query: ConversationThreadQuery,
  scope: LogsScope,
): Promise<ConversationThread> {
  const after = query.cursor ? decodePosition(query.cursor, 'uuid') : undefined;
  const [summary, rows] = await Promise.all([
    selectConversation(handle.db, projectId, conversationId, scope),
    selectThreadPage(
      handle.db,
      projectId,
      conversationId,
      scope,
      query.limit,
      after && { startedAt: after.at, id: after.key },
    ),
  ]);
  if (!summary && rows.length === 0 && !after) {
    throw new AppError('not_found', `No conversation ${conversationId}`);
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    conversation: summary ? toSummary(summary) : null,
    items: page.map(toListItem),
    nextCursor: rows.length > query.limit && last ? encodePosition(last.startedAt, last.id) : null,
  };
}
