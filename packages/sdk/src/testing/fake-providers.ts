import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the OpenAI and Anthropic APIs that answers like them, for tests that use the
 * real provider SDKs. What it answers is chosen by the requested model:
 * - `error-<status>` (400, 401, 403, 422, 429, 500, 503): that HTTP error, shaped like the provider's;
 * - `hold-…`: the answer waits until `release()` (for running, aborted and timed-out calls);
 * - `stream-fail-…`: a stream that breaks with an error event after its first text;
 * - anything else: a reply. With tools, the model asks for the first tool (unless the last message
 *   is a tool result); otherwise it echoes the last user text, as JSON when JSON output is requested.
 */
export interface FakeProviders {
  url: string;
  /** `baseURL` for `new OpenAI(...)`. */
  openaiBaseURL: string;
  /** `baseURL` for `new Anthropic(...)`. */
  anthropicBaseURL: string;
  requests: { path: string; body: Record<string, unknown> }[];
  /** Calls waiting for `release()`. */
  readonly heldCount: number;
  release(): void;
  close(): Promise<void>;
}

/** Token counts the fake reports, so tests can check the mapping to Promptlog's convention. */
export const FAKE_USAGE = {
  openaiChat: { prompt: 120, cached: 20, completion: 30, reasoning: 10 },
  openaiResponses: { input: 150, cached: 30, cacheWrite: 5, output: 40, reasoning: 12 },
  openaiEmbeddings: { prompt: 12 },
  anthropic: { input: 100, cacheRead: 40, cacheWrite: 10, output: 30, thinking: 12 },
} as const;

export const FAKE_EMBEDDING_DIMENSIONS = 8;

type Json = Record<string, unknown>;

export async function startFakeProviders(): Promise<FakeProviders> {
  const requests: FakeProviders['requests'] = [];
  let waiting: (() => void)[] = [];
  let counter = 0;
  const nextId = () => ++counter;

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    void readJson(req).then(async (body) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      requests.push({ path, body });
      const model = typeof body.model === 'string' ? body.model : 'unknown';
      if (model.startsWith('hold-')) await new Promise<void>((resolve) => waiting.push(resolve));
      if (res.destroyed) return;
      const provider = path === '/v1/messages' ? 'anthropic' : 'openai';
      const errorStatus = /^error-(\d{3})$/.exec(model)?.[1];
      if (errorStatus) return sendError(res, provider, Number(errorStatus));
      const id = nextId();
      if (path === '/v1/chat/completions') return chatCompletion(res, body, model, id);
      if (path === '/v1/responses') return responses(res, body, model, id);
      if (path === '/v1/embeddings') return embeddings(res, body, model);
      if (path === '/v1/messages') return anthropicMessage(res, body, model, id);
      sendJson(res, 404, { error: { message: `No fake for ${path}`, type: 'invalid_request_error' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    requests,
    get heldCount() {
      return waiting.length;
    },
    release() {
      for (const resolve of waiting) resolve();
      waiting = [];
    },
    close() {
      for (const resolve of waiting) resolve();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  } catch {
    return {};
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function startEvents(res: ServerResponse, headers: Record<string, string>) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  return (data: unknown, event?: string) => {
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
}

const ERROR_TYPES: Record<number, { openai: string; anthropic: string; message: string }> = {
  400: {
    openai: 'invalid_request_error',
    anthropic: 'invalid_request_error',
    message: 'Invalid request: max_tokens is too large',
  },
  401: { openai: 'invalid_request_error', anthropic: 'authentication_error', message: 'Incorrect API key provided' },
  403: { openai: 'invalid_request_error', anthropic: 'permission_error', message: 'Your key may not use this model' },
  422: { openai: 'invalid_request_error', anthropic: 'invalid_request_error', message: 'Unprocessable request' },
  429: { openai: 'requests', anthropic: 'rate_limit_error', message: 'Rate limit reached for requests' },
  500: { openai: 'server_error', anthropic: 'api_error', message: 'The server had an error processing your request' },
  503: { openai: 'server_error', anthropic: 'overloaded_error', message: 'The engine is currently overloaded' },
};

function sendError(res: ServerResponse, provider: 'openai' | 'anthropic', status: number) {
  const known = ERROR_TYPES[status] ?? { openai: 'server_error', anthropic: 'api_error', message: `Error ${status}` };
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
  if (provider === 'anthropic') {
    headers['request-id'] = 'req_fake_error';
    return sendJson(res, status, { type: 'error', error: { type: known.anthropic, message: known.message } }, headers);
  }
  headers['x-request-id'] = 'req_fake_error';
  const code = status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : null;
  sendJson(res, status, { error: { message: known.message, type: known.openai, param: null, code } }, headers);
}

interface Reply {
  text: string;
  tool?: { name: string; arguments: Json };
}

/** What the fake model answers: a tool call when tools are offered and not yet answered, else an echo. */
function replyTo(body: Json, lastUserText: string, lastIsToolResult: boolean, wantsJson: boolean): Reply {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const tool = tools[0] as Json | undefined;
  if (tool && !lastIsToolResult) {
    const fn = (tool.function ?? tool) as Json;
    const schema = (fn.parameters ?? fn.input_schema ?? {}) as { properties?: Json };
    const argument = Object.keys(schema.properties ?? {})[0] ?? 'input';
    return { text: '', tool: { name: String(fn.name ?? 'tool'), arguments: { [argument]: lastUserText } } };
  }
  const text = lastIsToolResult ? `Done: ${lastUserText}` : `Echo: ${lastUserText}`;
  return { text: wantsJson ? JSON.stringify({ echo: text }) : text };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const block = part as Json;
      if (typeof block.text === 'string') return block.text;
      if (block.type === 'tool_result') return textOf(block.content);
      return '';
    })
    .join('');
}

function pieces(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 3));
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += size) parts.push(text.slice(index, index + size));
  return parts;
}

function reasons(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

// OpenAI chat completions

function chatUsage(model: string) {
  const usage = FAKE_USAGE.openaiChat;
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.prompt + usage.completion,
    prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasons(model) ? usage.reasoning : 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function chatCompletion(res: ServerResponse, body: Json, model: string, id: number) {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Json[];
  const last = messages.at(-1);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const format = body.response_format as Json | undefined;
  const reply = replyTo(
    body,
    last?.role === 'tool' ? textOf(last.content) : textOf(lastUser?.content),
    last?.role === 'tool',
    format?.type === 'json_schema' || format?.type === 'json_object',
  );
  const completionId = `chatcmpl-fake${id}`;
  const created = 1_760_000_000;
  const toolCall = reply.tool
    ? {
        id: `call_fake${id}`,
        type: 'function',
        function: { name: reply.tool.name, arguments: JSON.stringify(reply.tool.arguments) },
      }
    : undefined;
  const finishReason = toolCall ? 'tool_calls' : 'stop';
  const headers = { 'x-request-id': `req_fake${id}` };
  const failing = model.startsWith('stream-fail');

  if (body.stream !== true) {
    return sendJson(
      res,
      200,
      {
        id: completionId,
        object: 'chat.completion',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: toolCall ? null : reply.text,
              refusal: null,
              annotations: [],
              ...(toolCall ? { tool_calls: [toolCall] } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage: chatUsage(model),
        service_tier: 'default',
      },
      headers,
    );
  }

  const send = startEvents(res, headers);
  const includeUsage = (body.stream_options as Json | undefined)?.include_usage === true;
  const chunk = (delta: Json, finish: string | null = null) =>
    send({
      id: completionId,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
  chunk({ role: 'assistant', content: '', refusal: null });
  if (toolCall) {
    chunk({
      tool_calls: [
        { index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: '' } },
      ],
    });
    for (const part of pieces(toolCall.function.arguments))
      chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] });
  } else {
    const parts = pieces(reply.text);
    for (const [index, part] of parts.entries()) {
      chunk({ content: part });
      if (failing && index === 0) {
        send({ error: { message: 'The server had an error while streaming', type: 'server_error', code: null } });
        return res.end();
      }
    }
  }
  chunk({}, finishReason);
  if (includeUsage) {
    send({ id: completionId, object: 'chat.completion.chunk', created, model, choices: [], usage: chatUsage(model) });
  }
  send('[DONE]');
  res.end();
}

// OpenAI responses

function responses(res: ServerResponse, body: Json, model: string, id: number) {
  const input = body.input;
  const items = (Array.isArray(input) ? input : [{ role: 'user', content: input }]) as Json[];
  const last = items.at(-1);
  const lastIsToolResult = last?.type === 'function_call_output';
  const lastUser = [...items].reverse().find((item) => item.role === 'user');
  const format = (body.text as Json | undefined)?.format as Json | undefined;
  const reply = replyTo(
    body,
    lastIsToolResult ? String(last?.output ?? '') : textOf(lastUser?.content),
    lastIsToolResult,
    format?.type === 'json_schema' || format?.type === 'json_object',
  );
  const reasoning = body.reasoning as Json | undefined;
  const summary = reasoning?.summary ? `Thinking about: ${textOf(lastUser?.content)}` : undefined;
  const usage = FAKE_USAGE.openaiResponses;
  const output: Json[] = [];
  if (summary)
    output.push({ type: 'reasoning', id: `rs_fake${id}`, summary: [{ type: 'summary_text', text: summary }] });
  if (reply.tool) {
    output.push({
      type: 'function_call',
      id: `fc_fake${id}`,
      call_id: `call_fake${id}`,
      name: reply.tool.name,
      arguments: JSON.stringify(reply.tool.arguments),
      status: 'completed',
    });
  } else {
    output.push({
      type: 'message',
      id: `msg_fake${id}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  const response = (status: string, out: Json[], withUsage: boolean) => ({
    id: `resp_fake${id}`,
    object: 'response',
    created_at: 1_760_000_000,
    status,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    model,
    output: out,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: body.tools ?? [],
    usage: withUsage
      ? {
          input_tokens: usage.input,
          input_tokens_details: { cached_tokens: usage.cached, cache_write_tokens: usage.cacheWrite },
          output_tokens: usage.output,
          output_tokens_details: { reasoning_tokens: usage.reasoning },
          total_tokens: usage.input + usage.output,
        }
      : null,
  });
  const headers = { 'x-request-id': `req_fake${id}` };
  if (body.stream !== true) return sendJson(res, 200, response('completed', output, true), headers);

  const emit = startEvents(res, headers);
  let sequence = 0;
  const send = (type: string, data: Json) => emit({ type, sequence_number: sequence++, ...data }, type);
  send('response.created', { response: response('in_progress', [], false) });
  send('response.in_progress', { response: response('in_progress', [], false) });
  for (const [index, item] of output.entries()) {
    send('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress' } });
    if (item.type === 'reasoning' && summary) {
      for (const part of pieces(summary)) {
        send('response.reasoning_summary_text.delta', {
          item_id: item.id,
          output_index: index,
          summary_index: 0,
          delta: part,
        });
      }
      send('response.reasoning_summary_text.done', {
        item_id: item.id,
        output_index: index,
        summary_index: 0,
        text: summary,
      });
    } else if (item.type === 'function_call') {
      for (const part of pieces(String(item.arguments))) {
        send('response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta: part });
      }
      send('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: index,
        arguments: item.arguments,
      });
    } else {
      for (const part of pieces(reply.text)) {
        send('response.output_text.delta', {
          item_id: item.id,
          output_index: index,
          content_index: 0,
          delta: part,
          logprobs: [],
        });
      }
      send('response.output_text.done', {
        item_id: item.id,
        output_index: index,
        content_index: 0,
        text: reply.text,
        logprobs: [],
      });
    }
    send('response.output_item.done', { output_index: index, item });
  }
  send('response.completed', { response: response('completed', output, true) });
  res.end();
}

// OpenAI embeddings

function embeddings(res: ServerResponse, body: Json, model: string) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const data = inputs.map((_, index) => {
    const vector = Array.from({ length: FAKE_EMBEDDING_DIMENSIONS }, (_, d) => (index + 1) / (d + 2));
    const embedding =
      body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = FAKE_USAGE.openaiEmbeddings.prompt;
  sendJson(res, 200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

// Anthropic messages

function anthropicMessage(res: ServerResponse, body: Json, model: string, id: number) {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Json[];
  const last = messages.at(-1);
  const lastIsToolResult =
    last?.role === 'user' &&
    Array.isArray(last.content) &&
    last.content.some((b) => (b as Json).type === 'tool_result');
  const format = (body.output_config as Json | undefined)?.format as Json | undefined;
  const reply = replyTo(body, textOf(last?.content), lastIsToolResult, format?.type === 'json_schema');
  const thinkingType = (body.thinking as Json | undefined)?.type;
  const thinks = thinkingType === 'enabled' || thinkingType === 'adaptive';
  const thinking = thinks ? `The user wrote: ${textOf(last?.content)}` : undefined;
  const usage = FAKE_USAGE.anthropic;
  const content: Json[] = [];
  if (thinking) content.push({ type: 'thinking', thinking, signature: 'c2lnbmF0dXJl' });
  if (reply.tool)
    content.push({ type: 'tool_use', id: `toolu_fake${id}`, name: reply.tool.name, input: reply.tool.arguments });
  else content.push({ type: 'text', text: reply.text, citations: null });
  const stopReason = reply.tool ? 'tool_use' : 'end_turn';
  const usageBody = (output: number) => ({
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    output_tokens_details: thinks ? { thinking_tokens: usage.thinking } : null,
    server_tool_use: null,
    service_tier: 'standard',
  });
  const message = (blocks: Json[], stop: string | null, output: number) => ({
    id: `msg_fake${id}`,
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: stop,
    stop_sequence: null,
    usage: usageBody(output),
  });
  const headers = { 'request-id': `req_fake${id}` };
  if (body.stream !== true) return sendJson(res, 200, message(content, stopReason, usage.output), headers);

  const emit = startEvents(res, headers);
  const send = (type: string, data: Json) => emit({ type, ...data }, type);
  send('message_start', { message: message([], null, 1) });
  emit({ type: 'ping' }, 'ping');
  for (const [index, block] of content.entries()) {
    if (block.type === 'thinking') {
      send('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const part of pieces(String(block.thinking))) {
        send('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: part } });
      }
      send('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else if (block.type === 'tool_use') {
      send('content_block_start', { index, content_block: { ...block, input: {} } });
      for (const part of pieces(JSON.stringify(block.input))) {
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    } else {
      send('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
      for (const [partIndex, part] of pieces(String(block.text)).entries()) {
        send('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
        if (model.startsWith('stream-fail') && partIndex === 0) {
          emit({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error');
          return res.end();
        }
      }
    }
    send('content_block_stop', { index });
  }
  send('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { ...usageBody(usage.output), service_tier: undefined, cache_creation: undefined },
  });
  send('message_stop', {});
  res.end();
}
