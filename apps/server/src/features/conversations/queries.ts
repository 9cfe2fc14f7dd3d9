import type { ListConversationsQuery } from '@promptlog/contracts';
import { conversationRollups, type Database, executions } from '@promptlog/db';
import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { isoUtc } from '../../lib/iso-time';
import type { LogsScope } from '../access/policy';
import { listColumns } from '../logs/queries';
import { SAMPLE_KEPT } from './rollup-sql';

const r = conversationRollups;

/** One conversation's row: its totals, never its executions. */
const summaryColumns = {
  id: r.conversationId,
  firstAt: isoUtc(r.firstAt),
  lastAt: isoUtc(r.lastAt),
  durationMs: sql<number>`floor(extract(epoch from (${r.lastEndedAt} - ${r.firstAt})) * 1000)::bigint`.mapWith(Number),
  calls: r.calls,
  errors: r.errorCalls,
  inputTokens: r.inputTokens,
  outputTokens: r.outputTokens,
  costUsd: sql<string>`trim_scale(${r.costUsd})::text`,
  pricedCalls: r.pricedCalls,
  latencySumMs: r.latencySumMs,
  userIds: r.userIds,
  promptIds: r.promptIds,
};

export interface ConversationPosition {
  lastAt: string;
  id: string;
}

/**
 * What a caller may see: every conversation when they read every prompt's logs, else only those whose every prompt
 * they may read (a full sample, all of it granted), so no total counts a call of a prompt hidden from them.
 */
function visibleTo(scope: LogsScope): SQL | undefined {
  if (scope.all) return undefined;
  return sql`cardinality(${r.promptIds}) < ${SAMPLE_KEPT} and ${r.promptIds} <@ ${sql.param(scope.promptIds)}::text[]`;
}

/** `%` and `_` taken literally in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of conversations, latest activity first, read in the order of conversation_rollups_recent_idx, plus one
 * row more to tell whether another page follows. Rows a fold left empty (a completion folded before its call) are
 * skipped.
 */
export function selectConversationPage(
  db: Database,
  projectId: string,
  query: ListConversationsQuery,
  scope: LogsScope,
  after: ConversationPosition | undefined,
) {
  const where = and(
    eq(r.projectId, projectId),
    sql`${r.calls} > 0`,
    query.from ? gte(r.lastAt, query.from) : undefined,
    query.to ? lt(r.firstAt, query.to) : undefined,
    query.q ? sql`${r.conversationId} ilike ${`%${likeLiteral(query.q)}%`}` : undefined,
    query.promptId?.length ? sql`${r.promptIds} && ${sql.param(query.promptId)}::text[]` : undefined,
    visibleTo(scope),
    after ? sql`(${r.lastAt}, ${r.conversationId}) < (${after.lastAt}::timestamptz, ${after.id})` : undefined,
  );
  return db
    .select(summaryColumns)
    .from(r)
    .where(where)
    .orderBy(sql`${r.lastAt} desc nulls last`, sql`${r.conversationId} desc nulls last`)
    .limit(query.limit + 1);
}

export async function selectConversation(db: Database, projectId: string, conversationId: string, scope: LogsScope) {
  const [row] = await db
    .select(summaryColumns)
    .from(r)
    .where(
      and(eq(r.projectId, projectId), eq(r.conversationId, conversationId), sql`${r.calls} > 0`, visibleTo(scope)),
    );
  return row;
}

export type ConversationRow = Awaited<ReturnType<typeof selectConversation>> & {};

export interface ThreadPosition {
  startedAt: string;
  id: string;
}

/**
 * A conversation's executions, oldest first, as narrow rows: executions_conversation_idx read backwards (hence
 * `nulls first`, the mirror of its `desc nulls last`), only prompts whose logs the caller may read.
 */
export function selectThreadPage(
  db: Database,
  projectId: string,
  conversationId: string,
  scope: LogsScope,
  limit: number,
  after: ThreadPosition | undefined,
) {
  return db
    .select(listColumns)
    .from(executions)
    .where(
      and(
        eq(executions.projectId, projectId),
        eq(executions.conversationId, conversationId),
        scope.all ? undefined : sql`${executions.promptId} = any(${sql.param(scope.promptIds)}::text[])`,
        after
          ? sql`(${executions.startedAt}, ${executions.id}) > (${after.startedAt}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(sql`${executions.startedAt} asc nulls first`, sql`${executions.id} asc nulls first`)
    .limit(limit + 1);
}
