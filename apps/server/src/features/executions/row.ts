import type { ExecutionInput, ExecutionRecord, Usage } from '@promptlog/contracts';
import type { ResolvedCost } from '../pricing/resolve-cost';
import { type StoredSignals, signalsOfRow } from '../signals/detect';

/** Columns of the hot row, in the order the ingest statement writes them, with their Postgres types. */
export const EXECUTION_COLUMNS = {
  id: 'uuid',
  prompt_id: 'text',
  prompt_version: 'integer',
  status: 'text',
  source_type: 'text',
  source_id: 'text',
  source_url: 'text',
  model: 'text',
  provider: 'text',
  started_at: 'timestamptz',
  ended_at: 'timestamptz',
  latency_ms: 'integer',
  time_to_first_token_ms: 'integer',
  input_tokens: 'integer',
  output_tokens: 'integer',
  cache_read_tokens: 'integer',
  cache_write_tokens: 'integer',
  reasoning_tokens: 'integer',
  cost_usd: 'numeric',
  cost_origin: 'text',
  cost_price_ref: 'text',
  error_type: 'text',
  user_email: 'text',
  user_id: 'text',
  access_key: 'text',
  request_id: 'text',
  attempt: 'integer',
  generation: 'integer',
  triggered_by: 'text',
  location_node: 'text',
  location_field: 'text',
  trace_id: 'text',
  trace_parent_id: 'text',
  trace_span_id: 'text',
  trace_step_index: 'integer',
  trace_step_type: 'text',
  tags: 'text[]',
  metadata: 'jsonb',
  environment: 'text',
  conversation_id: 'text',
  has_thinking: 'boolean',
  tool_call_count: 'integer',
  output_chars: 'integer',
  finish_reason: 'text',
  json_valid: 'boolean',
  signals: 'smallint',
} as const;

export const PAYLOAD_COLUMNS = {
  inputs: 'json',
  request: 'json',
  output: 'json',
  error: 'json',
  thinking: 'json',
  tool_calls: 'json',
  redactions: 'json',
} as const;

/**
 * Read by the ingest statement but not stored: whether the payload row is written at all, and whether the id must be
 * claimed in execution_id_claims (its start is the server's clock, so a retry could land in another month).
 */
export const CONTROL_COLUMNS = { keep_payload: 'boolean', claim_id: 'boolean' } as const;

type ColumnValues<T> = { [K in keyof T]: unknown };
export type ExecutionRow = ColumnValues<typeof EXECUTION_COLUMNS> &
  ColumnValues<typeof PAYLOAD_COLUMNS> &
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
): ExecutionRow {
  const usage = input.usage;
  return {
    id,
    prompt_id: input.promptId,
    prompt_version: input.promptVersion ?? null,
    status: input.status,
    source_type: input.source.type,
    source_id: input.source.id ?? null,
    source_url: input.source.url ?? null,
    model: input.model,
    provider: input.provider ?? null,
    started_at: timing.startedAt,
    ended_at: timing.endedAt,
    latency_ms: timing.latencyMs,
    time_to_first_token_ms: input.timeToFirstTokenMs ?? null,
    input_tokens: usage?.inputTokens ?? null,
    output_tokens: usage?.outputTokens ?? null,
    cache_read_tokens: usage?.cacheReadTokens ?? null,
    cache_write_tokens: usage?.cacheWriteTokens ?? null,
    reasoning_tokens: usage?.reasoningTokens ?? null,
    cost_usd: cost.costUsd,
    cost_origin: cost.costOrigin,
    cost_price_ref: cost.costPriceRef,
    error_type: errorTypeOf(input),
    user_email: input.user?.email ?? null,
    user_id: input.user?.id ?? null,
    access_key: input.accessKey ?? null,
    request_id: input.requestId ?? null,
    attempt: input.attempt ?? null,
    generation: input.generation ?? null,
    triggered_by: input.triggeredBy ?? null,
    location_node: input.location?.node ?? null,
    location_field: input.location?.field ?? null,
    trace_id: input.trace?.traceId ?? null,
    trace_parent_id: input.trace?.parentId ?? null,
    trace_span_id: input.trace?.spanId ?? null,
    trace_step_index: input.trace?.stepIndex ?? null,
    trace_step_type: input.trace?.stepType ?? null,
    tags: input.tags ?? null,
    metadata: input.metadata ?? null,
    environment: input.environment ?? null,
    conversation_id: input.conversationId ?? null,
    has_thinking: input.thinking !== undefined && input.thinking.length > 0,
    tool_call_count: input.toolCalls?.length ?? 0,
    ...signals,
    inputs: input.inputs ?? null,
    request: input.request ?? null,
    output: input.output ?? null,
    error: input.error ?? null,
    thinking: input.thinking ?? null,
    tool_calls: input.toolCalls ?? null,
    redactions: stored.redactions,
    keep_payload: stored.keepPayload,
    claim_id: claimId,
  };
}

/** A stored execution as read back: the hot row joined with its payload. */
export interface StoredExecution {
  project_id: string;
  id: string;
  prompt_id: string;
  prompt_version: number | null;
  status: ExecutionRecord['status'];
  source_type: ExecutionRecord['source']['type'];
  source_id: string | null;
  source_url: string | null;
  model: string;
  provider: string | null;
  started_at: string;
  ended_at: string | null;
  received_at: string;
  latency_ms: number | null;
  time_to_first_token_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: string | null;
  cost_origin: ExecutionRecord['costOrigin'];
  user_email: string | null;
  user_id: string | null;
  access_key: string | null;
  request_id: string | null;
  attempt: number | null;
  generation: number | null;
  triggered_by: ExecutionRecord['triggeredBy'] | null;
  location_node: string | null;
  location_field: string | null;
  trace_id: string | null;
  trace_parent_id: string | null;
  trace_span_id: string | null;
  trace_step_index: number | null;
  trace_step_type: string | null;
  tags: string[] | null;
  metadata: Record<string, unknown> | null;
  environment: string | null;
  conversation_id: string | null;
  inputs: Record<string, unknown> | null;
  request: ExecutionRecord['request'] | null;
  output: unknown;
  error: ExecutionRecord['error'] | null;
  thinking: ExecutionRecord['thinking'] | null;
  tool_calls: ExecutionRecord['toolCalls'] | null;
  /** False when the project's payload policy kept only the metadata. */
  has_payload: boolean;
  redactions: Record<string, number> | null;
  output_chars: number | null;
  finish_reason: string | null;
  json_valid: boolean | null;
  signals: number;
}

function usageOf(row: StoredExecution): Usage | null {
  if (row.input_tokens === null || row.output_tokens === null) return null;
  return {
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheReadTokens: row.cache_read_tokens ?? 0,
    cacheWriteTokens: row.cache_write_tokens ?? 0,
    reasoningTokens: row.reasoning_tokens ?? 0,
  };
}

/** Drops absent optional fields so the record reads as it was ingested. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function isoOf(timestamp: string | Date): string {
  return new Date(timestamp).toISOString();
}

export function toExecutionRecord(row: StoredExecution): ExecutionRecord {
  const location = defined({ node: row.location_node ?? undefined, field: row.location_field ?? undefined });
  const user = defined({ email: row.user_email ?? undefined, id: row.user_id ?? undefined });
  return {
    ...defined({
      promptVersion: row.prompt_version ?? undefined,
      provider: row.provider ?? undefined,
      endedAt: row.ended_at ? isoOf(row.ended_at) : undefined,
      timeToFirstTokenMs: row.time_to_first_token_ms ?? undefined,
      inputs: row.inputs ?? undefined,
      request: row.request ?? undefined,
      output: row.output ?? undefined,
      error: row.error ?? undefined,
      user: Object.keys(user).length ? user : undefined,
      accessKey: row.access_key ?? undefined,
      requestId: row.request_id ?? undefined,
      attempt: row.attempt ?? undefined,
      generation: row.generation ?? undefined,
      triggeredBy: row.triggered_by ?? undefined,
      location: Object.keys(location).length ? location : undefined,
      thinking: row.thinking ?? undefined,
      toolCalls: row.tool_calls ?? undefined,
      trace: row.trace_id
        ? defined({
            traceId: row.trace_id,
            parentId: row.trace_parent_id ?? undefined,
            spanId: row.trace_span_id ?? undefined,
            stepIndex: row.trace_step_index ?? undefined,
            stepType: row.trace_step_type ?? undefined,
          })
        : undefined,
      tags: row.tags ?? undefined,
      metadata: row.metadata ?? undefined,
      environment: row.environment ?? undefined,
      conversationId: row.conversation_id ?? undefined,
    }),
    id: row.id,
    promptId: row.prompt_id,
    status: row.status,
    source: defined({ type: row.source_type, id: row.source_id ?? undefined, url: row.source_url ?? undefined }),
    model: row.model,
    startedAt: isoOf(row.started_at),
    receivedAt: isoOf(row.received_at),
    latencyMs: row.latency_ms,
    usage: usageOf(row),
    costUsd: row.cost_usd,
    costOrigin: row.cost_origin,
    signals: signalsOfRow(row),
  };
}
