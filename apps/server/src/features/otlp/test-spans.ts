import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

/** Builds OTLP export requests for tests, in OTLP/JSON and (through the official messages) in protobuf. */
type Value = string | number | boolean | Value[] | { [key: string]: Value };

export interface TestSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startMs?: number;
  durationMs?: number;
  attributes?: Record<string, Value>;
  events?: { name: string; attributes?: Record<string, Value> }[];
  status?: { code: number; message?: string };
}

export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

function anyValue(value: Value): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: Record<string, Value>) {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

export function otlpJson(spans: TestSpan[], resource: Record<string, Value> = { 'service.name': 'test-service' }) {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues(resource) },
        scopeSpans: [
          {
            scope: { name: 'test-instrumentation', version: '1.0.0' },
            spans: spans.map((span) => {
              const start = span.startMs ?? Date.parse('2026-11-20T10:00:00.000Z');
              return {
                traceId: span.traceId ?? newTraceId(),
                spanId: span.spanId ?? newSpanId(),
                ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
                name: span.name ?? 'chat gpt-4o-mini',
                kind: 3,
                startTimeUnixNano: nanos(start),
                endTimeUnixNano: nanos(start + (span.durationMs ?? 1200)),
                attributes: keyValues(span.attributes ?? {}),
                events: (span.events ?? []).map((e) => ({
                  name: e.name,
                  timeUnixNano: nanos(start + 1),
                  attributes: keyValues(e.attributes ?? {}),
                })),
                status: span.status ?? { code: 0 },
              };
            }),
          },
        ],
      },
    ],
  };
}

const generated = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js');

/** The same request as protobuf bytes: ids go from hex to bytes, the rest maps field for field. */
export function otlpProtobuf(json: ReturnType<typeof otlpJson>): Buffer {
  const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const request = {
    resourceSpans: json.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((span) => ({
          ...span,
          traceId: hexToBase64(span.traceId),
          spanId: hexToBase64(span.spanId),
          parentSpanId: span.parentSpanId ? hexToBase64(span.parentSpanId) : undefined,
        })),
      })),
    })),
  };
  const { ExportTraceServiceRequest } = generated.opentelemetry.proto.collector.trace.v1;
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish());
}

export function decodeProtobufResponse(body: Buffer): {
  partialSuccess?: { rejectedSpans: string; errorMessage: string };
} {
  const { ExportTraceServiceResponse } = generated.opentelemetry.proto.collector.trace.v1;
  return ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(body), { longs: String });
}
