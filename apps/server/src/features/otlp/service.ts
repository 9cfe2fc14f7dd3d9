import type { QueryRunner } from '@promptlog/db';
import type { StoragePolicy } from '../api-keys/service';
import { jsonForPostgres } from '../executions/json-for-postgres';
import type { StoredExecutionRef } from '../executions/service';
import { type IngestLimits, type IngestTarget, ingestBatch } from '../executions/service';
import { keepsPayload } from '../executions/storage-policy';
import { compileRedactor, type Redactor } from '../redaction/redactor';
import { classifySpan } from './classify';
import { type Attributes, emptyAttributes, type OtlpExport, type OtlpSpan } from './otlp-model';
import { insertTraceSteps } from './queries';
import { spanToExecution, spanToStep, type TraceStepRow } from './span-to-record';
import { SpanView } from './span-view';

export interface OtlpIngestResult {
  executions: number;
  steps: number;
  /** Spans that carry no AI attributes (HTTP, database…): accepted, not stored. */
  ignored: number;
  rejected: { count: number; messages: string[] };
  created: StoredExecutionRef[];
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_ID = /^0+$/;

/**
 * Stores the LLM spans of one OTLP export as executions (through the same validation, pricing, redaction and
 * payload policy as the REST API) and its other AI spans as trace steps, in one transaction: an export the server
 * fails on stores nothing, and the exporter's retry stores it whole. Invalid spans are rejected one by one.
 */
export async function ingestOtlpExport(
  handle: QueryRunner,
  target: IngestTarget,
  request: OtlpExport,
  limits: IngestLimits,
): Promise<OtlpIngestResult> {
  const result: OtlpIngestResult = {
    executions: 0,
    steps: 0,
    ignored: 0,
    rejected: { count: 0, messages: [] },
    created: [],
  };
  const reject = (span: OtlpSpan, problem: string) => {
    result.rejected.count++;
    if (result.rejected.messages.length < 10)
      result.rejected.messages.push(`span ${span.spanId || '?'} (${span.name}): ${problem}`);
  };

  const executions: { span: OtlpSpan; record: unknown }[] = [];
  const steps: TraceStepRow[] = [];
  for (const { resource, scopeSpans } of request) {
    for (const { spans } of scopeSpans) {
      for (const span of spans) {
        const problem = idProblem(span);
        if (problem) {
          reject(span, problem);
          continue;
        }
        const view = new SpanView(span, resource);
        const role = classifySpan(view);
        if (role.role === 'execution') executions.push({ span, record: spanToExecution(view, role.stepType) });
        else if (role.role === 'step') steps.push(spanToStep(view, role.kind));
        else result.ignored++;
      }
    }
  }

  const redactor = compileRedactor(target.storage.redaction);
  const storedSteps = steps.map((step) => protectStep(step, target.storage, redactor));
  const outcomes = await handle.transaction(async (tx) => {
    const batches = [];
    for (let start = 0; start < executions.length; start += limits.maxBatchSize) {
      const chunk = executions.slice(start, start + limits.maxBatchSize);
      const batch = await ingestBatch(
        tx,
        target,
        chunk.map((e) => e.record),
        limits,
      );
      batches.push({ chunk, ...batch });
    }
    if (storedSteps.length) await insertTraceSteps(tx, target.projectId, jsonForPostgres(storedSteps));
    return batches;
  });

  for (const { chunk, results, created } of outcomes) {
    results.forEach((outcome, i) => {
      const item = chunk[i];
      if (!item) return;
      if (outcome.status === 'rejected')
        reject(item.span, (outcome.error?.message ?? 'rejected').replace(/executions\.\d+\./g, ''));
      else result.executions++;
    });
    result.created.push(...created);
  }
  result.steps = steps.length;
  return result;
}

function idProblem(span: OtlpSpan): string | undefined {
  if (!TRACE_ID.test(span.traceId) || ZERO_ID.test(span.traceId)) return 'traceId must be 16 bytes, not all zero';
  if (!SPAN_ID.test(span.spanId) || ZERO_ID.test(span.spanId)) return 'spanId must be 8 bytes, not all zero';
  if (span.parentSpanId !== null && !SPAN_ID.test(span.parentSpanId)) return 'parentSpanId must be 8 bytes or empty';
  if (span.startTimeUnixNano === 0n) return 'startTimeUnixNano is missing';
  return undefined;
}

const MAX_ATTRIBUTE_CHARS = 8_000;
const MAX_ATTRIBUTES_CHARS = 32_000;

/** A step's attributes as stored: redacted like payloads, kept only where the payload policy keeps payloads, bounded. */
function protectStep(step: TraceStepRow, storage: StoragePolicy, redactor: Redactor): TraceStepRow {
  const status = step.status === 'error' ? 'error' : 'success';
  if (!keepsPayload(storage.payloadPolicy, storage.payloadSampleRate, step.span_id, status)) {
    return { ...step, attributes: null };
  }
  if (!step.attributes) return step;
  const attributes = redactor.active ? redactor.redact(step.attributes, {}) : step.attributes;
  return { ...step, attributes: bounded(attributes) };
}

function bounded(attributes: Attributes): Attributes {
  const kept = emptyAttributes();
  let total = 0;
  for (const [key, value] of Object.entries(attributes)) {
    let size = JSON.stringify(value)?.length ?? 0;
    let stored = value;
    if (size > MAX_ATTRIBUTE_CHARS) {
      const textValue = typeof value === 'string' ? value : JSON.stringify(value);
      stored = `${textValue.slice(0, MAX_ATTRIBUTE_CHARS)}… [${textValue.length - MAX_ATTRIBUTE_CHARS} more characters not kept]`;
      size = MAX_ATTRIBUTE_CHARS;
    }
    if (total + size > MAX_ATTRIBUTES_CHARS) {
      kept['promptlog.attributes_truncated'] = true;
      break;
    }
    kept[key] = stored;
    total += size;
  }
  return kept;
}
