import { CONVERSATION_ID_MAX, type ErrorType, type ExecutionInput } from '@promptlog/contracts';
import type { z } from 'zod';
import { deterministicUuidv7 } from '../../lib/ids';
import { EXECUTION_MAPPING, first, merged, union } from './attribute-map';
import type { StepKind } from './classify';
import { type Attributes, type OtlpSpan, STATUS_CODE } from './otlp-model';
import { jsonArray, type SpanView, text } from './span-view';

type ExecutionFields = z.input<typeof ExecutionInput>;

/** The execution an LLM or embedding span becomes; validated afterwards exactly like a REST record. */
export function spanToExecution(view: SpanView, stepType: 'llm' | 'embedding'): ExecutionFields {
  const { span } = view;
  const m = EXECUTION_MAPPING;
  const timing = spanTiming(span);
  const failure = spanFailure(view);
  const inputs = first(view, m.inputs) ?? embeddingInputs(view, stepType);
  const systemPrompt = first(view, m.systemPrompt);
  const messages = first(view, m.messages);
  const parameters = merged(view, m.parameters);
  const metadata = {
    ...merged(view, m.metadata),
    ...defined({ finishReason: first(view, m.finishReason) }),
  };
  const toolCalls = first(view, m.toolCalls);
  const userEmail = first(view, m.userEmail);
  const userId = first(view, m.userId);
  const tags = union(view, m.tags)
    ?.map((tag) => tag.slice(0, 100))
    .slice(0, 50);

  return defined({
    id: executionIdForSpan(span),
    promptId: first(view, m.promptId) ?? 'unnamed-span',
    promptVersion: first(view, m.promptVersion),
    status: failure?.status ?? 'success',
    source: defined({
      type: first(view, m.sourceType) ?? 'api',
      id: clip(first(view, m.sourceId), 500),
      url: first(view, m.sourceUrl),
    }),
    model: clip(first(view, m.model), 200) ?? 'unknown',
    provider: clip(first(view, m.provider), 100),
    startedAt: timing.startedAt,
    endedAt: timing.endedAt,
    latencyMs: timing.latencyMs,
    timeToFirstTokenMs: first(view, m.timeToFirstTokenMs),
    inputs,
    request: systemPrompt || messages || parameters ? defined({ systemPrompt, messages, parameters }) : undefined,
    output: first(view, m.output),
    error: failure?.error,
    usage: usageOf(view),
    costUsd: first(view, m.costUsd),
    user: userEmail || userId ? defined({ email: userEmail, id: clip(userId, 500) }) : undefined,
    requestId: clip(first(view, m.requestId), 500),
    thinking: first(view, m.thinking),
    toolCalls: toolCalls?.map((call) => ({ round: 1, name: call.name, arguments: call.arguments ?? {} })),
    trace: defined({
      traceId: span.traceId,
      spanId: span.spanId,
      parentId: span.parentSpanId ?? undefined,
      stepType,
    }),
    tags,
    metadata: Object.keys(metadata).length ? metadata : undefined,
    environment: clip(first(view, m.environment), 100),
    conversationId: clip(first(view, m.conversationId), CONVERSATION_ID_MAX),
  });
}

/** Same span, same id: an exporter's retry is a duplicate, never a second execution. */
export function executionIdForSpan(span: OtlpSpan): string {
  return deterministicUuidv7(Number(span.startTimeUnixNano / 1_000_000n), `${span.traceId}:${span.spanId}`);
}

/** A trace step as stored in trace_spans. */
export interface TraceStepRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: StepKind;
  service_name: string | null;
  started_at: string;
  ended_at: string | null;
  status: 'ok' | 'error' | 'unset';
  status_message: string | null;
  /** Null when the payload policy keeps no payload for this step. */
  attributes: Attributes | null;
}

export function spanToStep(view: SpanView, kind: StepKind): TraceStepRow {
  const { span } = view;
  const timing = spanTiming(span);
  const failed = span.status.code === STATUS_CODE.error;
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name.slice(0, 500) || '(unnamed)',
    kind,
    service_name: clip(text(view.fromResource('service.name')), 500) ?? null,
    started_at: microsecondsIso(span.startTimeUnixNano),
    ended_at: timing.endedAt ? microsecondsIso(span.endTimeUnixNano) : null,
    status: failed ? 'error' : span.status.code === STATUS_CODE.ok ? 'ok' : 'unset',
    status_message: (span.status.message || (failed ? exceptionOf(span)?.message : undefined))?.slice(0, 2000) ?? null,
    attributes: span.attributes,
  };
}

function spanTiming(span: OtlpSpan): { startedAt: string; endedAt?: string; latencyMs?: number } {
  const startMs = Number(span.startTimeUnixNano / 1_000_000n);
  const ended = span.endTimeUnixNano >= span.startTimeUnixNano && span.endTimeUnixNano > 0n;
  if (!ended) return { startedAt: new Date(startMs).toISOString() };
  const latencyMs = Math.round(Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1_000_000);
  return {
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(startMs + latencyMs).toISOString(),
    latencyMs,
  };
}

function microsecondsIso(nanos: bigint): string {
  const micros = nanos / 1000n;
  const iso = new Date(Number(micros / 1000n)).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000n).padStart(3, '0')}Z`;
}

/**
 * Usage in Promptlog's convention, where input includes cache tokens and output includes reasoning tokens. A
 * dialect that reports them apart shows it when the parts exceed the whole; they are then added in.
 */
function usageOf(view: SpanView): ExecutionFields['usage'] {
  const m = EXECUTION_MAPPING;
  const input = first(view, m.inputTokens);
  const output = first(view, m.outputTokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheReadTokens = first(view, m.cacheReadTokens) ?? 0;
  const cacheWriteTokens = first(view, m.cacheWriteTokens) ?? 0;
  const reasoningTokens = first(view, m.reasoningTokens) ?? 0;
  const cached = cacheReadTokens + cacheWriteTokens;
  return {
    inputTokens: cached > (input ?? 0) ? (input ?? 0) + cached : (input ?? 0),
    outputTokens: reasoningTokens > (output ?? 0) ? (output ?? 0) + reasoningTokens : (output ?? 0),
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens,
  };
}

function embeddingInputs(view: SpanView, stepType: 'llm' | 'embedding'): Record<string, unknown> | undefined {
  if (stepType !== 'embedding') return undefined;
  const values = jsonArray(view.get('ai.values')) ?? (text(view.get('ai.value')) ? [view.get('ai.value')] : undefined);
  const openInference = view
    .withPrefix('embedding.embeddings.')
    .filter(([key]) => key.endsWith('.embedding.text'))
    .map(([, value]) => value);
  const texts = values ?? (openInference.length ? openInference : undefined);
  return texts ? { texts } : undefined;
}

function exceptionOf(span: OtlpSpan): { type?: string; message?: string; stack?: string } | undefined {
  const event = span.events.find((e) => e.name === 'exception');
  if (!event) return undefined;
  return {
    type: text(event.attributes['exception.type']),
    message: text(event.attributes['exception.message']),
    stack: text(event.attributes['exception.stacktrace']),
  };
}

/** Span status ERROR (or an exception on a span not marked OK) makes a failed execution; aborts are cancellations. */
function spanFailure(
  view: SpanView,
): { status: 'error' | 'cancelled'; error: NonNullable<ExecutionFields['error']> } | undefined {
  const { span } = view;
  const exception = exceptionOf(span);
  const failed =
    span.status.code === STATUS_CODE.error || (exception !== undefined && span.status.code !== STATUS_CODE.ok);
  if (!failed) return undefined;
  const errorAttribute = text(view.get('error.type'));
  const code = errorAttribute ?? exception?.type;
  const message = span.status.message || exception?.message || code || 'The call failed (span status ERROR)';
  const type = errorTypeOf(`${code ?? ''} ${exception?.type ?? ''}`, message);
  return {
    status: type === 'cancelled' ? 'cancelled' : 'error',
    error: defined({ type, message: message.slice(0, 100_000), code: clip(code, 500), stack: exception?.stack }),
  };
}

const ERROR_TYPE_PATTERNS: [ErrorType, RegExp][] = [
  ['rate_limit', /rate.?limit|too.?many.?requests|\b429\b|resource.?exhausted|quota/i],
  ['authentication', /auth|permission.?denied|forbidden|\b40[13]\b|api.?key/i],
  ['timeout', /time.?out|timed.?out|deadline/i],
  ['cancelled', /abort|cancel/i],
  ['validation', /bad.?request|\b400\b|\b422\b|unprocessable|validation|invalid.?request/i],
  ['provider', /\b5\d\d\b|internal.?server|overloaded|unavailable|bad.?gateway|api.?error|connection/i],
];

/** The error's kind from its type name first (RateLimitError, APIConnectionTimeoutError…), then its message. */
export function errorTypeOf(typeNames: string, message: string): ErrorType {
  for (const candidate of [typeNames, message]) {
    for (const [type, pattern] of ERROR_TYPE_PATTERNS) if (pattern.test(candidate)) return type;
  }
  return 'other';
}

function clip(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : value.slice(0, max);
}

/** Leaves out the keys whose value is undefined, so the record reads as if a client had written it. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
