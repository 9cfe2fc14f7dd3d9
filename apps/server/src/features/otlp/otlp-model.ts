/**
 * One OTLP export request, decoded from either encoding into plain values: ids as lowercase hex, times as
 * nanoseconds since the epoch, attributes as a flat map from key to value.
 */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

/** A map without a prototype, so an attribute named "__proto__" is kept like any other instead of replacing it. */
export function emptyAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

export interface OtlpEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: OtlpEvent[];
  status: { code: number; message: string };
}

export interface OtlpScopeSpans {
  scope: { name: string; version: string };
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource: Attributes;
  scopeSpans: OtlpScopeSpans[];
}

export type OtlpExport = OtlpResourceSpans[];

export function spanCount(request: OtlpExport): number {
  let n = 0;
  for (const resource of request) for (const scope of resource.scopeSpans) n += scope.spans.length;
  return n;
}
