import {
  type JsonObject,
  type SpanStatus,
  TRACE_MAX_NODES,
  TRACE_SPAN_KINDS,
  type TraceNode,
  type TraceSpanKind,
  type TraceView,
} from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { AppError } from '../../errors';
import { canReadLogsOf, type LogsScope } from '../access/policy';
import {
  selectExecutionTotals,
  selectSpanTotals,
  selectTraceExecutions,
  selectTraceSpans,
  type TraceExecutionRow,
  type TraceSpanRow,
} from './queries';
import { buildTree, findStop, type TreeItem } from './tree';

type Source = { kind: 'execution'; row: TraceExecutionRow } | { kind: 'span'; row: TraceSpanRow };
type Item = TreeItem & { source: Source; startedAt: string; endedAt: string | null };

/**
 * One trace of the project as a tree with its totals. Structure and numbers need only the metrics need (checked by
 * the caller); an execution's payloads follow its prompt's logs, and step attributes the logs of every prompt in the
 * trace, so a viewer granted some prompts never reads a step that handled the others' data.
 */
export async function getTrace(
  handle: QueryRunner,
  projectId: string,
  traceId: string,
  logs: LogsScope,
): Promise<TraceView> {
  const [calls, steps] = await Promise.all([
    selectExecutionTotals(handle.db, projectId, traceId),
    selectSpanTotals(handle.db, projectId, traceId),
  ]);
  const executionCount = calls?.executions ?? 0;
  const spanCount = steps?.spans ?? 0;
  const startedAt = earliest(calls?.startedAt, steps?.startedAt);
  if (executionCount + spanCount === 0 || !startedAt) {
    throw new AppError('not_found', `No trace ${traceId} in this project`);
  }

  const promptIds = calls?.promptIds ?? [];
  // A trace of steps alone names no prompt, so only a caller who reads every log sees its attributes.
  const spanPayloads = logs.all || (promptIds.length > 0 && promptIds.every((id) => canReadLogsOf(logs, id)));
  const [executionRows, spanRows] = await Promise.all([
    selectTraceExecutions(handle.db, projectId, traceId, TRACE_MAX_NODES),
    selectTraceSpans(handle.db, projectId, traceId, { limit: TRACE_MAX_NODES, withPayload: spanPayloads }),
  ]);

  const items = withUniqueIds([
    ...spanRows.map((row): Source => ({ kind: 'span', row })),
    ...executionRows.map((row): Source => ({ kind: 'execution', row })),
  ])
    .sort((a, b) => a.startMicros - b.startMicros)
    .slice(0, TRACE_MAX_NODES);
  const placed = buildTree(items);

  const endedAt = latest(calls?.endedAt, steps?.endedAt);
  const traceStart = toMicros(startedAt);
  return {
    traceId,
    startedAt,
    endedAt,
    durationMs: endedAt ? millis(toMicros(endedAt) - traceStart) : null,
    totals: {
      executions: executionCount,
      spans: spanCount,
      errors: (calls?.errors ?? 0) + (steps?.errors ?? 0),
      costUsd: calls?.costUsd ?? null,
      unpricedExecutions: calls?.unpriced ?? 0,
      inputTokens: calls?.inputTokens ?? 0,
      outputTokens: calls?.outputTokens ?? 0,
    },
    stoppedAt: findStop(placed),
    truncated: executionCount + spanCount > items.length,
    payloadHidden: !spanPayloads,
    nodes: placed.map(({ item, parentId, depth }) =>
      toNode(item, { parentId, depth, offsetMs: millis(item.startMicros - traceStart) }, logs, spanPayloads),
    ),
  };
}

/**
 * Span ids are unique per trace, but an execution's spanId is whatever the client sent: the first node to claim an id
 * keeps it (in the order given: steps, then calls by start), and a later execution falls back to its own id.
 */
function withUniqueIds(sources: Source[]): Item[] {
  const taken = new Set<string>();
  const claim = (preferred: string | null, fallback: string) => {
    const id = preferred && !taken.has(preferred) ? preferred : fallback;
    taken.add(id);
    return id;
  };
  return sources.map((source): Item => {
    const { row } = source;
    const startMicros = toMicros(row.startedAt);
    const endMicros = row.endedAt ? toMicros(row.endedAt) : null;
    if (source.kind === 'span') {
      return {
        id: claim(source.row.spanId, source.row.spanId),
        parentId: source.row.parentSpanId || null,
        startMicros,
        endMicros,
        outcome: source.row.status === 'error' ? 'failed' : source.row.status === 'ok' ? 'succeeded' : 'other',
        source,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
      };
    }
    const { id, spanId, parentId, status } = source.row;
    return {
      id: claim(spanId || null, id),
      parentId: parentId || null,
      startMicros,
      endMicros,
      outcome: status === 'error' ? 'failed' : status === 'success' ? 'succeeded' : 'other',
      source,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
    };
  });
}

function toNode(
  item: Item,
  place: { parentId: string | null; depth: number; offsetMs: number },
  logs: LogsScope,
  spanPayloads: boolean,
): TraceNode {
  const common = {
    id: item.id,
    ...place,
    startedAt: item.startedAt,
    endedAt: item.endedAt,
  };
  const { source } = item;
  const measured = item.endMicros === null ? null : millis(item.endMicros - item.startMicros);
  if (source.kind === 'execution') {
    const { row } = source;
    return {
      ...common,
      kind: 'execution',
      name: `${row.promptId} · ${row.model}`,
      durationMs: row.latencyMs ?? measured,
      status: row.status,
      payloadHidden: !canReadLogsOf(logs, row.promptId),
      executionId: row.id,
      promptId: row.promptId,
      promptVersion: row.promptVersion,
      model: row.model,
      provider: row.provider,
      costUsd: row.costUsd,
      costOrigin: row.costOrigin,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      errorType: row.errorType,
      stepType: row.stepType,
      attempt: row.attempt,
    };
  }
  const { row } = source;
  return {
    ...common,
    kind: spanKind(row.kind),
    name: row.name,
    durationMs: measured,
    status: spanStatus(row.status),
    payloadHidden: !spanPayloads,
    serviceName: row.serviceName,
    ...(spanPayloads ? { statusMessage: row.statusMessage, attributes: asJsonObject(row.attributes) } : {}),
  };
}

function spanKind(kind: string): TraceSpanKind {
  return TRACE_SPAN_KINDS.find((known) => known === kind) ?? 'other';
}

function spanStatus(status: string): SpanStatus {
  return status === 'ok' || status === 'error' ? status : 'unset';
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Attributes are stored as an object; anything else that got in is still shown rather than dropped. */
function asJsonObject(value: unknown): JsonObject | null {
  if (value === null || value === undefined) return null;
  return isJsonObject(value) ? value : { value };
}

/** Our timestamps are ISO 8601 with six fractional digits (queries.ts); Date keeps only milliseconds. */
function toMicros(iso: string): number {
  const [whole = iso, fraction = ''] = iso.replace(/Z$/, '').split('.');
  return Date.parse(`${whole}Z`) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function millis(micros: number): number {
  return micros / 1000;
}

function earliest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a || !b) return a || b || null;
  return a < b ? a : b;
}

function latest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a || !b) return a || b || null;
  return a > b ? a : b;
}
