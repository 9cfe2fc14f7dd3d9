import { z } from 'zod';
import { integer } from './decode-protobuf';
import type { Attributes, AttributeValue, OtlpExport } from './otlp-model';

/**
 * OTLP/JSON as the specification defines it: lowerCamelCase names, ids as hex, enums as integers (names are
 * accepted too), 64-bit integers as strings or numbers, unknown fields ignored.
 */
// zod's int() stops at 2^53; nanosecond timestamps sent as JSON numbers are past it and only need to be integral.
const JsonInteger = z.number().refine(Number.isInteger, 'must be an integer');
const Int64 = z.union([JsonInteger, z.string().regex(/^-?\d+$/, 'must be an integer')]);
const UnsignedNanos = z.union([
  JsonInteger.refine((n) => n >= 0, 'must not be negative'),
  z.string().regex(/^\d+$/, 'must be a non-negative integer'),
]);
const HexId = z.string().regex(/^([0-9a-fA-F]{2})*$/, 'must be hex');

type JsonAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
  bytesValue?: string;
};
type JsonKeyValue = { key: string; value?: JsonAnyValue };

const AnyValue: z.ZodType<JsonAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: Int64.optional(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
    arrayValue: z.object({ values: z.array(AnyValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(KeyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const KeyValue: z.ZodType<JsonKeyValue> = z.lazy(() => z.object({ key: z.string(), value: AnyValue.optional() }));
const AttributeList = z.array(KeyValue).optional();

const STATUS_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const StatusCode = z.union([
  z.number().int().min(0).max(2),
  z.enum(Object.keys(STATUS_NAMES) as [string, ...string[]]).transform((name) => STATUS_NAMES[name] ?? 0),
]);

const Span = z.object({
  traceId: HexId,
  spanId: HexId,
  parentSpanId: HexId.optional(),
  name: z.string().default(''),
  startTimeUnixNano: UnsignedNanos.default(0),
  endTimeUnixNano: UnsignedNanos.default(0),
  attributes: AttributeList,
  events: z
    .array(
      z.object({ timeUnixNano: UnsignedNanos.default(0), name: z.string().default(''), attributes: AttributeList }),
    )
    .optional(),
  status: z.object({ code: StatusCode.default(0), message: z.string().default('') }).optional(),
});

const Scope = z.object({ name: z.string().default(''), version: z.string().default('') }).optional();
const ScopeSpans = z.object({ scope: Scope, spans: z.array(Span).default([]) });

const ExportRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: AttributeList }).optional(),
        scopeSpans: z.array(ScopeSpans).optional(),
        /** Deprecated name, still sent by old exporters; read only when scopeSpans is absent. */
        instrumentationLibrarySpans: z
          .array(z.object({ instrumentationLibrary: Scope, spans: z.array(Span).default([]) }))
          .optional(),
      }),
    )
    .default([]),
});

export class OtlpJsonError extends Error {}

export function decodeJsonExport(text: string): OtlpExport {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OtlpJsonError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ExportRequest.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new OtlpJsonError(`The body is not an OTLP/JSON ExportTraceServiceRequest: ${first.join('; ')}`);
  }
  return parsed.data.resourceSpans.map((resourceSpans) => ({
    resource: attributesOf(resourceSpans.resource?.attributes),
    scopeSpans: (
      resourceSpans.scopeSpans ??
      (resourceSpans.instrumentationLibrarySpans ?? []).map((s) => ({
        scope: s.instrumentationLibrary,
        spans: s.spans,
      }))
    ).map((scopeSpans) => ({
      scope: { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version ?? '' },
      spans: scopeSpans.spans.map((span) => ({
        traceId: span.traceId.toLowerCase(),
        spanId: span.spanId.toLowerCase(),
        parentSpanId: span.parentSpanId ? span.parentSpanId.toLowerCase() : null,
        name: span.name,
        startTimeUnixNano: BigInt(span.startTimeUnixNano),
        endTimeUnixNano: BigInt(span.endTimeUnixNano),
        attributes: attributesOf(span.attributes),
        events: (span.events ?? []).map((event) => ({
          name: event.name,
          timeUnixNano: BigInt(event.timeUnixNano),
          attributes: attributesOf(event.attributes),
        })),
        status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
      })),
    })),
  }));
}

function attributesOf(list: JsonKeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of list ?? []) attributes[key] = attributeValue(value);
  return attributes;
}

function attributeValue(value: JsonAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return integer(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(attributeValue);
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}
