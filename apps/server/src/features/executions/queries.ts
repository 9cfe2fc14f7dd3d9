import { type DatabaseHandle, executionPayloads, executions, type QueryRunner } from '@promptlog/db';
import { and, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { insertDeltas } from '../analytics/rollup-sql';
import { insertConversationDeltas } from '../conversations/rollup-sql';
import type { StoredSignals } from '../signals/detect';
import { insertSystemPromptDeltas } from '../system-prompts/rollup-sql';
import type { StatementTexts } from '../system-prompts/stored-texts';
import { jsonForPostgres } from './json-for-postgres';
import { CONTROL_COLUMNS, EXECUTION_COLUMNS, PAYLOAD_COLUMNS } from './row';

const executionColumns = Object.keys(EXECUTION_COLUMNS).join(', ');
const payloadColumns = Object.keys(PAYLOAD_COLUMNS).join(', ');
const recordsetDefinition = Object.entries({ ...EXECUTION_COLUMNS, ...PAYLOAD_COLUMNS, ...CONTROL_COLUMNS })
  .map(([name, type]) => `${name} ${type}`)
  .join(', ');

/**
 * Writes a whole batch in one statement (one round trip, one commit): registers new prompts and versions, inserts
 * the hot rows, skipping ids already stored, and inserts payloads and rollup deltas only for rows actually inserted.
 * Each partition's primary key catches a repeated id (`on conflict do nothing` without a target: the partitioned
 * parent has no unique key of its own); an id whose start is the server's clock is claimed first, as a retry of it
 * can fall in another month. Rows that may already exist are inserted in key order, so two batches registering the
 * same new keys wait for each other instead of deadlocking.
 */
const INSERT_EXECUTIONS = `
with input as materialized (
  select * from json_to_recordset($1::json) as x(${recordsetDefinition})
), new_prompts as (
  insert into prompts (project_id, id)
  select distinct $2::uuid, prompt_id from input order by 2
  on conflict do nothing
), new_versions as (
  insert into prompt_versions (project_id, prompt_id, version)
  select distinct $2::uuid, prompt_id, prompt_version from input where prompt_version is not null order by 2, 3
  on conflict do nothing
), claimed as (
  insert into execution_id_claims (project_id, id, started_at)
  select $2::uuid, id, started_at from input where claim_id
  on conflict do nothing
  returning id
), inserted as (
  insert into executions (project_id, ${executionColumns})
  select $2::uuid, ${executionColumns} from input
  where not input.claim_id or input.id in (select id from claimed)
  on conflict do nothing
  returning id
), payloads as (
  insert into execution_payloads (project_id, execution_id, started_at, ${payloadColumns})
  select $2::uuid, input.id, input.started_at, ${Object.keys(PAYLOAD_COLUMNS)
    .map((c) => `input.${c}`)
    .join(', ')}
  from input join inserted on inserted.id = input.id
  where input.keep_payload
), rollup_deltas as (
  ${insertDeltas('$2', 'input', 'input join inserted on inserted.id = input.id', 1)}
), conversation_deltas as (
  ${insertConversationDeltas('$2', 'input', 'input join inserted on inserted.id = input.id', 1)}
), tags_seen as (
  insert into tags_seen_daily (project_id, prompt_id, tag, day)
  select distinct $2::uuid, input.prompt_id, tag, date_trunc('day', input.started_at, 'UTC')
  from input join inserted on inserted.id = input.id cross join unnest(input.tags) as tag
  order by 2, 3, 4
  on conflict do nothing
), system_prompt_texts as (
  insert into system_prompts (project_id, hash, text)
  select distinct on (system_prompt_hash) $2::uuid, system_prompt_hash, system_prompt_text from input
  where system_prompt_text is not null
  order by system_prompt_hash
  on conflict do nothing
), system_prompt_deltas as (
  ${insertSystemPromptDeltas('$2', 'input', 'input join inserted on inserted.id = input.id')}
), withheld as (
  select distinct system_prompt_hash as hash from input
  where keep_payload and system_prompt_hash is not null and system_prompt_text is null
)
select id, null::text as missing_text from inserted
union all
select null::uuid, w.hash from withheld w
where not exists (select from system_prompts s where s.project_id = $2::uuid and s.hash = w.hash)
  and not exists (select from input i where i.system_prompt_hash = w.hash and i.system_prompt_text is not null)`;

/**
 * Writes system prompt texts the ingest statement found missing: rows referred to them without carrying them, as the
 * process had seen them stored, and they are gone since (retention, a rolled-back transaction).
 */
const REPAIR_SYSTEM_PROMPTS = `
insert into system_prompts (project_id, hash, text)
select $1::uuid, x.hash, x.text from json_to_recordset($2::json) as x(hash text, text text)
order by x.hash
on conflict do nothing`;

/** The id a writing statement returns for each row it wrote. */
const StatementId = z.object({ id: z.string() });
/** The ingest statement's rows: an id inserted, or the hash of a system prompt whose text it was not sent and lacks. */
const IngestedRow = z.object({ id: z.string().nullable(), missing_text: z.string().nullable() });

/** Inserts rows given as a JSON array text; returns the ids that were new. */
export async function insertExecutions(
  handle: QueryRunner,
  projectId: string,
  rowsJson: string,
  texts: StatementTexts,
): Promise<Set<string>> {
  const rows = await handle.query(INSERT_EXECUTIONS, [rowsJson, projectId], IngestedRow);
  const ids = new Set<string>();
  const missing: string[] = [];
  for (const row of rows) {
    if (row.id !== null) ids.add(row.id);
    else if (row.missing_text !== null) missing.push(row.missing_text);
  }
  if (missing.length > 0) await handle.query(REPAIR_SYSTEM_PROMPTS, [projectId, texts.missingJson(missing)]);
  texts.remember();
  return ids;
}

/** A stored execution as read back: the hot row joined with its payload, if the project's policy kept one. */
const storedExecution = {
  ...getTableColumns(executions),
  costUsd: sql<string | null>`trim_scale(${executions.costUsd})::text`,
  inputs: executionPayloads.inputs,
  request: executionPayloads.request,
  output: executionPayloads.output,
  error: executionPayloads.error,
  thinking: executionPayloads.thinking,
  toolCalls: executionPayloads.toolCalls,
  redactions: executionPayloads.redactions,
  /** False when the project's payload policy kept only the metadata. */
  hasPayload: sql<boolean>`${executionPayloads.executionId} is not null`,
};

function selectStored(handle: QueryRunner, where: SQL | undefined) {
  return handle.db
    .select(storedExecution)
    .from(executions)
    .leftJoin(
      executionPayloads,
      and(eq(executionPayloads.projectId, executions.projectId), eq(executionPayloads.executionId, executions.id)),
    )
    .where(where);
}

export type StoredExecution = Awaited<ReturnType<typeof selectStored>>[number];

export async function findStoredExecution(
  handle: QueryRunner,
  projectIds: string[],
  id: string,
): Promise<StoredExecution | null> {
  const [row] = await selectStored(handle, and(inArray(executions.projectId, projectIds), eq(executions.id, id)));
  return row ?? null;
}

/** Full records of the given executions of one project, most recent first: an export reads a page at a time. */
export async function findStoredExecutions(
  handle: QueryRunner,
  projectId: string,
  ids: string[],
): Promise<StoredExecution[]> {
  if (ids.length === 0) return [];
  return selectStored(handle, and(eq(executions.projectId, projectId), inArray(executions.id, ids))).orderBy(
    sql`${executions.startedAt} desc nulls last`,
    sql`${executions.id} desc nulls last`,
  );
}

const JsonObject = z.record(z.string(), z.unknown()).nullable();
/** How many values each redaction rule replaced, as a payload row stores it. */
export const RedactionCounts = z.record(z.string(), z.number()).nullable();

/** What completing a pending execution starts from. */
export async function findCompletionBase(handle: QueryRunner, projectId: string, id: string) {
  const [row] = await handle.db
    .select({
      status: executions.status,
      startedAt: executions.startedAt,
      model: executions.model,
      provider: executions.provider,
      inputTokens: executions.inputTokens,
      costOrigin: executions.costOrigin,
      metadata: executions.metadata,
      signals: executions.signals,
      redactions: executionPayloads.redactions,
      /** The stored request's parameters, which say whether JSON was asked for; null when no payload was kept. */
      parameters: sql<unknown>`${executionPayloads.request} -> 'parameters'`,
    })
    .from(executions)
    .leftJoin(
      executionPayloads,
      and(eq(executionPayloads.projectId, executions.projectId), eq(executionPayloads.executionId, executions.id)),
    )
    .where(and(eq(executions.projectId, projectId), eq(executions.id, id)));
  if (!row) return null;
  return {
    ...row,
    metadata: JsonObject.parse(row.metadata),
    redactions: RedactionCounts.parse(row.redactions),
    parameters: JsonObject.catch(null).parse(row.parameters),
  };
}

export interface CompletionUpdate {
  status: string;
  endedAt: string;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    reasoningTokens: number;
  } | null;
  cost: { costUsd: string | null; costOrigin: string; costPriceRef: string | null } | null;
  errorType: string | null;
  metadata: Record<string, unknown> | null;
  hasThinking: boolean;
  toolCallCount: number | null;
  signals: StoredSignals;
  /** Null when the payload policy does not keep this execution's payloads: any stored at its start are dropped. */
  payload: {
    output?: unknown;
    error?: unknown;
    thinking?: unknown;
    toolCalls?: unknown;
    redactions: Record<string, number> | null;
  } | null;
}

/**
 * Completes a pending execution in one atomic statement. Returns false when it was no longer pending,
 * so two racing completions cannot both apply.
 */
export async function applyCompletion(
  handle: DatabaseHandle,
  projectId: string,
  id: string,
  u: CompletionUpdate,
): Promise<boolean> {
  const p = u.payload;
  const rows = await handle.query(
    `with before as (
       -- Locked, so a re-pricing that changed the row meanwhile is waited for and its cost is the one taken back.
       -- The update below reads it first (a lock taken after the update would skip the row it changed).
       select * from executions where project_id = $1 and id = $2 and status = 'pending' for update
     ), completed as (
       update executions set status = $3, ended_at = $4, latency_ms = $5,
         time_to_first_token_ms = coalesce($6, time_to_first_token_ms),
         input_tokens = coalesce($7, input_tokens), output_tokens = coalesce($8, output_tokens),
         cache_read_tokens = coalesce($9, cache_read_tokens), cache_write_tokens = coalesce($10, cache_write_tokens),
         reasoning_tokens = coalesce($11, reasoning_tokens),
         cost_usd = case when $12::boolean then $13::numeric else cost_usd end,
         cost_origin = case when $12::boolean then $14 else cost_origin end,
         cost_price_ref = case when $12::boolean then $15 else cost_price_ref end,
         error_type = coalesce($16, error_type), metadata = $17::jsonb,
         has_thinking = has_thinking or $18, tool_call_count = coalesce($19, tool_call_count),
         output_chars = $26, finish_reason = $27, json_valid = $28, signals = $29
       from (select 1 from before) locked
       where project_id = $1 and id = $2 and status = 'pending'
       returning executions.*
     ), retracted as (
       ${insertDeltas('$1', 'before', 'before where exists (select 1 from completed)', -1)}
     ), retracted_conversation as (
       ${insertConversationDeltas('$1', 'before', 'before where exists (select 1 from completed)', -1)}
     ), counted as (
       ${insertDeltas('$1', 'completed', 'completed', 1)}
     ), counted_conversation as (
       ${insertConversationDeltas('$1', 'completed', 'completed', 1)}
     ), updated_payload as (
       update execution_payloads set
         output = coalesce($20::json, output), error = coalesce($21::json, error),
         thinking = coalesce($22::json, thinking), tool_calls = coalesce($23::json, tool_calls), redactions = $24::json
       where project_id = $1 and execution_id = $2 and $25::boolean and exists (select 1 from completed)
       returning 1
     ), new_payload as (
       insert into execution_payloads (project_id, execution_id, started_at, output, error, thinking, tool_calls, redactions)
       select $1, id, started_at, $20::json, $21::json, $22::json, $23::json, $24::json from completed
       where $25::boolean and not exists (select 1 from updated_payload)
     ), dropped_payload as (
       delete from execution_payloads
       where project_id = $1 and execution_id = $2 and not $25::boolean and exists (select 1 from completed)
     )
     select id from completed`,
    [
      projectId,
      id,
      u.status,
      u.endedAt,
      u.latencyMs,
      u.timeToFirstTokenMs,
      u.usage?.inputTokens ?? null,
      u.usage?.outputTokens ?? null,
      u.usage?.cacheReadTokens ?? null,
      u.usage?.cacheWriteTokens ?? null,
      u.usage?.reasoningTokens ?? null,
      u.cost !== null,
      u.cost?.costUsd ?? null,
      u.cost?.costOrigin ?? null,
      u.cost?.costPriceRef ?? null,
      u.errorType,
      u.metadata === null ? null : jsonForPostgres(u.metadata),
      u.hasThinking,
      u.toolCallCount,
      ...[p?.output, p?.error, p?.thinking, p?.toolCalls, p?.redactions ?? undefined].map((v) =>
        v === undefined ? null : jsonForPostgres(v),
      ),
      p !== null,
      u.signals.output_chars,
      u.signals.finish_reason,
      u.signals.json_valid,
      u.signals.signals,
    ],
    StatementId,
  );
  return rows.length > 0;
}
