import { MAX_PAYLOAD_NESTING, nestsDeeperThan } from '@promptlog/contracts';
import { z } from 'zod';
import { integer } from './decode-protobuf';
import { type Attributes, type AttributeValue, emptyAttributes, type OtlpExport } from './otlp-model';

/**
 * OTLP/JSON as the specification defines it: lowerCamelCase names, ids as hex, enums as integers (names are
 * accepted too), 64-bit integers as strings or numbers, unknown fields ignored.
 */
// zod's int() stops at 2^53; nanosecond timestamps sent as JSON numbers are past it and only need to be integral.
const JsonInteger = z.number().refine(Number.isInteger, 'must be an integer');
const Int64 = z.union([JsonInteger, z.string().regex(/^-?\d+$/, 'must be an integer')]);
/** fixed64 in the protobuf encoding: nanoseconds up to 2^64 − 1 (the year 2554). */
const FIXED64_MAX = 2n ** 64n - 1n;
const UnsignedNanos = z.union([
  JsonInteger.refine((n) => n >= 0 && n <= Number(FIXED64_MAX), 'must be an unsigned 64-bit integer'),
  z
    .string()
    .refine((text) => /^\d{1,20}$/.test(text) && BigInt(text) <= FIXED64_MAX, 'must be an unsigned 64-bit integer'),
]);
const HexId = z.string().regex(/^([0-9a-fA-F]{2})*$/, 'must be hex');

/**
 * An array checked one item after another up to its first invalid one, so that a body of a million bad items costs
 * a few validation issues rather than one per item (which takes seconds and gigabytes).
 */
function arrayOf<T extends z.ZodType>(item: T) {
  return z.array(z.unknown()).transform((items, ctx) => {
    const parsed: z.output<T>[] = [];
    for (const [index, value] of items.entries()) {
      const result = item.safeParse(value);
      if (!result.success) {
        for (const issue of result.error.issues.slice(0, 5)) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: [index, ...issue.path] });
        }
        return z.NEVER;
      }
      parsed.push(result.data);
    }
    return parsed;
  });
}

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
    arrayValue: z.object({ values: arrayOf(AnyValue).optional() }).optional(),
    kvlistValue: z.object({ values: arrayOf(KeyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const KeyValue: z.ZodType<JsonKeyValue> = z.lazy(() => z.object({ key: z.string(), value: AnyValue.optional() }));
const AttributeList = arrayOf(KeyValue).optional();

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
  events: arrayOf(
    z.object({ timeUnixNano: UnsignedNanos.default(0), name: z.string().default(''), attributes: AttributeList }),
  ).optional(),
  status: z.object({ code: StatusCode.default(0), message: z.string().default('') }).optional(),
});

const Scope = z.object({ name: z.string().default(''), version: z.string().default('') }).optional();
const ScopeSpans = z.object({ scope: Scope, spans: arrayOf(Span).default([]) });

const ExportRequest = z.object({
  resourceSpans: arrayOf(
    z.object({
      resource: z.object({ attributes: AttributeList }).optional(),
      scopeSpans: arrayOf(ScopeSpans).optional(),
      /** Deprecated name, still sent by old exporters; read only when scopeSpans is absent. */
      instrumentationLibrarySpans: arrayOf(
        z.object({ instrumentationLibrary: Scope, spans: arrayOf(Span).default([]) }),
      ).optional(),
    }),
  ).default([]),
});

export class OtlpJsonError extends Error {}

/**
 * Event attribute values start 12 levels deep and each level of nesting in one takes up to 4 more: this admits every
 * attribute up to MAX_PAYLOAD_NESTING and keeps deeper bodies away from the recursive schema below.
 */
const MAX_BODY_NESTING = 12 + 4 * (MAX_PAYLOAD_NESTING + 1);

export function decodeJsonExport(text: string): OtlpExport {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OtlpJsonError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  if (nestsDeeperThan(body, MAX_BODY_NESTING)) {
    throw new OtlpJsonError(
      `The body nests deeper than ${MAX_BODY_NESTING} levels (attribute values at most ${MAX_PAYLOAD_NESTING})`,
    );
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

function attributesOf(list: JsonKeyValue[] | undefined, depth = 0, within?: string): Attributes {
  const attributes = emptyAttributes();
  for (const { key, value } of list ?? []) attributes[key] = attributeValue(value, depth, within ?? key);
  return attributes;
}

function attributeValue(value: JsonAnyValue | undefined, depth: number, key: string): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return integer(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if ((value.arrayValue !== undefined || value.kvlistValue !== undefined) && depth >= MAX_PAYLOAD_NESTING) {
    throw new OtlpJsonError(`Attribute ${key} nests deeper than ${MAX_PAYLOAD_NESTING} levels of arrays and maps`);
  }
  if (value.arrayValue !== undefined) {
    return (value.arrayValue.values ?? []).map((item) => attributeValue(item, depth + 1, key));
  }
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values, depth + 1, key);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}
