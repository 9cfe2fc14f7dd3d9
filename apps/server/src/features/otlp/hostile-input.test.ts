import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { decodeProtobufResponse, newSpanId, newTraceId, otlpJson, otlpProtobuf } from './test-spans';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const llmAttributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' };

function post(project: TestProject, type: 'json' | 'x-protobuf', payload: string | Buffer) {
  return app.inject({
    method: 'POST',
    url: '/api/otel/v1/traces',
    headers: { ...project.auth, 'content-type': `application/${type}` },
    payload,
  });
}

/** One span whose attribute `key` holds `levels` arrays (or key-value lists) inside each other, as OTLP/JSON text. */
function deepAttributeJson(levels: number, shape: 'arrayValue' | 'kvlistValue'): string {
  const open = shape === 'arrayValue' ? '{"arrayValue":{"values":[' : '{"kvlistValue":{"values":[{"key":"a","value":';
  const close = shape === 'arrayValue' ? ']}}' : '}]}}';
  const value = `${open.repeat(levels)}{"stringValue":"x"}${close.repeat(levels)}`;
  const json = JSON.stringify(otlpJson([{ attributes: llmAttributes }]));
  return json.replace('"attributes":[', `"attributes":[{"key":"gen_ai.prompt","value":${value}},`);
}

describe('OTLP exports a hostile exporter could send', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('refuses attribute values nested deeper than 64 levels with a 400 naming the attribute, up to 100,000', async () => {
    const project = await createTestProject(handle);
    expect((await post(project, 'json', deepAttributeJson(64, 'kvlistValue'))).statusCode).toBe(200);
    for (const shape of ['arrayValue', 'kvlistValue'] as const) {
      const refused = await post(project, 'json', deepAttributeJson(65, shape));
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toBe('Attribute gen_ai.prompt nests deeper than 64 levels of arrays and maps');
    }
    const deepest = await post(project, 'json', deepAttributeJson(100_000, 'arrayValue'));
    expect(deepest.statusCode).toBe(400);
    expect(deepest.json().message).toMatch(/^The body nests deeper than \d+ levels/);
  });

  it('refuses the same in protobuf, and a body nested deeper than the decoder follows', async () => {
    const project = await createTestProject(handle);
    const deep = (levels: number) => {
      let value: Record<string, unknown> = { stringValue: 'x' };
      for (let i = 0; i < levels; i++) value = { arrayValue: { values: [value] } };
      const json = otlpJson([{ attributes: llmAttributes }]);
      const span = json.resourceSpans[0]?.scopeSpans[0]?.spans[0];
      span?.attributes.push({ key: 'gen_ai.prompt', value });
      return otlpProtobuf(json);
    };
    const nested = await post(project, 'x-protobuf', deep(1_000));
    expect(nested.statusCode).toBe(400);
    expect(nested.headers['content-type']).toMatch(/^application\/x-protobuf/);
    expect(nested.rawPayload.toString()).toContain('Attribute gen_ai.prompt nests deeper than 64 levels');

    // An ArrayValue inside an AnyValue, 100,000 times: too deep even to build with the official encoder.
    const value = deepArrayValue(100_000);
    const keyValue = Buffer.concat([Buffer.from([0x0a, 0x01, 0x61, 0x12, ...varint(value.length)]), value]);
    const span = Buffer.concat([Buffer.from([0x4a, ...varint(keyValue.length)]), keyValue]);
    const scopeSpans = Buffer.concat([Buffer.from([0x12, ...varint(span.length)]), span]);
    const resourceSpans = Buffer.concat([Buffer.from([0x12, ...varint(scopeSpans.length)]), scopeSpans]);
    const body = Buffer.concat([Buffer.from([0x0a, ...varint(resourceSpans.length)]), resourceSpans]);
    const deepest = await post(project, 'x-protobuf', body);
    expect(deepest.statusCode).toBe(400);
    expect(deepest.rawPayload.toString()).toContain('its messages nest too deeply');
  });

  it('answers a million invalid spans with a 400 naming the first, not one issue per span', async () => {
    const project = await createTestProject(handle);
    const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[${new Array(1_000_000).fill('1').join(',')}]}]}]}`;
    const answer = await post(project, 'json', body);
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toBe(
      'The body is not an OTLP/JSON ExportTraceServiceRequest: resourceSpans.0.scopeSpans.0.spans.0: Invalid input: expected object, received number',
    );
  });

  it('refuses timestamps past 64 bits, and rejects a protobuf span without any as a span, not the export', async () => {
    const project = await createTestProject(handle);
    const json = otlpJson([{ attributes: llmAttributes }]);
    const span = json.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    if (!span) throw new Error('no span');
    const late = await post(project, 'json', JSON.stringify(json).replace(span.startTimeUnixNano, '1'.repeat(30)));
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toContain('startTimeUnixNano: must be an unsigned 64-bit integer');

    const { startTimeUnixNano: _start, endTimeUnixNano: _end, name: _name, ...untimed } = span;
    Object.assign(json.resourceSpans[0]?.scopeSpans[0] ?? {}, { spans: [untimed] });
    const answer = await post(project, 'x-protobuf', otlpProtobuf(json));
    expect(answer.statusCode).toBe(200);
    expect(decodeProtobufResponse(answer.rawPayload).partialSuccess).toEqual({
      rejectedSpans: '1',
      errorMessage: `span ${span.spanId} (): startTimeUnixNano is missing`,
    });
  });

  it('keeps attribute keys such as "__proto__" as keys: no export can change Object.prototype', async () => {
    const project = await createTestProject(handle);
    const traceId = newTraceId();
    const spanId = newSpanId();
    const attributes = {
      ...llmAttributes,
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'hello',
      'llm.input_messages.0.__proto__.polluted': 'yes',
      'llm.output_messages.__proto__.polluted': 'yes',
      [`llm.input_messages.${'0.'.repeat(20_000)}x`]: 'deep',
    };
    // Failed, so that the payload is kept whatever the project's sampling.
    const status = { code: 2, message: 'failed' };
    const answer = await post(project, 'json', JSON.stringify(otlpJson([{ traceId, spanId, attributes, status }])));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const list = await app.inject({ url: '/api/v1/executions', headers: project.auth });
    const read = await app.inject({ url: `/api/v1/executions/${list.json().items[0].id}`, headers: project.auth });
    expect(read.json().request.messages).toMatchObject([{ role: 'user' }]);
  });
});

/** AnyValue { array_value: ArrayValue { values: [ … ] } }, `levels` times around AnyValue { string_value: "x" }. */
function deepArrayValue(levels: number): Buffer {
  const leaf = [0x0a, 0x01, 0x78];
  const lengths = [leaf.length];
  for (let i = 0; i < levels; i++) {
    const inner = lengths[i] ?? 0;
    const list = 1 + varint(inner).length + inner;
    lengths.push(1 + varint(list).length + list);
  }
  const bytes: number[] = [];
  for (let i = levels - 1; i >= 0; i--) {
    const inner = lengths[i] ?? 0;
    bytes.push(0x2a, ...varint(1 + varint(inner).length + inner), 0x0a, ...varint(inner));
  }
  bytes.push(...leaf);
  return Buffer.from(bytes);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}
