import { type Database, executions, traceSpans } from '@promptlog/db';
import { and, eq, sql } from 'drizzle-orm';
import { isoUtc, isoUtcOrNull } from '../../lib/iso-time';

/** An execution's end: as sent, else its start plus its latency; null while it runs. */
const executionEnd = sql`coalesce(${executions.endedAt}, ${executions.startedAt} + ${executions.latencyMs} * interval '1 millisecond')`;

const inTrace = (projectId: string, traceId: string) =>
  and(eq(executions.projectId, projectId), eq(executions.traceId, traceId));
const spansInTrace = (projectId: string, traceId: string) =>
  and(eq(traceSpans.projectId, projectId), eq(traceSpans.traceId, traceId));

/** The whole trace's LLM calls summed up, with the prompts they ran, whose logs decide who sees step attributes. */
export async function selectExecutionTotals(db: Database, projectId: string, traceId: string) {
  const [row] = await db
    .select({
      executions: sql<number>`count(*)`.mapWith(Number),
      errors: sql<number>`count(*) filter (where ${executions.status} = 'error')`.mapWith(Number),
      costUsd: sql<string | null>`trim_scale(sum(${executions.costUsd}))::text`,
      unpriced: sql<number>`count(*) filter (where ${executions.costUsd} is null)`.mapWith(Number),
      inputTokens: sql<number>`coalesce(sum(${executions.inputTokens}), 0)`.mapWith(Number),
      outputTokens: sql<number>`coalesce(sum(${executions.outputTokens}), 0)`.mapWith(Number),
      startedAt: isoUtcOrNull(sql`min(${executions.startedAt})`),
      endedAt: isoUtcOrNull(sql`max(${executionEnd})`),
      promptIds: sql<string[] | null>`array_agg(distinct ${executions.promptId})`,
    })
    .from(executions)
    .where(inTrace(projectId, traceId));
  return row;
}

export async function selectSpanTotals(db: Database, projectId: string, traceId: string) {
  const [row] = await db
    .select({
      spans: sql<number>`count(*)`.mapWith(Number),
      errors: sql<number>`count(*) filter (where ${traceSpans.status} = 'error')`.mapWith(Number),
      startedAt: isoUtcOrNull(sql`min(${traceSpans.startedAt})`),
      endedAt: isoUtcOrNull(sql`max(${traceSpans.endedAt})`),
    })
    .from(traceSpans)
    .where(spansInTrace(projectId, traceId));
  return row;
}

/** The earliest-starting LLM calls of a trace: narrow columns, never a payload. */
export function selectTraceExecutions(db: Database, projectId: string, traceId: string, limit: number) {
  return db
    .select({
      id: executions.id,
      spanId: executions.traceSpanId,
      parentId: executions.traceParentId,
      promptId: executions.promptId,
      promptVersion: executions.promptVersion,
      model: executions.model,
      provider: executions.provider,
      status: executions.status,
      startedAt: isoUtc(executions.startedAt),
      endedAt: isoUtcOrNull(executionEnd),
      latencyMs: executions.latencyMs,
      inputTokens: executions.inputTokens,
      outputTokens: executions.outputTokens,
      costUsd: sql<string | null>`trim_scale(${executions.costUsd})::text`,
      costOrigin: executions.costOrigin,
      errorType: executions.errorType,
      stepType: executions.traceStepType,
      attempt: executions.attempt,
    })
    .from(executions)
    .where(inTrace(projectId, traceId))
    .orderBy(executions.startedAt, executions.id)
    .limit(limit);
}
export type TraceExecutionRow = Awaited<ReturnType<typeof selectTraceExecutions>>[number];

/** The earliest-starting other steps of a trace; their status message and attributes only when `withPayload`. */
export function selectTraceSpans(
  db: Database,
  projectId: string,
  traceId: string,
  { limit, withPayload }: { limit: number; withPayload: boolean },
) {
  return db
    .select({
      spanId: traceSpans.spanId,
      parentSpanId: traceSpans.parentSpanId,
      name: traceSpans.name,
      kind: traceSpans.kind,
      serviceName: traceSpans.serviceName,
      status: traceSpans.status,
      startedAt: isoUtc(traceSpans.startedAt),
      endedAt: isoUtcOrNull(traceSpans.endedAt),
      statusMessage: withPayload ? traceSpans.statusMessage : sql<string | null>`null`,
      attributes: withPayload ? traceSpans.attributes : sql<unknown>`null`,
    })
    .from(traceSpans)
    .where(spansInTrace(projectId, traceId))
    .orderBy(traceSpans.startedAt, traceSpans.spanId)
    .limit(limit);
}
export type TraceSpanRow = Awaited<ReturnType<typeof selectTraceSpans>>[number];
