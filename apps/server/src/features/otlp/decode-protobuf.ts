import { createRequire } from 'node:module';
import { MAX_PAYLOAD_NESTING } from '@promptlog/contracts';
import protobuf from 'protobufjs';
import {
  type Attributes,
  type AttributeValue,
  emptyAttributes,
  type OtlpEvent,
  type OtlpExport,
  type OtlpSpan,
} from './otlp-model';

/**
 * The official opentelemetry-proto messages, compiled to protobufjs code by the OpenTelemetry JS project and shipped
 * in @opentelemetry/otlp-transformer 0.57 (later versions encode by hand and ship no decoder).
 */
const generated = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js');

interface Long {
  toString(): string;
}
interface PbAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Long | number | null;
  doubleValue?: number | null;
  arrayValue?: { values?: PbAnyValue[] } | null;
  kvlistValue?: { values?: PbKeyValue[] } | null;
  bytesValue?: Uint8Array | null;
}
interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}
/** Fields missing from the wire are null (the generated messages' defaults). */
interface PbSpan {
  traceId: Uint8Array | null;
  spanId: Uint8Array | null;
  parentSpanId: Uint8Array | null;
  name: string | null;
  startTimeUnixNano: Long | number | null;
  endTimeUnixNano: Long | number | null;
  attributes?: PbKeyValue[];
  events?: { timeUnixNano: Long | number | null; name: string | null; attributes?: PbKeyValue[] }[];
  status?: { code?: number; message?: string } | null;
}
interface PbExportRequest {
  resourceSpans?: {
    resource?: { attributes?: PbKeyValue[] } | null;
    scopeSpans?: { scope?: { name?: string; version?: string } | null; spans?: PbSpan[] }[];
  }[];
}
interface MessageCodec<T> {
  decode(bytes: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}
interface TraceServiceMessages {
  ExportTraceServiceRequest: MessageCodec<PbExportRequest>;
  ExportTraceServiceResponse: MessageCodec<{
    partialSuccess?: { rejectedSpans: number; errorMessage: string };
  }>;
}

/** The generated module is typed only as a protobufjs Root; this names the two messages we use. */
function traceServiceMessages(): TraceServiceMessages {
  return generated.opentelemetry.proto.collector.trace.v1 as TraceServiceMessages;
}
const messages = traceServiceMessages();

/** google.rpc.Status, the body OTLP/HTTP sends with every 4xx and 5xx. */
const RpcStatus = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));

export class OtlpDecodeError extends Error {}

export function decodeProtobufExport(body: Uint8Array): OtlpExport {
  let request: PbExportRequest;
  try {
    request = messages.ExportTraceServiceRequest.decode(body);
  } catch (error) {
    // The generated decoder recurses once per nested message and has no depth limit of its own.
    const problem = error instanceof RangeError ? 'its messages nest too deeply' : (error as Error).message;
    throw new OtlpDecodeError(`The body is not an ExportTraceServiceRequest in protobuf: ${problem}`);
  }
  return (request.resourceSpans ?? []).map((resourceSpans) => ({
    resource: attributesOf(resourceSpans.resource?.attributes),
    scopeSpans: (resourceSpans.scopeSpans ?? []).map((scopeSpans) => ({
      scope: { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version ?? '' },
      spans: (scopeSpans.spans ?? []).map(spanOf),
    })),
  }));
}

export function encodeProtobufResponse(rejected: { rejectedSpans: number; errorMessage: string } | null): Uint8Array {
  return messages.ExportTraceServiceResponse.encode(rejected ? { partialSuccess: rejected } : {}).finish();
}

export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  return RpcStatus.encode(RpcStatus.create({ code, message })).finish();
}

function spanOf(span: PbSpan): OtlpSpan {
  return {
    traceId: hex(span.traceId),
    spanId: hex(span.spanId),
    parentSpanId: span.parentSpanId?.length ? hex(span.parentSpanId) : null,
    name: span.name ?? '',
    startTimeUnixNano: nanos(span.startTimeUnixNano),
    endTimeUnixNano: nanos(span.endTimeUnixNano),
    attributes: attributesOf(span.attributes),
    events: (span.events ?? []).map(
      (event): OtlpEvent => ({
        name: event.name ?? '',
        timeUnixNano: nanos(event.timeUnixNano),
        attributes: attributesOf(event.attributes),
      }),
    ),
    status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
  };
}

function hex(bytes: Uint8Array | null): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '';
}

/** A timestamp the exporter left out is 0, as the protobuf encoding defines it. */
function nanos(value: Long | number | null): bigint {
  if (value == null) return 0n;
  return typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(value.toString());
}

function attributesOf(list: PbKeyValue[] | undefined, depth = 0, within?: string): Attributes {
  const attributes = emptyAttributes();
  for (const { key, value } of list ?? []) attributes[key] = attributeValue(value, depth, within ?? key);
  return attributes;
}

function attributeValue(value: PbAnyValue | null | undefined, depth: number, key: string): AttributeValue {
  if (!value) return null;
  if (value.stringValue != null) return value.stringValue;
  if (value.boolValue != null) return value.boolValue;
  if (value.intValue != null) return integer(value.intValue);
  if (value.doubleValue != null) return value.doubleValue;
  if ((value.arrayValue != null || value.kvlistValue != null) && depth >= MAX_PAYLOAD_NESTING) {
    throw new OtlpDecodeError(`Attribute ${key} nests deeper than ${MAX_PAYLOAD_NESTING} levels of arrays and maps`);
  }
  if (value.arrayValue != null) return (value.arrayValue.values ?? []).map((v) => attributeValue(v, depth + 1, key));
  if (value.kvlistValue != null) return attributesOf(value.kvlistValue.values, depth + 1, key);
  if (value.bytesValue != null) return Buffer.from(value.bytesValue).toString('base64');
  return null;
}

/** 64-bit integers stay numbers when exact, else become their decimal text. */
export function integer(value: Long | number | string): number | string {
  if (typeof value === 'number') return value;
  const text = value.toString();
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}
