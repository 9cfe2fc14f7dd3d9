import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The narrow, hot row of one execution: everything lists, filters and analytics read.
 * Payloads (inputs, request, output, error detail, thinking, tool calls) live in execution_payloads.
 * No foreign keys: rows are written by one multi-table statement on the ingestion hot path.
 *
 * In the database this is a table partitioned by month of `started_at` (migration 0011; drizzle cannot declare it):
 * `executions_default` holds whatever no monthly partition covers (an existing install's rows from before it moved
 * over, and back-dated imports), and features/partitions creates the months ahead. PostgreSQL wants a unique key of a
 * partitioned table to contain the partition key, so (project_id, id) below is the key of every partition, not of the
 * parent; a retried id lands in the same partition because its `started_at` is the same, or, when that time is the
 * server's clock, is claimed once in execution_id_claims.
 */
export const executions = pgTable(
  'executions',
  {
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull(),
    promptId: text('prompt_id').notNull(),
    promptVersion: integer('prompt_version'),
    status: text('status', { enum: ['success', 'error', 'cancelled', 'pending'] }).notNull(),
    sourceType: text('source_type', {
      enum: ['chat', 'workflow', 'api', 'playground', 'project_tool', 'mcp'],
    }).notNull(),
    sourceId: text('source_id'),
    sourceUrl: text('source_url'),
    model: text('model').notNull(),
    provider: text('provider'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'string' }),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    latencyMs: integer('latency_ms'),
    timeToFirstTokenMs: integer('time_to_first_token_ms'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    cacheReadTokens: integer('cache_read_tokens'),
    cacheWriteTokens: integer('cache_write_tokens'),
    reasoningTokens: integer('reasoning_tokens'),
    costUsd: numeric('cost_usd'),
    costOrigin: text('cost_origin', { enum: ['provided', 'catalog', 'custom', 'none'] }).notNull(),
    costPriceRef: text('cost_price_ref'),
    errorType: text('error_type'),
    userEmail: text('user_email'),
    userId: text('user_id'),
    accessKey: text('access_key'),
    requestId: text('request_id'),
    attempt: integer('attempt'),
    generation: integer('generation'),
    triggeredBy: text('triggered_by'),
    locationNode: text('location_node'),
    locationField: text('location_field'),
    traceId: text('trace_id'),
    traceParentId: text('trace_parent_id'),
    /** This execution's own node in the trace: an OpenTelemetry span id, or one the client chose. */
    traceSpanId: text('trace_span_id'),
    traceStepIndex: integer('trace_step_index'),
    traceStepType: text('trace_step_type'),
    tags: text('tags').array(),
    metadata: jsonb('metadata'),
    environment: text('environment'),
    /** The conversation (session) this call was one turn of, as the client named it. */
    conversationId: text('conversation_id'),
    hasThinking: boolean('has_thinking').notNull().default(false),
    toolCallCount: integer('tool_call_count').notNull().default(0),
    /** Output signals computed at ingestion (apps/server/src/features/signals, docs/signals.md); null without an answer. */
    outputChars: integer('output_chars'),
    finishReason: text('finish_reason'),
    /** Null unless JSON was asked for or the answer looked like JSON. */
    jsonValid: boolean('json_valid'),
    /**
     * The problem flags, a bit each (truncated 1, empty 2, refusal 4, json_invalid 8, injection 16): two bytes on the hot
     * row, one expression for "any of these" and one partial index for every signal, and a new flag needs no migration.
     */
    signals: smallint('signals').notNull().default(0),
    /** The first 128 bits of the SHA-256 of the (redacted) system prompt, hex; its text is in system_prompts. */
    systemPromptHash: text('system_prompt_hash'),
    /**
     * The first 128 bits of the SHA-256 of the (redacted) inputs as canonical JSON, keys sorted, hex; null without
     * inputs. Calls of two versions with the same hash had the same inputs (the comparison's side-by-side samples).
     */
    inputsHash: text('inputs_hash'),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index('executions_prompt_recent_idx').on(t.projectId, t.promptId, t.startedAt.desc(), t.id.desc()),
    index('executions_project_recent_idx').on(t.projectId, t.startedAt.desc(), t.id.desc()),
    // One prompt's executions narrowed by one of the Logs tab's main filters, still most recent first.
    index('executions_prompt_status_recent_idx').on(t.projectId, t.promptId, t.status, t.startedAt.desc(), t.id.desc()),
    index('executions_prompt_source_recent_idx').on(
      t.projectId,
      t.promptId,
      t.sourceType,
      t.startedAt.desc(),
      t.id.desc(),
    ),
    index('executions_prompt_version_recent_idx').on(
      t.projectId,
      t.promptId,
      t.promptVersion,
      t.startedAt.desc(),
      t.id.desc(),
    ),
    // "Errors of version 3 from workflows": problems are rare, so this stays small and cheap to maintain.
    index('executions_prompt_problems_idx')
      .on(t.projectId, t.promptId, t.sourceType, t.promptVersion, t.startedAt.desc(), t.id.desc())
      .where(sql`${t.status} <> 'success'`),
    // The Logs tab filtered by signal, for one prompt or all: rows with a problem flag are few, so these stay small.
    index('executions_prompt_signals_idx')
      .on(t.projectId, t.promptId, t.startedAt.desc(), t.id.desc())
      .where(sql`${t.signals} <> 0`),
    index('executions_project_signals_idx')
      .on(t.projectId, t.startedAt.desc(), t.id.desc())
      .where(sql`${t.signals} <> 0`),
    index('executions_source_run_idx').on(t.projectId, t.sourceId).where(sql`${t.sourceId} is not null`),
    index('executions_trace_idx').on(t.projectId, t.traceId).where(sql`${t.traceId} is not null`),
    // The Logs tab sorted by latency, cost or tokens: read forwards or backwards, one range for the values and one for
    // the NULLs, so a page never sorts its whole time window. One prompt's only: a list of all prompts sorts its window.
    index('executions_prompt_latency_idx').on(t.projectId, t.promptId, t.latencyMs, t.id),
    index('executions_prompt_cost_idx').on(t.projectId, t.promptId, t.costUsd, t.id),
    index('executions_prompt_tokens_idx').on(
      t.projectId,
      t.promptId,
      sql`(${t.inputTokens}::bigint + ${t.outputTokens})`,
      t.id,
    ),
    // One conversation's thread (read backwards: oldest first) and the Logs tab filtered by conversation.
    index('executions_conversation_idx')
      .on(t.projectId, t.conversationId, t.startedAt.desc(), t.id.desc())
      .where(sql`${t.conversationId} is not null`),
    check(
      'executions_tokens_check',
      sql`${t.cacheReadTokens} + ${t.cacheWriteTokens} <= ${t.inputTokens} and ${t.reasoningTokens} <= ${t.outputTokens}
        and ${t.inputTokens} >= 0 and ${t.outputTokens} >= 0 and ${t.cacheReadTokens} >= 0
        and ${t.cacheWriteTokens} >= 0 and ${t.reasoningTokens} >= 0`,
    ),
    check('executions_cost_check', sql`${t.costUsd} >= 0`),
    check('executions_status_check', sql`${t.status} in ('success', 'error', 'cancelled', 'pending')`),
    check(
      'executions_source_type_check',
      sql`${t.sourceType} in ('chat', 'workflow', 'api', 'playground', 'project_tool', 'mcp')`,
    ),
    check('executions_cost_origin_check', sql`${t.costOrigin} in ('provided', 'catalog', 'custom', 'none')`),
  ],
);

/**
 * Payloads are `json`, not `jsonb`: stored as sent (key order included) and cheaper to write. Partitioned like
 * executions, by the execution's `started_at` (null for rows stored before migration 0011, kept in the default
 * partition), so retention drops a month of payloads with its executions.
 */
export const executionPayloads = pgTable(
  'execution_payloads',
  {
    projectId: uuid('project_id').notNull(),
    executionId: uuid('execution_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }),
    inputs: json('inputs'),
    request: json('request'),
    output: json('output'),
    error: json('error'),
    thinking: json('thinking'),
    toolCalls: json('tool_calls'),
    /** How many values each redaction rule replaced at ingestion, e.g. {"api_key": 2}; null when none. */
    redactions: json('redactions'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.executionId] })],
);

/**
 * Ids whose execution's `started_at` is the time the server received it (no start sent, no end and latency to derive
 * it from): a retry of such a record gets another start and may land in another month's partition, so its id is
 * claimed here, in the same statement, and stored only by the request that claimed it.
 */
export const executionIdClaims = pgTable(
  'execution_id_claims',
  {
    projectId: uuid('project_id').notNull(),
    id: uuid('id').notNull(),
    /** The claimed execution's start, so retention deletes the claim with it. */
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index('execution_id_claims_started_idx').on(t.projectId, t.startedAt),
  ],
);
