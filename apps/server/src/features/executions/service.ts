import {
  type BatchItemResult,
  type ErrorIssue,
  ExecutionInput,
  type ExecutionPatch,
  type ExecutionRecord,
  type ExecutionStatus,
  INTEGER_MAX,
  type SourceType,
} from '@promptlog/contracts';
import type { DatabaseHandle, QueryRunner } from '@promptlog/db';
import type { z } from 'zod';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { mapTimeSliced } from '../../lib/time-sliced';
import type { StoragePolicy } from '../api-keys/service';
import { ingestedInputsHash } from '../compare-samples/inputs-hash';
import { MAX_START_AHEAD_MS } from '../partitions/service';
import type { CustomPriceRow } from '../pricing/custom-prices';
import { resolveCost } from '../pricing/resolve-cost';
import { detectOutputSignals, hasSignal, storedSignalsOf, toStored } from '../signals/detect';
import { ingestedSystemPrompt } from '../system-prompts/ingest';
import { SystemPromptTexts } from '../system-prompts/stored-texts';
import type { GroupedWrites } from './grouped-writes';
import { insertIsolatingRefusals } from './isolate-refusals';
import { jsonForPostgres } from './json-for-postgres';
import { applyCompletion, findCompletionBase, findStoredExecution, insertExecutions, RedactionCounts } from './queries';
import { resolveTiming, type Timing, toExecutionRecord, toExecutionRow } from './row';
import { mergeRedactions, protectPayloads } from './storage-policy';

/** The project being written to, with the custom prices its records are priced with and what it keeps. */
export interface IngestTarget {
  projectId: string;
  customPrices: CustomPriceRow[];
  storage: StoragePolicy;
}

export interface IngestLimits {
  maxRecordBytes: number;
  maxBatchSize: number;
}

type Prepared =
  | ({ ok: true; json: string } & StoredExecutionRef)
  | { ok: false; id: string | null; error: NonNullable<BatchItemResult['error']> };

/** What live listeners are told about a stored execution. */
export interface StoredExecutionRef {
  id: string;
  promptId: string;
  status: ExecutionStatus;
  source: SourceType;
  version: number | null;
  model: string;
  tags: string[];
  conversationId: string | null;
}

export function storedRef(
  id: string,
  input: Pick<ExecutionInput, 'promptId' | 'status' | 'source' | 'promptVersion' | 'model' | 'tags' | 'conversationId'>,
): StoredExecutionRef {
  const { promptId, status, source, promptVersion, model, tags, conversationId } = input;
  return {
    id,
    promptId,
    status,
    source: source.type,
    version: promptVersion ?? null,
    model,
    tags: tags ?? [],
    conversationId: conversationId ?? null,
  };
}

export function zodIssues(error: z.ZodError, prefix = ''): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

const YEAR_ONE = Date.parse('0001-01-01T00:00:00Z');

function timingIssues(input: ExecutionInput, timing: Timing, receivedAt: Date): ErrorIssue[] {
  if (input.startedAt && input.endedAt && new Date(input.endedAt) < new Date(input.startedAt)) {
    return [{ path: 'endedAt', message: 'must not be before startedAt' }];
  }
  if (timing.latencyMs !== null && timing.latencyMs < 0) {
    return [
      {
        path: 'endedAt',
        message: 'is before the time the execution was received, which is its start when startedAt is absent',
      },
    ];
  }
  if (timing.latencyMs !== null && timing.latencyMs > INTEGER_MAX) {
    return [{ path: 'endedAt', message: `must be at most ${INTEGER_MAX} ms (about 24 days) after startedAt` }];
  }
  if (Date.parse(timing.startedAt) > receivedAt.getTime() + MAX_START_AHEAD_MS) {
    const path = input.startedAt ? 'startedAt' : 'endedAt';
    return [
      {
        path,
        message: `puts the start more than ${MAX_START_AHEAD_MS / 86_400_000} days after the server's time (${receivedAt.toISOString()}); check the client's clock`,
      },
    ];
  }
  if (Date.parse(timing.startedAt) < YEAR_ONE) {
    return [{ path: 'latencyMs', message: 'puts the start (endedAt − latencyMs) before the year 1' }];
  }
  return [];
}

/** Validates what zod cannot see alone, computes timing and cost, and serialises the row once. */
function prepare(
  input: ExecutionInput,
  { customPrices, storage }: IngestTarget,
  limits: IngestLimits,
  receivedAt: Date,
  texts: SystemPromptTexts,
): Prepared {
  const id = input.id ?? uuidv7(receivedAt.getTime());
  const timing = resolveTiming(input, receivedAt);
  const issues = timingIssues(input, timing, receivedAt);
  if (issues.length) {
    return { ok: false, id, error: { code: 'validation_failed', message: 'Invalid execution', issues } };
  }
  const cost = resolveCost(
    {
      costUsd: input.costUsd,
      provider: input.provider,
      model: input.model,
      usage: input.usage ?? null,
      status: input.status,
      startedAt: new Date(timing.startedAt),
    },
    customPrices,
  );
  const stored = protectPayloads(id, input, storage);
  const claimId = input.id !== undefined && timing.startIsReceipt;
  // From the record as sent: redaction must not make an answer look empty or cut JSON short.
  const signals = storedSignalsOf(input);
  const systemPrompt = ingestedSystemPrompt(input, stored, storage.redaction, texts);
  const inputsHash = ingestedInputsHash(input, stored, storage.redaction);
  const json = jsonForPostgres(
    toExecutionRow(id, stored.record, timing, cost, stored, claimId, signals, systemPrompt, inputsHash),
  );
  // The system prompt's text rides along once for system_prompts; it is a copy of the request's, not the record's size.
  const bytes = json.length - (systemPrompt?.text?.length ?? 0);
  if (bytes > limits.maxRecordBytes) {
    return {
      ok: false,
      id,
      error: {
        code: 'payload_too_large',
        message: `The execution is ${bytes} bytes, over the ${limits.maxRecordBytes}-byte limit per record (PROMPTLOG_MAX_RECORD_BYTES)`,
      },
    };
  }
  return { ok: true, json, ...storedRef(id, input) };
}

/**
 * Logs one execution. `created` is false when an execution with the same id was already stored. Requests that arrive
 * together are written together (see GroupedWrites).
 */
export async function ingestExecution(
  writes: GroupedWrites,
  target: IngestTarget,
  input: ExecutionInput,
  limits: IngestLimits,
): Promise<{ id: string; created: boolean }> {
  const texts = new SystemPromptTexts(target.projectId);
  const prepared = prepare(input, target, limits, new Date(), texts);
  if (!prepared.ok) {
    const code = prepared.error.code === 'payload_too_large' ? 'payload_too_large' : 'validation_failed';
    throw new AppError(code, prepared.error.message, prepared.error.issues);
  }
  return { id: prepared.id, created: await writes.write(target.projectId, prepared, texts) };
}

/** Validation issues a batch may cost; the items after that are refused unchecked (issues cost time and memory). */
const MAX_BATCH_ISSUES = 10_000;

/**
 * Logs many executions in one statement. Every item gets a result in request order; invalid items are
 * rejected without holding back the valid ones, and an id repeated within the batch is a duplicate.
 */
export async function ingestBatch(
  handle: QueryRunner,
  target: IngestTarget,
  items: unknown[],
  limits: IngestLimits,
): Promise<{ results: BatchItemResult[]; created: StoredExecutionRef[] }> {
  if (items.length > limits.maxBatchSize) {
    throw new AppError(
      'payload_too_large',
      `A batch holds at most ${limits.maxBatchSize} executions (PROMPTLOG_MAX_BATCH_SIZE); this one has ${items.length}`,
    );
  }
  const receivedAt = new Date();
  const texts = new SystemPromptTexts(target.projectId);
  const seen = new Set<string>();
  let issuesLeft = MAX_BATCH_ISSUES;
  const prepared: (Prepared | { ok: 'repeat'; id: string })[] = await mapTimeSliced(items, (item, index) => {
    const rawId = (item as { id?: unknown } | null)?.id;
    const itemId = typeof rawId === 'string' ? rawId : null;
    if (issuesLeft <= 0) {
      const issues = [{ path: `executions.${index}`, message: 'was not checked; send it again with the others fixed' }];
      const message = `Not checked: the items before it had ${MAX_BATCH_ISSUES} validation issues`;
      return { ok: false, id: itemId, error: { code: 'validation_failed', message, issues } };
    }
    const parsed = ExecutionInput.safeParse(item);
    if (!parsed.success) {
      issuesLeft -= parsed.error.issues.length;
      const issues = zodIssues(parsed.error, `executions.${index}`);
      return {
        ok: false,
        id: itemId,
        error: { code: 'validation_failed', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues },
      };
    }
    const result = prepare(parsed.data, target, limits, receivedAt, texts);
    if (!result.ok) {
      const issues = result.error.issues?.map((issue) => ({ ...issue, path: `executions.${index}.${issue.path}` }));
      return { ...result, error: { ...result.error, ...(issues ? { issues } : {}) } };
    }
    if (seen.has(result.id)) return { ok: 'repeat', id: result.id };
    seen.add(result.id);
    return result;
  });

  const valid = prepared.filter((p): p is Extract<Prepared, { ok: true }> => p.ok === true);
  const inserted = valid.length
    ? await insertValid(handle, target.projectId, valid, texts)
    : { ids: new Set<string>(), failed: new Map() };

  const results = prepared.map((p): BatchItemResult => {
    if (p.ok === false) return { id: p.id, status: 'rejected', error: p.error };
    if (p.ok === 'repeat') return { id: p.id, status: 'duplicate' };
    const failure = inserted.failed.get(p.id);
    if (failure) return { id: p.id, status: 'rejected', error: { code: 'validation_failed', message: failure } };
    return { id: p.id, status: inserted.ids.has(p.id) ? 'created' : 'duplicate' };
  });
  const created = valid.filter((p) => inserted.ids.has(p.id)).map(({ ok: _ok, json: _json, ...ref }) => ref);
  return { results, created };
}

/**
 * Inserts the valid items of a batch. Each attempt runs in its own transaction, a savepoint when the caller's runner is
 * already one (an OTLP export), so a refused value leaves the caller's transaction usable for the retry.
 */
async function insertValid(
  handle: QueryRunner,
  projectId: string,
  valid: { id: string; json: string }[],
  texts: SystemPromptTexts,
): Promise<{ ids: Set<string>; failed: Map<string, string> }> {
  const { ids, refused } = await insertIsolatingRefusals(valid, (items) =>
    handle.transaction((tx) => insertExecutions(tx, projectId, `[${items.map((v) => v.json).join(',')}]`, texts)),
  );
  const failed = new Map<string, string>();
  for (const [id, error] of refused) failed.set(id, `The database rejected a value: ${(error as Error).message}`);
  return { ids, failed };
}

/** One execution as stored, with the project it belongs to and what was done to its payload. */
export async function getExecutionInProjects(
  handle: DatabaseHandle,
  projectIds: string[],
  id: string,
): Promise<{ projectId: string; record: ExecutionRecord; payloadStored: boolean; redactions: Record<string, number> }> {
  const row = await findStoredExecution(handle, projectIds, id);
  if (!row) throw new AppError('not_found', `No execution ${id} in your projects`);
  return {
    projectId: row.projectId,
    record: toExecutionRecord(row),
    payloadStored: row.hasPayload,
    redactions: RedactionCounts.parse(row.redactions) ?? {},
  };
}

export async function getExecution(handle: DatabaseHandle, projectIds: string[], id: string): Promise<ExecutionRecord> {
  return (await getExecutionInProjects(handle, projectIds, id)).record;
}

/** Completes a pending execution: final status, result or error, usage, timing and cost. */
export async function completeExecution(
  handle: DatabaseHandle,
  { projectId, customPrices, storage }: IngestTarget,
  id: string,
  sent: ExecutionPatch,
): Promise<ExecutionRecord> {
  const base = await findCompletionBase(handle, projectId, id);
  if (!base) throw new AppError('not_found', `No execution ${id} in this project`);
  if (base.status !== 'pending') {
    throw new AppError(
      'conflict',
      `Execution ${id} is already completed with status "${base.status}"; only pending executions can be completed`,
    );
  }
  const { record: patch, keepPayload, redactions } = protectPayloads(id, sent, storage);
  const startedAt = new Date(base.startedAt);
  const endedAt = patch.endedAt ? new Date(patch.endedAt) : new Date();
  if (endedAt < startedAt) {
    throw new AppError('validation_failed', 'Invalid completion', [
      { path: 'endedAt', message: 'must not be before the execution started' },
    ]);
  }
  if (patch.latencyMs === undefined && endedAt.getTime() - startedAt.getTime() > INTEGER_MAX) {
    throw new AppError('validation_failed', 'Invalid completion', [
      { path: 'endedAt', message: `must be at most ${INTEGER_MAX} ms (about 24 days) after the execution started` },
    ]);
  }
  // A pending call without usage cost $0 so far; if it succeeds without reporting any, its cost is not known.
  const succeededWithoutUsage =
    patch.status === 'success' && base.inputTokens === null && base.costOrigin !== 'provided';
  const repriced = patch.costUsd !== undefined || patch.usage !== undefined || succeededWithoutUsage;
  const cost = repriced
    ? resolveCost(
        {
          costUsd: patch.costUsd,
          provider: base.provider ?? undefined,
          model: base.model,
          usage: patch.usage ?? null,
          status: patch.status,
          startedAt,
        },
        customPrices,
      )
    : null;
  const errorType =
    patch.error?.type ?? (patch.status === 'error' ? 'other' : patch.status === 'cancelled' ? 'cancelled' : null);
  const metadata = patch.metadata ? { ...(base.metadata ?? {}), ...patch.metadata } : base.metadata;
  const outputSignals = detectOutputSignals({
    status: sent.status,
    output: sent.output,
    toolCalls: sent.toolCalls,
    metadata,
    parameters: base.parameters,
  });
  const applied = await applyCompletion(handle, projectId, id, {
    status: patch.status,
    endedAt: endedAt.toISOString(),
    latencyMs: patch.latencyMs ?? endedAt.getTime() - startedAt.getTime(),
    timeToFirstTokenMs: patch.timeToFirstTokenMs ?? null,
    usage: patch.usage ?? null,
    cost,
    errorType,
    metadata,
    hasThinking: patch.thinking !== undefined && patch.thinking.length > 0,
    toolCallCount: patch.toolCalls?.length ?? null,
    signals: toStored(outputSignals, hasSignal(base.signals, 'injection')),
    payload: keepPayload
      ? {
          output: patch.output,
          error: patch.error,
          thinking: patch.thinking,
          toolCalls: patch.toolCalls,
          redactions: mergeRedactions(base.redactions, redactions),
        }
      : null,
  });
  if (!applied) throw new AppError('conflict', `Execution ${id} was completed by another request`);
  return getExecution(handle, [projectId], id);
}
