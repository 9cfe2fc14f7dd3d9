/**
 * Feeds Promptlog from the Vercel AI SDK: `experimental_telemetry` makes every generateText/streamText call emit
 * OpenTelemetry spans, and the OTLP exporter sends them to Promptlog. `promptlog.*` keys in the telemetry metadata
 * name the prompt, its version and its variables. Without OPENAI_BASE_URL it talks to a local fake of the OpenAI API.
 *
 *   PROMPTLOG_URL=http://localhost:3000 PROMPTLOG_API_KEY=pl_… pnpm --filter @promptlog/examples exec tsx ai-sdk-telemetry.ts
 */
import { createOpenAI } from '@ai-sdk/openai';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { startFakeProvider } from './lib/fake-provider';
import { printTrace } from './lib/trace-report';

const baseUrl = (process.env.PROMPTLOG_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'examples' }),
  spanProcessors: [
    new BatchSpanProcessor(
      new OTLPTraceExporter({
        url: `${baseUrl}/api/otel/v1/traces`,
        headers: { Authorization: `Bearer ${process.env.PROMPTLOG_API_KEY ?? ''}` },
      }),
    ),
  ],
});
// The AI SDK traces through the global tracer provider unless `experimental_telemetry.tracer` names another.
provider.register();

const fake = process.env.OPENAI_BASE_URL ? undefined : await startFakeProvider();
const openai = createOpenAI({
  baseURL: process.env.OPENAI_BASE_URL ?? fake?.openaiBaseURL,
  apiKey: process.env.OPENAI_API_KEY ?? 'sk-fake',
});
const model = openai.chat(process.env.OPENAI_MODEL ?? 'gpt-4o-mini');

// An agent span around the run (OpenTelemetry's GenAI convention), so both calls land in one trace.
const traceId = await trace
  .getTracer('examples')
  .startActiveSpan(
    'invoke_agent support',
    { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } },
    async (agent) => {
      const question = 'Where is my order #1234?';
      const result = await generateText({
        model,
        system: 'You are a helpful support agent. Answer in one sentence.',
        prompt: question,
        tools: {
          get_order_status: tool({
            description: 'The shipping status of an order',
            inputSchema: z.object({ orderId: z.string() }),
            execute: async ({ orderId }) => ({ orderId, status: 'in transit', eta: 'Friday' }),
          }),
        },
        stopWhen: stepCountIs(3),
        experimental_telemetry: {
          isEnabled: true,
          functionId: 'answer-ticket',
          // Reach Promptlog as ai.telemetry.metadata.promptlog.*; values must be strings, numbers or booleans.
          metadata: {
            'promptlog.prompt.id': 'examples.ai-sdk',
            'promptlog.prompt.version': 2,
            'promptlog.inputs': JSON.stringify({ question }),
            'promptlog.source.type': 'chat',
            tenant: 'acme',
          },
        },
      });
      console.log(`generateText → ${result.text}`);

      const stream = streamText({
        model,
        prompt: 'Write a haiku about delivery trucks.',
        experimental_telemetry: { isEnabled: true, metadata: { 'promptlog.prompt.id': 'examples.ai-sdk-haiku' } },
      });
      let haiku = '';
      for await (const chunk of stream.textStream) haiku += chunk;
      console.log(`streamText   → ${haiku}`);
      agent.end();
      return agent.spanContext().traceId;
    },
  );

// Shutting the provider down delivers every span before the script exits.
await provider.shutdown();
await fake?.close();
await printTrace(traceId);
