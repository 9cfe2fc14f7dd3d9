import { gzipSync } from 'node:zlib';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestApp, createTestProject, openTestDatabase, type TestProject, useTestApp } from '../../test/harness';
import { createApiKey } from '../api-keys/service';
import { executionIdForSpan } from './span-to-record';
import { decodeProtobufResponse, newSpanId, newTraceId, otlpJson, otlpProtobuf, type TestSpan } from './test-spans';

let handle: DatabaseHandle;
let app: FastifyInstance;

const MAX_BODY = 64 * 1024;

useTestApp(
  (opened) => {
    ({ handle, app } = opened);
  },
  { maxBodyBytes: MAX_BODY },
);

const chatSpan = (overrides: Partial<TestSpan> = {}): TestSpan => ({
  name: 'chat gpt-4o-mini',
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 1000,
    'gen_ai.usage.output_tokens': 200,
    'gen_ai.input.messages': JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: 'Where is my order?' }] },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      { role: 'assistant', parts: [{ type: 'text', content: 'It ships today.' }], finish_reason: 'stop' },
    ]),
    'promptlog.prompt.id': 'support-reply',
    'promptlog.prompt.version': 3,
  },
  ...overrides,
});

function postJson(project: TestProject, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/otel/v1/traces',
    headers: { ...project.auth, 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

function postProtobuf(project: TestProject, body: Buffer, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/otel/v1/traces',
    headers: { ...project.auth, 'content-type': 'application/x-protobuf', ...headers },
    payload: body,
  });
}

async function storedExecutions(projectId: string) {
  return handle.query<{
    id: string;
    prompt_id: string;
    prompt_version: number | null;
    status: string;
    model: string;
    provider: string | null;
    input_tokens: number | null;
    cost_usd: string | null;
    cost_origin: string;
    trace_id: string | null;
    trace_span_id: string | null;
    trace_parent_id: string | null;
    source_id: string | null;
  }>(
    `select id, prompt_id, prompt_version, status, model, provider, input_tokens, trim_scale(cost_usd)::text as cost_usd,
       cost_origin, trace_id, trace_span_id, trace_parent_id, source_id
     from executions where project_id = $1 order by started_at, id`,
    [projectId],
  );
}

describe('POST /api/otel/v1/traces', () => {
  it('stores an LLM span sent as protobuf as an execution, priced, with the prompt and trace it names', async () => {
    const project = await createTestProject(handle);
    const traceId = newTraceId();
    const spanId = newSpanId();
    const parentSpanId = newSpanId();
    const request = otlpJson([chatSpan({ traceId, spanId, parentSpanId })]);
    const response = await postProtobuf(project, otlpProtobuf(request));

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-protobuf');
    expect(decodeProtobufResponse(response.rawPayload).partialSuccess).toBeUndefined();
    const [stored] = await storedExecutions(project.projectId);
    expect(stored).toMatchObject({
      prompt_id: 'support-reply',
      prompt_version: 3,
      status: 'success',
      model: 'gpt-4o-mini-2024-07-18',
      provider: 'openai',
      input_tokens: 1000,
      cost_origin: 'catalog',
      trace_id: traceId,
      trace_span_id: spanId,
      trace_parent_id: parentSpanId,
      source_id: 'test-service',
    });
    expect(stored?.cost_usd).toBe('0.00027');

    const detail = await app.inject({ method: 'GET', url: `/api/v1/executions/${stored?.id}`, headers: project.auth });
    expect(detail.json()).toMatchObject({
      request: { messages: [{ role: 'user', content: 'Where is my order?' }] },
      output: 'It ships today.',
      metadata: { finishReason: 'stop' },
      trace: { traceId, spanId, parentId: parentSpanId, stepType: 'llm' },
    });
  });

  it('accepts OTLP/JSON, gzip-compressed too, and answers in JSON', async () => {
    const project = await createTestProject(handle);
    const plain = await postJson(project, otlpJson([chatSpan()]));
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toEqual({});

    const gzipped = await postJson(project, gzipSync(JSON.stringify(otlpJson([chatSpan()]))), {
      'content-encoding': 'gzip',
    });
    expect(gzipped.statusCode).toBe(200);
    expect(await storedExecutions(project.projectId)).toHaveLength(2);
  });

  it('reads OTLP/JSON as the specification writes it: integer enums, 64-bit numbers as numbers, unknown fields', async () => {
    const project = await createTestProject(handle);
    const request = otlpJson([chatSpan({ status: { code: 2, message: 'Rate limit reached' } })]);
    const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    if (!span) throw new Error('no span');
    const withNumbers = {
      ...request,
      somethingNew: true,
      resourceSpans: [
        {
          ...request.resourceSpans[0],
          scopeSpans: [
            {
              ...request.resourceSpans[0]?.scopeSpans[0],
              spans: [
                {
                  ...span,
                  traceId: span.traceId.toUpperCase(),
                  startTimeUnixNano: Number(span.startTimeUnixNano),
                  endTimeUnixNano: Number(span.endTimeUnixNano),
                  flags: 257,
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await postJson(project, withNumbers);
    expect(response.json()).toEqual({});
    const [stored] = await storedExecutions(project.projectId);
    expect(stored).toMatchObject({ status: 'error', trace_id: span.traceId });
    const detail = await app.inject({ method: 'GET', url: `/api/v1/executions/${stored?.id}`, headers: project.auth });
    expect(detail.json().error).toMatchObject({ type: 'rate_limit', message: 'Rate limit reached' });
  });

  it('stores a span sent twice (an exporter retry) once, under an id derived from its trace and span ids', async () => {
    const project = await createTestProject(handle);
    const request = otlpJson([chatSpan()]);
    const body = otlpProtobuf(request);
    expect((await postProtobuf(project, body)).statusCode).toBe(200);
    expect((await postProtobuf(project, body)).statusCode).toBe(200);
    const stored = await storedExecutions(project.projectId);
    expect(stored).toHaveLength(1);
    const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    if (!span) throw new Error('no span');
    expect(stored[0]?.id).toBe(
      executionIdForSpan({
        traceId: span.traceId,
        spanId: span.spanId,
        startTimeUnixNano: BigInt(span.startTimeUnixNano),
        parentSpanId: null,
        name: span.name,
        endTimeUnixNano: 0n,
        attributes: {},
        events: [],
        status: { code: 0, message: '' },
      }),
    );
    expect(stored[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the other AI spans of a trace as steps and ignores spans with no AI attributes', async () => {
    const project = await createTestProject(handle);
    const traceId = newTraceId();
    const agent = newSpanId();
    const tool = newSpanId();
    const request = otlpJson([
      { traceId, spanId: agent, name: 'invoke_agent planner', attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
      {
        traceId,
        spanId: tool,
        parentSpanId: agent,
        name: 'search',
        attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'search', 'input.value': 'weather' },
        status: { code: 2, message: 'search backend down' },
      },
      chatSpan({ traceId, parentSpanId: agent }),
      { traceId, name: 'GET /health', attributes: { 'http.request.method': 'GET' } },
    ]);
    const response = await postJson(project, request);
    expect(response.statusCode).toBe(200);
    const steps = await handle.query<{ span_id: string; kind: string; status: string; status_message: string | null }>(
      'select span_id, kind, status, status_message from trace_spans where project_id = $1 and trace_id = $2 order by started_at, span_id',
      [project.projectId, traceId],
    );
    expect(steps).toHaveLength(2);
    expect(steps.find((s) => s.span_id === agent)).toMatchObject({ kind: 'agent', status: 'unset' });
    expect(steps.find((s) => s.span_id === tool)).toMatchObject({
      kind: 'tool',
      status: 'error',
      status_message: 'search backend down',
    });
    expect(await storedExecutions(project.projectId)).toHaveLength(1);
  });

  it('stores an export whole or not at all: a failed step write keeps its executions out, and the retry stores both once', async () => {
    const project = await createTestProject(handle);
    const traceId = newTraceId();
    const agent = newSpanId();
    const request = otlpJson([
      { traceId, spanId: agent, name: 'invoke_agent planner', attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
      chatSpan({ traceId, parentSpanId: agent }),
    ]);
    const trigger = `fail_steps_${project.projectId.replaceAll('-', '')}`;
    await handle.query(`create function ${trigger}() returns trigger language plpgsql as $$
      begin raise exception 'step write refused by a test'; end $$`);
    await handle.query(`create trigger ${trigger} before insert on trace_spans for each row
      when (new.project_id = '${project.projectId}') execute function ${trigger}()`);
    try {
      const failed = await postJson(project, request);
      expect(failed.statusCode, failed.body).toBe(500);
      expect(await storedExecutions(project.projectId)).toHaveLength(0);
    } finally {
      await handle.query(`drop trigger ${trigger} on trace_spans`);
      await handle.query(`drop function ${trigger}()`);
    }
    const retried = await postJson(project, request);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await storedExecutions(project.projectId)).toHaveLength(1);
    const steps = await handle.query('select span_id from trace_spans where project_id = $1', [project.projectId]);
    expect(steps).toEqual([{ span_id: agent }]);
  });

  it('rejects a value the database refuses inside an export alone, and stores the rest with the steps', async () => {
    const project = await createTestProject(handle);
    const traceId = newTraceId();
    const agent = newSpanId();
    const model = 'model-this-test-refuses';
    const refused = chatSpan({ traceId, parentSpanId: agent });
    refused.attributes = { ...refused.attributes, 'gen_ai.request.model': model, 'gen_ai.response.model': model };
    const request = otlpJson([
      { traceId, spanId: agent, name: 'invoke_agent planner', attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
      chatSpan({ traceId, parentSpanId: agent }),
      refused,
    ]);
    // The database refuses one model's value (a data exception, as for a malformed value), only in this project.
    const check = `refuse_model_${project.projectId.replaceAll('-', '')}`;
    await handle.query(`create function ${check}() returns trigger language plpgsql as $$
      begin if new.project_id = '${project.projectId}' and new.model = '${model}' then
        raise exception using errcode = '22023', message = 'value refused by a test'; end if; return new; end $$`);
    await handle.query(
      `create trigger ${check} before insert on execution_rollup_deltas for each row execute function ${check}()`,
    );
    try {
      const response = await postJson(project, request);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().partialSuccess).toMatchObject({ rejectedSpans: 1 });
    } finally {
      await handle.query(`drop trigger ${check} on execution_rollup_deltas`);
      await handle.query(`drop function ${check}()`);
    }
    expect(await storedExecutions(project.projectId)).toHaveLength(1);
    const steps = await handle.query('select span_id from trace_spans where project_id = $1', [project.projectId]);
    expect(steps).toEqual([{ span_id: agent }]);
  });

  it('rejects invalid spans one by one with partialSuccess and stores the rest', async () => {
    const project = await createTestProject(handle);
    const request = otlpJson([chatSpan(), chatSpan({ spanId: '00000000000000000000' }), chatSpan()]);
    const badSpan = request.resourceSpans[0]?.scopeSpans[0]?.spans[1];
    if (badSpan) badSpan.spanId = 'abcd';
    const response = await postJson(project, request);
    expect(response.statusCode).toBe(200);
    expect(response.json().partialSuccess).toMatchObject({ rejectedSpans: 1 });
    expect(response.json().partialSuccess.errorMessage).toContain('spanId must be 8 bytes');
    expect(await storedExecutions(project.projectId)).toHaveLength(2);
  });

  it('reports a span the execution contract refuses in partialSuccess, naming the field', async () => {
    const project = await createTestProject(handle);
    const request = otlpJson([
      chatSpan({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 10,
          'gen_ai.usage.output_tokens': 5,
          'gen_ai.usage.reasoning.output_tokens': 3,
          'promptlog.user.email': 'not an email',
        },
      }),
    ]);
    const response = await postProtobuf(project, otlpProtobuf(request));
    expect(response.statusCode).toBe(200);
    const { partialSuccess } = decodeProtobufResponse(response.rawPayload);
    expect(partialSuccess?.rejectedSpans).toBe('1');
    expect(partialSuccess?.errorMessage).toContain('user.email');
  });

  it('answers an undecodable body with 400 and a Status in the request encoding, never 5xx', async () => {
    const project = await createTestProject(handle);
    const garbage = await postProtobuf(project, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.headers['content-type']).toContain('application/x-protobuf');

    const notJson = await postJson(project, '{"resourceSpans": [');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: 3, message: expect.stringContaining('not valid JSON') });

    const wrongShape = await postJson(project, { resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 42 }] }] }] });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json().message).toContain('resourceSpans.0.scopeSpans.0.spans.0');

    const badGzip = await postJson(project, Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
    expect(badGzip.statusCode).toBe(400);

    const otherType = await app.inject({
      method: 'POST',
      url: '/api/otel/v1/traces',
      headers: { ...project.auth, 'content-type': 'text/xml' },
      payload: '<spans/>',
    });
    expect(otherType.statusCode).toBe(415);
  });

  it('applies the body limit after decompression', async () => {
    const project = await createTestProject(handle);
    const huge = otlpJson([chatSpan({ attributes: { ...chatSpan().attributes, filler: 'x'.repeat(MAX_BODY * 2) } })]);
    const compressed = gzipSync(JSON.stringify(huge));
    expect(compressed.length).toBeLessThan(MAX_BODY);
    const response = await postJson(project, compressed, { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toContain('PROMPTLOG_MAX_BODY_BYTES');
    expect(await storedExecutions(project.projectId)).toHaveLength(0);
  });

  it('refuses a missing or read-only key', async () => {
    const project = await createTestProject(handle);
    const body = otlpProtobuf(otlpJson([chatSpan()]));
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/otel/v1/traces',
      headers: { 'content-type': 'application/x-protobuf' },
      payload: body,
    });
    expect(anonymous.statusCode).toBe(401);
    const readOnly = await createApiKey(handle.db, project.projectId, { label: 'reader', scopes: ['read'] });
    const refused = await postProtobuf(project, body, { authorization: `Bearer ${readOnly.key}` });
    expect(refused.statusCode).toBe(403);
  });

  it('redacts secrets in LLM spans and in step attributes before storing them', async () => {
    const project = await createTestProject(handle);
    const traceId = newTraceId();
    const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD';
    const request = otlpJson([
      chatSpan({
        traceId,
        attributes: {
          ...chatSpan().attributes,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: `my key is ${secret}` }] },
          ]),
        },
      }),
      { traceId, name: 'tool call', attributes: { 'openinference.span.kind': 'TOOL', 'input.value': `key=${secret}` } },
    ]);
    expect((await postJson(project, request)).statusCode).toBe(200);
    const [execution] = await storedExecutions(project.projectId);
    const detail = await app.inject({
      method: 'GET',
      url: `/api/v1/executions/${execution?.id}`,
      headers: project.auth,
    });
    expect(JSON.stringify(detail.json())).not.toContain(secret);
    const [step] = await handle.query<{ attributes: Record<string, unknown> }>(
      'select attributes from trace_spans where project_id = $1 and trace_id = $2',
      [project.projectId, traceId],
    );
    expect(JSON.stringify(step?.attributes)).not.toContain(secret);
    expect(step?.attributes['input.value']).toContain('[REDACTED:');
  });
});

describe('OTLP overload', () => {
  it('answers 503 with Retry-After when more exports arrive than it processes at once', async () => {
    const busyHandle = await openTestDatabase();
    const busy = await createTestApp(busyHandle, { maxConcurrentExports: 1 });
    try {
      const project = await createTestProject(busyHandle);
      const body = otlpProtobuf(otlpJson(Array.from({ length: 200 }, () => chatSpan())));
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          busy.inject({
            method: 'POST',
            url: '/api/otel/v1/traces',
            headers: { ...project.auth, 'content-type': 'application/x-protobuf' },
            payload: body,
          }),
        ),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses).toContain(200);
      expect(statuses).toContain(503);
      const refused = responses.find((r) => r.statusCode === 503);
      expect(refused?.headers['retry-after']).toBe('1');
      const afterwards = await busy.inject({
        method: 'POST',
        url: '/api/otel/v1/traces',
        headers: { ...project.auth, 'content-type': 'application/x-protobuf' },
        payload: otlpProtobuf(otlpJson([chatSpan()])),
      });
      expect(afterwards.statusCode).toBe(200);
    } finally {
      await busy.close();
      await busyHandle.close();
    }
  });
});

describe('OTLP exports cut off by the client', () => {
  it('frees their places, so later exports are not refused as overload', async () => {
    const busyHandle = await openTestDatabase();
    const busy = await createTestApp(busyHandle, { maxConcurrentExports: 2 });
    try {
      const url = `${await busy.listen({ port: 0, host: '127.0.0.1' })}/api/otel/v1/traces`;
      const project = await createTestProject(busyHandle);
      const headers = { ...project.auth, 'content-type': 'application/x-protobuf' };
      const big = otlpProtobuf(otlpJson(Array.from({ length: 300 }, () => chatSpan())));
      const cutOff = Array.from({ length: 4 }, async () => {
        const controller = new AbortController();
        const sent = fetch(url, { method: 'POST', headers, body: big, signal: controller.signal });
        setTimeout(() => controller.abort(), 20);
        await sent.catch(() => undefined);
      });
      await Promise.all(cutOff);
      // Whatever the server was doing for them, it finishes; then their places are free again.
      const small = otlpProtobuf(otlpJson([chatSpan()]));
      await expect
        .poll(async () => (await fetch(url, { method: 'POST', headers, body: small })).status, { timeout: 15_000 })
        .toBe(200);
      for (let i = 0; i < 3; i++) {
        const response = await fetch(url, { method: 'POST', headers, body: small });
        expect(response.status).toBe(200);
      }
    } finally {
      await busy.close();
      await busyHandle.close();
    }
  });
});
