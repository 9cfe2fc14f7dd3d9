import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;
let endpoint: string;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `${address}/api/otel`;
});

const ENV_KEYS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_COMPRESSION'];
afterEach(() => {
  for (const key of ENV_KEYS) delete process.env[key];
});

/** Configures the exporter the way the README tells users to: with the standard environment variables only. */
function configureLikeAUser(project: TestProject, compression: 'gzip' | 'none') {
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer ${project.apiKey}`;
  process.env.OTEL_EXPORTER_OTLP_COMPRESSION = compression;
}

/** An agent run as an instrumented app would trace it: an agent span, two LLM calls (one failing) and a tool. */
async function traceAnAgentRun(exporter: SpanExporter): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'deployment.environment.name': 'staging' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('exporter-test');
  const agent = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
  const inAgent = trace.setSpan(ROOT_CONTEXT, agent);

  const firstCall = tracer.startSpan('chat gpt-4o-mini', {}, inAgent);
  firstCall.setAttributes({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 1200,
    'gen_ai.usage.output_tokens': 80,
    'gen_ai.usage.cache_read.input_tokens': 1000,
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Refund?' }] }]),
    'gen_ai.output.messages': JSON.stringify([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup_order', arguments: { id: 7 } }] },
    ]),
    'promptlog.prompt.id': 'support-agent',
    'promptlog.prompt.version': 2,
    'promptlog.inputs': JSON.stringify({ customer: 'Ada' }),
  });
  firstCall.end();

  const tool = tracer.startSpan('lookup_order', {}, inAgent);
  tool.setAttributes({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order' });
  tool.end();

  const secondCall = tracer.startSpan('chat gpt-4o-mini', {}, inAgent);
  secondCall.setAttributes({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'promptlog.prompt.id': 'support-agent',
  });
  const error = Object.assign(new Error('Rate limit reached for gpt-4o-mini'), { name: 'RateLimitError' });
  secondCall.recordException(error);
  secondCall.setAttribute('error.type', 'RateLimitError');
  secondCall.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  secondCall.end();
  agent.end();

  await provider.forceFlush();
  await provider.shutdown();
  return agent.spanContext().traceId;
}

async function executionsOf(projectId: string, traceId: string) {
  return handle.query<{
    prompt_id: string;
    prompt_version: number | null;
    status: string;
    error_type: string | null;
    input_tokens: number | null;
    cache_read_tokens: number | null;
    cost_origin: string;
    source_id: string | null;
    environment: string | null;
    tool_call_count: number;
  }>(
    `select prompt_id, prompt_version, status, error_type, input_tokens, cache_read_tokens, cost_origin, source_id,
       environment, tool_call_count
     from executions where project_id = $1 and trace_id = $2 order by status`,
    [projectId, traceId],
  );
}

describe.each([
  ['protobuf', () => new ProtobufExporter(), 'none'],
  ['protobuf with gzip', () => new ProtobufExporter(), 'gzip'],
  ['JSON', () => new JsonExporter(), 'none'],
] as const)('the OpenTelemetry JS exporter (%s)', (_name, makeExporter, compression) => {
  it('delivers an agent run: LLM calls become executions, the agent and tool become trace steps', async () => {
    const project = await createTestProject(handle);
    configureLikeAUser(project, compression);
    const traceId = await traceAnAgentRun(makeExporter());

    const executions = await executionsOf(project.projectId, traceId);
    expect(executions).toEqual([
      expect.objectContaining({ prompt_id: 'support-agent', status: 'error', error_type: 'rate_limit' }),
      expect.objectContaining({
        prompt_id: 'support-agent',
        prompt_version: 2,
        status: 'success',
        input_tokens: 1200,
        cache_read_tokens: 1000,
        cost_origin: 'catalog',
        source_id: 'support-bot',
        environment: 'staging',
        tool_call_count: 1,
      }),
    ]);
    const steps = await handle.query<{ kind: string; name: string }>(
      // Spans started within the same millisecond have no reliable order, so these are read in a fixed one.
      'select kind, name from trace_spans where project_id = $1 and trace_id = $2 order by kind',
      [project.projectId, traceId],
    );
    expect(steps).toEqual([
      { kind: 'agent', name: 'invoke_agent support' },
      { kind: 'tool', name: 'lookup_order' },
    ]);
  });
});
