import type { ExecutionInput, ExecutionRecord, Usage } from '@promptlog/contracts';
import { executionPayloads, executions } from '@promptlog/db';
import { getTableColumns } from 'drizzle-orm';
import type { ResolvedCost } from '../pricing/resolve-cost';
import { type StoredSignals, signalsOfRow } from '../signals/detect';
import type { StoredExecution } from './queries';

type HotColumns = (typeof executions)['_']['columns'];
/** Not in an ingested row: the project is the statement's parameter and the receipt time the database's clock. */
type NotIngested = 'project_id' | 'received_at';
type IngestedColumnName = Exclude<HotColumns[keyof HotColumns]['_']['name'], NotIngested>;

/** Columns of the hot row the ingest statement writes, with their Postgres types: the schema's, less `NotIngested`. */
export const EXECUTION_COLUMNS: Record<IngestedColumnName, string> = Object.fromEntries(
  Object.values(getTableColumns(executions))
    .filter((column) => column.name !== 'project_id' && column.name !== 'received_at')
    .map((column) => [column.name, column.getSQLType()]),
) as Record<IngestedColumnName, string>;

type PayloadColumns = (typeof executionPayloads)['_']['columns'];
/** The payload row's key, which the statement fills from the hot row. */
type PayloadKey = 'project_id' | 'execution_id' | 'started_at';
type PayloadColumnName = Exclude<PayloadColumns[keyof PayloadColumns]['_']['name'], PayloadKey>;

/** Columns of the payload row the ingest statement writes, with their Postgres types: the schema's, less its key. */
export const PAYLOAD_COLUMNS: Record<PayloadColumnName, string> = Object.fromEntries(
  Object.values(getTableColumns(executionPayloads))
    .filter((column) => !['project_id', 'execution_id', 'started_at'].includes(column.name))
    .map((column) => [column.name, column.getSQLType()]),
) as Record<PayloadColumnName, string>;

/**
 * Read by the ingest statement but not stored on the row: whether the payload row is written at all, whether the id
 * must be claimed in execution_id_claims (its start is the server's clock, so a retry could land in another month),
 * and the system prompt's text for system_prompts (null when the request sends it with another row, the process saw
 * it stored, or the payload policy does not keep it).
 */
export const CONTROL_COLUMNS = { keep_payload: 'boolean', claim_id: 'boolean', system_prompt_text: 'text' } as const;

type ColumnValues<T> = { [K in keyof T]: unknown };
export type ExecutionRow = Record<IngestedColumnName | PayloadColumnName, unknown> &
  ColumnValues<typeof CONTROL_COLUMNS>;

export interface Timing {
  startedAt: string;
  endedAt: string | null;
  latencyMs: number | null;
  /** The start is the time the server received the record: nothing sent says when the call started. */
  startIsReceipt: boolean;
}

/** When the call started and how long it took, filling in what the client left out. */
export function resolveTiming(
  input: Pick<ExecutionInput, 'startedAt' | 'endedAt' | 'latencyMs'>,
  receivedAt: Date,
): Timing {
  const ended = input.endedAt ? new Date(input.endedAt) : null;
  let started: Date;
  if (input.startedAt) started = new Date(input.startedAt);
  else if (ended && input.latencyMs !== undefined) started = new Date(ended.getTime() - input.latencyMs);
  else started = receivedAt;
  const latencyMs = input.latencyMs ?? (ended ? ended.getTime() - started.getTime() : null);
  return {
    startedAt: started.toISOString(),
    endedAt: ended?.toISOString() ?? null,
    latencyMs,
    startIsReceipt: started === receivedAt,
  };
}

function errorTypeOf(input: Pick<ExecutionInput, 'status' | 'error'>): string | null {
  if (input.error?.type) return input.error.type;
  if (input.status === 'error') return input.error ? 'other' : null;
  return input.status === 'cancelled' ? 'cancelled' : null;
}

export function toExecutionRow(
  id: string,
  input: ExecutionInput,
  timing: Timing,
  cost: ResolvedCost,
  stored: { keepPayload: boolean; redactions: Record<string, number> | null },
  claimId: boolean,
  signals: StoredSignals,
  systemPrompt: { hash: string; text: string | null } | null,
  inputsHash: string | null,
): ExecutionRow {
  const usage = input.usage;
  // Absent values stay undefined: JSON.stringify leaves them out and json_to_recordset reads a missing key as null,
  // so a typical row's text is a fifth shorter than with every null spelled out.
  return {
    id,
    prompt_id: input.promptId,
    prompt_version: input.promptVersion,
    status: input.status,
    source_type: input.source.type,
    source_id: input.source.id,
    source_url: input.source.url,
    model: input.model,
    provider: input.provider,
    started_at: timing.startedAt,
    ended_at: timing.endedAt,
    latency_ms: timing.latencyMs,
    time_to_first_token_ms: input.timeToFirstTokenMs,
    input_tokens: usage?.inputTokens,
    output_tokens: usage?.outputTokens,
    cache_read_tokens: usage?.cacheReadTokens,
    cache_write_tokens: usage?.cacheWriteTokens,
    reasoning_tokens: usage?.reasoningTokens,
    cost_usd: cost.costUsd,
    cost_origin: cost.costOrigin,
    cost_price_ref: cost.costPriceRef,
    error_type: errorTypeOf(input),
    user_email: input.user?.email,
    user_id: input.user?.id,
    access_key: input.accessKey,
    request_id: input.requestId,
    attempt: input.attempt,
    generation: input.generation,
    triggered_by: input.triggeredBy,
    location_node: input.location?.node,
    location_field: input.location?.field,
    trace_id: input.trace?.traceId,
    trace_parent_id: input.trace?.parentId,
    trace_span_id: input.trace?.spanId,
    trace_step_index: input.trace?.stepIndex,
    trace_step_type: input.trace?.stepType,
    tags: input.tags,
    metadata: input.metadata,
    environment: input.environment,
    conversation_id: input.conversationId,
    has_thinking: input.thinking !== undefined && input.thinking.length > 0,
    tool_call_count: input.toolCalls?.length ?? 0,
    ...signals,
    system_prompt_hash: systemPrompt?.hash,
    inputs_hash: inputsHash,
    inputs: input.inputs,
    request: input.request,
    output: input.output,
    error: input.error,
    thinking: input.thinking,
    tool_calls: input.toolCalls,
    redactions: stored.redactions,
    keep_payload: stored.keepPayload,
    claim_id: claimId,
    system_prompt_text: systemPrompt?.text,
  };
}

/** The token counts of a stored row as a usage: null unless both the input and the output count are known. */
export function usageOfRow(row: {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
}): Usage | null {
  if (row.inputTokens === null || row.outputTokens === null) return null;
  return {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens ?? 0,
    cacheWriteTokens: row.cacheWriteTokens ?? 0,
    reasoningTokens: row.reasoningTokens ?? 0,
  };
}

/** Drops absent optional fields so the record reads as it was ingested. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function isoOf(timestamp: string | Date): string {
  return new Date(timestamp).toISOString();
}

/**
 * The record as the API answers it. Payload values are read back as the types they were validated as when they were
 * ingested, and the texts constrained by the database (status, source, cost origin) keep the schema's types.
 */
export function toExecutionRecord(row: StoredExecution): ExecutionRecord {
  const location = defined({ node: row.locationNode ?? undefined, field: row.locationField ?? undefined });
  const user = defined({ email: row.userEmail ?? undefined, id: row.userId ?? undefined });
  return {
    ...defined({
      promptVersion: row.promptVersion ?? undefined,
      provider: row.provider ?? undefined,
      endedAt: row.endedAt ? isoOf(row.endedAt) : undefined,
      timeToFirstTokenMs: row.timeToFirstTokenMs ?? undefined,
      inputs: (row.inputs ?? undefined) as ExecutionRecord['inputs'],
      request: (row.request ?? undefined) as ExecutionRecord['request'],
      output: row.output ?? undefined,
      error: (row.error ?? undefined) as ExecutionRecord['error'],
      user: Object.keys(user).length ? user : undefined,
      accessKey: row.accessKey ?? undefined,
      requestId: row.requestId ?? undefined,
      attempt: row.attempt ?? undefined,
      generation: row.generation ?? undefined,
      triggeredBy: (row.triggeredBy ?? undefined) as ExecutionRecord['triggeredBy'],
      location: Object.keys(location).length ? location : undefined,
      thinking: (row.thinking ?? undefined) as ExecutionRecord['thinking'],
      toolCalls: (row.toolCalls ?? undefined) as ExecutionRecord['toolCalls'],
      trace: row.traceId
        ? defined({
            traceId: row.traceId,
            parentId: row.traceParentId ?? undefined,
            spanId: row.traceSpanId ?? undefined,
            stepIndex: row.traceStepIndex ?? undefined,
            stepType: row.traceStepType ?? undefined,
          })
        : undefined,
      tags: row.tags ?? undefined,
      metadata: (row.metadata ?? undefined) as ExecutionRecord['metadata'],
      environment: row.environment ?? undefined,
      conversationId: row.conversationId ?? undefined,
    }),
    id: row.id,
    promptId: row.promptId,
    status: row.status,
    source: defined({ type: row.sourceType, id: row.sourceId ?? undefined, url: row.sourceUrl ?? undefined }),
    model: row.model,
    startedAt: isoOf(row.startedAt),
    receivedAt: isoOf(row.receivedAt),
    latencyMs: row.latencyMs,
    usage: usageOfRow(row),
    costUsd: row.costUsd,
    costOrigin: row.costOrigin,
    signals: signalsOfRow(row),
  };
}
