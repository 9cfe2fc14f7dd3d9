import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny local stand-in for the OpenAI chat completions and Anthropic messages APIs, so the examples
 * run without provider keys. With tools it asks for the first tool once; otherwise it echoes the last
 * user message. Streams, usage (with cache and reasoning counts) and tool calls look like the real APIs'.
 */
export interface FakeProvider {
  openaiBaseURL: string;
  anthropicBaseURL: string;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startFakeProvider(): Promise<FakeProvider> {
  let counter = 0;
  const server = createServer(async (req, res) => {
    const body = await readJson(req);
    const id = ++counter;
    if (req.url === '/v1/chat/completions') return openaiChat(res, body, id);
    if (req.url === '/v1/messages') return anthropicMessages(res, body, id);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `The fake has no ${req.url}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    openaiBaseURL: `http://127.0.0.1:${port}/v1`,
    anthropicBaseURL: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readJson(req: IncomingMessage): Promise<Json> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}') as Json;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: Json) => (typeof part.text === 'string' ? part.text : textOf(part.content))).join('');
}

/** The first tool to call, unless the last message already answers a tool call. */
function toolToCall(body: Json, lastIsToolResult: boolean, argumentText: string) {
  const tool = (Array.isArray(body.tools) ? body.tools[0] : undefined) as Json | undefined;
  if (!tool || lastIsToolResult) return undefined;
  const fn = (tool.function ?? tool) as Json;
  const schema = (fn.parameters ?? fn.input_schema ?? {}) as { properties?: Json };
  const argument = Object.keys(schema.properties ?? {})[0] ?? 'input';
  return { name: String(fn.name), input: { [argument]: /\d+/.exec(argumentText)?.[0] ?? argumentText } };
}

function sse(res: ServerResponse, headers: Record<string, string>) {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  return (data: unknown, event?: string) =>
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

function halves(text: string): string[] {
  const middle = Math.ceil(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)].filter(Boolean);
}

function openaiChat(res: ServerResponse, body: Json, id: number) {
  const messages = (body.messages ?? []) as Json[];
  const last = messages.at(-1);
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const tool = toolToCall(body, last?.role === 'tool', textOf(lastUser?.content));
  const text =
    last?.role === 'tool' ? `Here is what I found: ${textOf(last.content)}` : `You said: ${textOf(lastUser?.content)}`;
  const usage = {
    prompt_tokens: 42,
    completion_tokens: 12,
    total_tokens: 54,
    prompt_tokens_details: { cached_tokens: 10 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  const toolCall = tool && {
    id: `call_${id}`,
    type: 'function',
    function: { name: tool.name, arguments: JSON.stringify(tool.input) },
  };
  const base = { id: `chatcmpl-fake${id}`, created: Math.floor(Date.now() / 1000), model: body.model };
  const headers = { 'x-request-id': `req_fake${id}` };
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    const message = {
      role: 'assistant',
      content: toolCall ? null : text,
      ...(toolCall ? { tool_calls: [toolCall] } : {}),
    };
    const choice = { index: 0, message, finish_reason: toolCall ? 'tool_calls' : 'stop' };
    res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [choice], usage }));
    return;
  }
  const send = sse(res, headers);
  const chunk = (delta: Json, finish: string | null = null) =>
    send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
  chunk({ role: 'assistant', content: '' });
  if (toolCall) chunk({ tool_calls: [{ index: 0, ...toolCall }] });
  else for (const part of halves(text)) chunk({ content: part });
  chunk({}, toolCall ? 'tool_calls' : 'stop');
  if ((body.stream_options as Json | undefined)?.include_usage) {
    send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
  }
  send('[DONE]');
  res.end();
}

function anthropicMessages(res: ServerResponse, body: Json, id: number) {
  const messages = (body.messages ?? []) as Json[];
  const last = messages.at(-1);
  const lastIsToolResult =
    Array.isArray(last?.content) && last.content.some((block: Json) => block.type === 'tool_result');
  const tool = toolToCall(body, lastIsToolResult, textOf(last?.content));
  const text = lastIsToolResult
    ? `Here is what I found: ${textOf(last?.content)}`
    : `You said: ${textOf(last?.content)}`;
  const content = tool
    ? [{ type: 'tool_use', id: `toolu_${id}`, name: tool.name, input: tool.input }]
    : [{ type: 'text', text, citations: null }];
  const usage = { input_tokens: 30, cache_read_input_tokens: 20, cache_creation_input_tokens: 5, output_tokens: 12 };
  const message = {
    id: `msg_fake${id}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    stop_reason: tool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
  };
  const headers = { 'request-id': `req_fake${id}` };
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ ...message, content, usage }));
    return;
  }
  const emit = sse(res, headers);
  const send = (type: string, data: Json) => emit({ type, ...data }, type);
  send('message_start', {
    message: { ...message, stop_reason: null, content: [], usage: { ...usage, output_tokens: 1 } },
  });
  if (tool) {
    send('content_block_start', { index: 0, content_block: { ...content[0], input: {} } });
    send('content_block_delta', {
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) },
    });
  } else {
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    for (const part of halves(text))
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: part } });
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: 12 },
  });
  send('message_stop', {});
  res.end();
}
