/**
 * Feeds Promptlog from OpenTelemetry: OpenInference's OpenAI instrumentation traces every OpenAI call, and the standard
 * OTLP exporter sends the spans to Promptlog's receiver. An agent-like run: a chain span around two model calls and
 * the tool the model asked for. Without OPENAI_BASE_URL it talks to a local fake of the OpenAI API.
 *
 *   PROMPTLOG_URL=http://localhost:3000 PROMPTLOG_API_KEY=pl_… pnpm --filter @promptlog/examples exec tsx otel-openinference.ts
 */
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { startFakeProvider } from './lib/fake-provider';
import { printTrace } from './lib/trace-report';

const baseUrl = (process.env.PROMPTLOG_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

// The same as OTEL_EXPORTER_OTLP_ENDPOINT=<promptlog>/api/otel and OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <key>".
const exporter = new OTLPTraceExporter({
  url: `${baseUrl}/api/otel/v1/traces`,
  headers: { Authorization: `Bearer ${process.env.PROMPTLOG_API_KEY ?? ''}` },
});
const provider = new NodeTracerProvider({
  // promptlog.* attributes name the prompt and where the calls come from; on the resource they apply to every span.
  resource: resourceFromAttributes({
    'service.name': 'examples',
    'promptlog.prompt.id': 'examples.otel-openinference',
    'promptlog.prompt.version': 1,
    'promptlog.source.type': 'workflow',
  }),
  spanProcessors: [new BatchSpanProcessor(exporter)],
});
provider.register();
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(provider);
// ES modules are not patched on import; hand the module to the instrumentation instead.
instrumentation.manuallyInstrument(OpenAI);

const fake = process.env.OPENAI_BASE_URL ? undefined : await startFakeProvider();
const openai = new OpenAI({
  baseURL: process.env.OPENAI_BASE_URL ?? fake?.openaiBaseURL,
  apiKey: process.env.OPENAI_API_KEY ?? 'sk-fake',
});
const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';
const tracer = trace.getTracer('examples');
const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_order_status',
      description: 'The shipping status of an order',
      parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
    },
  },
];

const traceId = await tracer.startActiveSpan(
  'answer-ticket',
  { attributes: { 'openinference.span.kind': 'CHAIN', 'input.value': 'Where is my order #1234?' } },
  async (run) => {
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Where is my order #1234?' }];
    const first = await openai.chat.completions.create({ model, messages, tools });
    const call = first.choices[0]?.message.tool_calls?.[0];
    if (call?.type === 'function') {
      const result = await tracer.startActiveSpan(
        call.function.name,
        {
          attributes: {
            'openinference.span.kind': 'TOOL',
            'tool.name': call.function.name,
            'input.value': call.function.arguments,
          },
        },
        async (tool) => {
          const status = JSON.stringify({ status: 'in transit', eta: 'Friday' });
          tool.setAttribute('output.value', status);
          tool.setStatus({ code: SpanStatusCode.OK });
          tool.end();
          return status;
        },
      );
      messages.push(first.choices[0]?.message ?? { role: 'assistant', content: '' }, {
        role: 'tool',
        tool_call_id: call.id,
        content: result,
      });
    }
    const answer = await openai.chat.completions.create({ model, messages, tools });
    console.log(`answer → ${answer.choices[0]?.message.content}`);
    run.setAttribute('output.value', answer.choices[0]?.message.content ?? '');
    run.end();
    return run.spanContext().traceId;
  },
);

// Shutting the provider down flushes the batch processor, so every span is delivered before the script exits.
await provider.shutdown();
await fake?.close();
await printTrace(traceId);
