/**
 * Logs Anthropic messages to Promptlog with the SDK's wrapper: a plain call, a streamed call with the
 * messages.stream() helper and a tool use with its follow-up. Without ANTHROPIC_BASE_URL it talks to a
 * local fake of the Anthropic API.
 *
 *   PROMPTLOG_URL=http://localhost:3000 PROMPTLOG_API_KEY=pl_… pnpm --filter @promptlog/examples exec tsx anthropic-wrapper.ts
 */
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { Promptlog, wrapAnthropic } from '@promptlog/sdk';
import { startFakeProvider } from './lib/fake-provider';
import { printLogged, reportProblem } from './lib/report';

const promptId = 'examples.anthropic-wrapper';
const runId = crypto.randomUUID();
const fake = process.env.ANTHROPIC_BASE_URL ? undefined : await startFakeProvider();
const model = process.env.ANTHROPIC_MODEL ?? 'claude-haiku-4-5';

// PROMPTLOG_URL and PROMPTLOG_API_KEY are read from the environment.
const promptlog = new Promptlog({ onError: reportProblem });
const anthropic = wrapAnthropic(
  new Anthropic({
    baseURL: process.env.ANTHROPIC_BASE_URL ?? fake?.anthropicBaseURL,
    apiKey: process.env.ANTHROPIC_API_KEY ?? 'sk-ant-fake',
  }),
  { promptlog, promptId, promptVersion: 1, source: { type: 'api', id: 'examples' }, metadata: { run: runId } },
);

// 1. A plain call; withContext adds this call's prompt variables.
const question = 'Where is my order #1234?';
const message = await promptlog.withContext({ inputs: { question } }, () =>
  anthropic.messages.create({
    model,
    max_tokens: 300,
    system: 'You are a helpful support agent. Answer in one sentence.',
    messages: [{ role: 'user', content: question }],
  }),
);
console.log(`plain     → ${message.content.find((block) => block.type === 'text')?.text}`);

// 2. The messages.stream() helper: events and finalText() work as usual; the call is logged when it ends.
const stream = anthropic.messages.stream({
  model,
  max_tokens: 300,
  messages: [{ role: 'user', content: 'Write a haiku about delivery trucks.' }],
});
console.log(`streamed  → ${await stream.finalText()}`);

// 3. A tool use: Claude asks for the order status, we run the tool and send its result back.
const tools: Tool[] = [
  {
    name: 'get_order_status',
    description: 'The shipping status of an order',
    input_schema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  },
];
const messages: MessageParam[] = [{ role: 'user', content: 'Has order 1234 shipped?' }];
const first = await anthropic.messages.create({ model, max_tokens: 300, messages, tools });
const toolUse = first.content.find((block) => block.type === 'tool_use');
if (toolUse) {
  console.log(`tool use  → ${toolUse.name}(${JSON.stringify(toolUse.input)})`);
  messages.push({ role: 'assistant', content: first.content });
  messages.push({
    role: 'user',
    content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Shipped yesterday, arrives Friday.' }],
  });
  const answer = await anthropic.messages.create({ model, max_tokens: 300, messages, tools });
  console.log(`answer    → ${answer.content.find((block) => block.type === 'text')?.text}`);
}

// Deliver everything before the script ends (in a server, call this when shutting down).
await promptlog.shutdown();
await printLogged(promptId, runId);
await fake?.close();
