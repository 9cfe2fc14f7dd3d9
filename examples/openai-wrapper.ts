/**
 * Logs OpenAI chat completions to Promptlog with the SDK's wrapper: a plain call, a streamed call and
 * a tool call with its follow-up. Without OPENAI_BASE_URL it talks to a local fake of the OpenAI API.
 *
 *   PROMPTLOG_URL=http://localhost:3000 PROMPTLOG_API_KEY=pl_… pnpm --filter @promptlog/examples exec tsx openai-wrapper.ts
 */
import { Promptlog, wrapOpenAI } from '@promptlog/sdk';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { startFakeProvider } from './lib/fake-provider';
import { printLogged, reportProblem } from './lib/report';

const promptId = 'examples.openai-wrapper';
const runId = crypto.randomUUID();
const fake = process.env.OPENAI_BASE_URL ? undefined : await startFakeProvider();
const model = process.env.OPENAI_MODEL ?? 'gpt-4o-mini';

// PROMPTLOG_URL and PROMPTLOG_API_KEY are read from the environment.
const promptlog = new Promptlog({ onError: reportProblem });
const openai = wrapOpenAI(
  new OpenAI({
    baseURL: process.env.OPENAI_BASE_URL ?? fake?.openaiBaseURL,
    apiKey: process.env.OPENAI_API_KEY ?? 'sk-fake',
  }),
  { promptlog, promptId, promptVersion: 1, source: { type: 'api', id: 'examples' }, metadata: { run: runId } },
);

// 1. A plain call; withContext adds this call's prompt variables.
const question = 'Where is my order #1234?';
const completion = await promptlog.withContext({ inputs: { question } }, () =>
  openai.chat.completions.create({
    model,
    messages: [
      { role: 'system', content: 'You are a helpful support agent. Answer in one sentence.' },
      { role: 'user', content: question },
    ],
  }),
);
console.log(`plain     → ${completion.choices[0]?.message.content}`);

// 2. A streamed call: logged when the stream ends, with the time to the first token.
//    include_usage makes OpenAI send token counts (and so a cost) for streams.
const stream = await openai.chat.completions.create({
  model,
  messages: [{ role: 'user', content: 'Write a haiku about delivery trucks.' }],
  stream: true,
  stream_options: { include_usage: true },
});
let streamed = '';
for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
console.log(`streamed  → ${streamed}`);

// 3. A tool call: the model asks for the order status, we run the tool and send its result back.
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
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Has order 1234 shipped?' }];
const first = await openai.chat.completions.create({ model, messages, tools });
const toolCall = first.choices[0]?.message.tool_calls?.[0];
if (toolCall?.type === 'function') {
  console.log(`tool call → ${toolCall.function.name}(${toolCall.function.arguments})`);
  messages.push(first.choices[0]?.message ?? { role: 'assistant', content: null });
  messages.push({ role: 'tool', tool_call_id: toolCall.id, content: 'Shipped yesterday, arrives Friday.' });
  const answer = await openai.chat.completions.create({ model, messages, tools });
  console.log(`answer    → ${answer.choices[0]?.message.content}`);
}

// Deliver everything before the script ends (in a server, call this when shutting down).
await promptlog.shutdown();
await printLogged(promptId, runId);
await fake?.close();
