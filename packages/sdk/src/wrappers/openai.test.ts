import OpenAI, { APIPromise } from 'openai';
import { Stream } from 'openai/streaming';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_EMBEDDING_DIMENSIONS, FAKE_USAGE } from '../testing/fake-providers.js';
import { type SdkHarness, startSdkHarness, until } from '../testing/sdk-harness.js';
import type { WrapOptions } from './call-recorder.js';
import { wrapOpenAI } from './openai.js';

let h: SdkHarness;

beforeAll(async () => {
  h = await startSdkHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  // Everything the wrapper sent passed the server's contract (the fake validates with it).
  expect(h.server.rejected).toEqual([]);
});

function openai(options: Partial<ClientOptions> = {}) {
  return new OpenAI({ apiKey: 'sk-test', baseURL: h.providers.openaiBaseURL, maxRetries: 0, ...options });
}
type ClientOptions = ConstructorParameters<typeof OpenAI>[0] & object;

function wrapped(options: Partial<WrapOptions> = {}, client = openai()) {
  return wrapOpenAI(client, { promptlog: h.promptlog, ...options });
}

async function onlyRecord(promptId: string): Promise<Record<string, unknown>> {
  const records = await h.recordsOf(promptId);
  expect(records).toHaveLength(1);
  return records[0] ?? {};
}

const chatUsage = {
  inputTokens: FAKE_USAGE.openaiChat.prompt,
  outputTokens: FAKE_USAGE.openaiChat.completion,
  cacheReadTokens: FAKE_USAGE.openaiChat.cached,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
};

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('wrapOpenAI: chat.completions.create', () => {
  it('returns the provider APIPromise and response object, and logs one execution with request, output, usage and timing', async () => {
    const client = wrapped({
      promptId: 'chat-plain',
      promptVersion: 3,
      source: { type: 'workflow', id: 'wf-1' },
      inputs: { question: 'Hello' },
      tags: ['beta'],
      metadata: { tenant: 'acme' },
      user: { id: 'u-1' },
    });
    const promise = client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0.2,
    });
    expect(promise).toBeInstanceOf(APIPromise);
    const { data, request_id } = await promise.withResponse();
    expect(await promise).toBe(data);
    expect(data.choices[0]?.message.content).toBe('Echo: Hello');
    expect(request_id).toMatch(/^req_fake/);

    const record = await onlyRecord('chat-plain');
    expect(record).toMatchObject({
      promptId: 'chat-plain',
      promptVersion: 3,
      status: 'success',
      source: { type: 'workflow', id: 'wf-1' },
      provider: 'openai',
      model: 'gpt-4o-mini',
      inputs: { question: 'Hello' },
      request: {
        systemPrompt: 'Be brief.',
        messages: [{ role: 'user', content: 'Hello' }],
        parameters: { model: 'gpt-4o-mini', temperature: 0.2 },
      },
      output: 'Echo: Hello',
      usage: chatUsage,
      requestId: data.id,
      tags: ['beta'],
      metadata: { tenant: 'acme' },
      user: { id: 'u-1' },
    });
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(Date.parse(String(record.endedAt)) - Date.parse(String(record.startedAt))).toBe(record.latencyMs);
    expect(record).not.toHaveProperty('timeToFirstTokenMs');
  });

  it('names the prompt after the method when no promptId is given, and records the source as api', async () => {
    await wrapped().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    const records = await h.recordsOf('openai.chat.completions');
    expect(records.at(-1)).toMatchObject({ source: { type: 'api' }, model: 'gpt-4o-mini' });
  });

  it('records the tool calls the model asked for, with their round in the conversation', async () => {
    const client = wrapped({ promptId: 'chat-tools' });
    const first = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Paris' }],
      tools: [weatherTool],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Paris' },
        { role: 'assistant', content: null, tool_calls: first.choices[0]?.message.tool_calls },
        { role: 'tool', tool_call_id: call?.id ?? '', content: 'Sunny' },
        { role: 'user', content: 'Berlin' },
      ],
      tools: [weatherTool],
    });
    const [firstRecord, secondRecord] = await h.recordsOf('chat-tools');
    expect(firstRecord?.toolCalls).toEqual([{ round: 1, name: 'get_weather', arguments: { city: 'Paris' } }]);
    expect(firstRecord).not.toHaveProperty('output');
    expect(secondRecord?.toolCalls).toEqual([{ round: 2, name: 'get_weather', arguments: { city: 'Berlin' } }]);
  });

  it('records structured output as JSON', async () => {
    await wrapped({ promptId: 'chat-json' }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      response_format: { type: 'json_object' },
    });
    expect((await onlyRecord('chat-json')).output).toEqual({ echo: 'Echo: Hi' });
  });

  it('streams the same chunks as the unwrapped client and logs the assembled answer with usage and time to first token', async () => {
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Stream me' }],
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const withoutId = ({ id: _id, ...chunk }: { id: string }) => chunk;
    const expected = [];
    for await (const chunk of await openai().chat.completions.create(params)) expected.push(withoutId(chunk));

    const stream = await wrapped({ promptId: 'chat-stream' }).chat.completions.create(params);
    expect(stream).toBeInstanceOf(Stream);
    const received = [];
    for await (const chunk of stream) received.push(withoutId(chunk));
    expect(received).toEqual(expected);

    const record = await onlyRecord('chat-stream');
    expect(record).toMatchObject({
      status: 'success',
      output: 'Echo: Stream me',
      usage: chatUsage,
      model: 'gpt-4o-mini',
    });
    expect(record.requestId).toMatch(/^chatcmpl-/);
    expect(record.timeToFirstTokenMs).toEqual(expect.any(Number));
    expect(Number(record.timeToFirstTokenMs)).toBeLessThanOrEqual(Number(record.latencyMs));
  });

  it('keeps the stream helpers working: toReadableStream() and tee() read through the same observed stream', async () => {
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Readable' }],
      tools: [weatherTool],
      stream: true as const,
    };
    const client = wrapped({ promptId: 'chat-readable' });
    const readable = (await client.chat.completions.create(params)).toReadableStream();
    const lines = (await new Response(readable).text()).trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);

    const [left, right] = (await client.chat.completions.create(params)).tee();
    let leftCount = 0;
    for await (const _ of left) leftCount++;
    let rightCount = 0;
    for await (const _ of right) rightCount++;
    expect(leftCount).toBe(rightCount);

    const records = await h.recordsOf('chat-readable');
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({
        status: 'success',
        toolCalls: [{ round: 1, name: 'get_weather', arguments: { city: 'Readable' } }],
      });
    }
  });

  it('logs a stream the application stops reading early as cancelled, with what it read', async () => {
    const stream = await wrapped({ promptId: 'chat-break' }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'A long answer' }],
      stream: true,
    });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    const record = await onlyRecord('chat-break');
    expect(record).toMatchObject({ status: 'cancelled', error: { type: 'cancelled' } });
    expect('Echo: A long answer'.startsWith(String(record.output))).toBe(true);
  });

  it('logs a stream that breaks with an error event as an error, and the application gets the same error', async () => {
    const stream = await wrapped({ promptId: 'chat-stream-fail' }).chat.completions.create({
      model: 'stream-fail-gpt',
      messages: [{ role: 'user', content: 'Breaking' }],
      stream: true,
    });
    const read = async () => {
      for await (const _ of stream);
    };
    await expect(read()).rejects.toThrow(/error while streaming/);
    const record = await onlyRecord('chat-stream-fail');
    expect(record).toMatchObject({
      status: 'error',
      error: { type: 'provider', code: 'server_error', message: expect.stringContaining('error while streaming') },
    });
    expect(record.output).toEqual(expect.stringMatching(/^Echo/));
  });
});

describe('wrapOpenAI: failures', () => {
  it.each([
    ['error-400', OpenAI.BadRequestError, 'validation', 'invalid_request_error'],
    ['error-401', OpenAI.AuthenticationError, 'authentication', 'invalid_api_key'],
    ['error-403', OpenAI.PermissionDeniedError, 'authentication', 'invalid_request_error'],
    ['error-422', OpenAI.UnprocessableEntityError, 'validation', 'invalid_request_error'],
    ['error-429', OpenAI.RateLimitError, 'rate_limit', 'rate_limit_exceeded'],
    ['error-500', OpenAI.InternalServerError, 'provider', 'server_error'],
  ])(
    '%s: the application gets the same error as without the wrapper, and it is logged typed',
    async (model, ErrorClass, type, code) => {
      const params = { model, messages: [{ role: 'user' as const, content: 'x' }] };
      const unwrappedError = await openai()
        .chat.completions.create(params)
        .catch((error: unknown) => error);
      const error = await wrapped({ promptId: `chat-${model}` })
        .chat.completions.create(params)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({
        status: (unwrappedError as { status: number }).status,
        message: (unwrappedError as Error).message,
      });
      const record = await onlyRecord(`chat-${model}`);
      expect(record).toMatchObject({ status: 'error', model, error: { type, code } });
      expect(String((record.error as { message: string }).message)).toBe((unwrappedError as Error).message);
      expect(record).not.toHaveProperty('usage');
    },
  );

  it('logs an aborted call as cancelled; the application gets the APIUserAbortError', async () => {
    const controller = new AbortController();
    const promise = wrapped({ promptId: 'chat-abort' }).chat.completions.create(
      { model: 'hold-gpt', messages: [{ role: 'user', content: 'x' }] },
      { signal: controller.signal },
    );
    await until(() => h.providers.heldCount > 0, 'the call to reach the provider');
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    h.providers.release();
    expect(await onlyRecord('chat-abort')).toMatchObject({ status: 'cancelled', error: { type: 'cancelled' } });
  });

  it('logs a timed-out call with the timeout type', async () => {
    const promise = wrapped({ promptId: 'chat-timeout' }, openai({ timeout: 50 })).chat.completions.create({
      model: 'hold-gpt',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(promise).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    h.providers.release();
    expect(await onlyRecord('chat-timeout')).toMatchObject({ status: 'error', error: { type: 'timeout' } });
  });
});

describe('wrapOpenAI: responses.create', () => {
  const responsesUsage = {
    inputTokens: FAKE_USAGE.openaiResponses.input,
    outputTokens: FAKE_USAGE.openaiResponses.output,
    cacheReadTokens: FAKE_USAGE.openaiResponses.cached,
    cacheWriteTokens: FAKE_USAGE.openaiResponses.cacheWrite,
    reasoningTokens: FAKE_USAGE.openaiResponses.reasoning,
  };

  it('logs the instructions, input, output text, reasoning summary and inclusive usage', async () => {
    const response = await wrapped({ promptId: 'responses-plain' }).responses.create({
      model: 'o4-mini',
      instructions: 'Answer in French.',
      input: 'Hello',
      reasoning: { effort: 'low', summary: 'auto' },
    });
    expect(response.output_text).toBe('Echo: Hello');
    expect(await onlyRecord('responses-plain')).toMatchObject({
      status: 'success',
      provider: 'openai',
      model: 'o4-mini',
      requestId: response.id,
      request: {
        systemPrompt: 'Answer in French.',
        messages: [{ role: 'user', content: 'Hello' }],
        parameters: { model: 'o4-mini', reasoning: { effort: 'low', summary: 'auto' } },
      },
      output: 'Echo: Hello',
      thinking: [{ type: 'reasoning_summary', text: 'Thinking about: Hello' }],
      usage: responsesUsage,
    });
  });

  it('logs a streamed response from its events, with the time to first token', async () => {
    const stream = await wrapped({ promptId: 'responses-stream' }).responses.create({
      model: 'o4-mini',
      input: [{ role: 'user', content: 'Stream' }],
      reasoning: { summary: 'auto' },
      stream: true,
    });
    const types = new Set<string>();
    for await (const event of stream) types.add(event.type);
    expect(types).toContain('response.completed');
    const record = await onlyRecord('responses-stream');
    expect(record).toMatchObject({
      status: 'success',
      output: 'Echo: Stream',
      thinking: [{ type: 'reasoning_summary', text: 'Thinking about: Stream' }],
      usage: responsesUsage,
    });
    expect(record.timeToFirstTokenMs).toEqual(expect.any(Number));
  });

  it('records function calls from the output items', async () => {
    await wrapped({ promptId: 'responses-tools' }).responses.create({
      model: 'gpt-4.1',
      input: 'Lyon',
      tools: [{ type: 'function', name: 'get_weather', parameters: weatherTool.function.parameters, strict: true }],
    });
    expect((await onlyRecord('responses-tools')).toolCalls).toEqual([
      { round: 1, name: 'get_weather', arguments: { city: 'Lyon' } },
    ]);
  });
});

describe('wrapOpenAI: embeddings.create', () => {
  it('returns the decoded embeddings and logs their count and size, not the vectors', async () => {
    const result = await wrapped({ promptId: 'embeddings' }).embeddings.create({
      model: 'text-embedding-3-small',
      input: ['first', 'second'],
    });
    expect(result.data[0]?.embedding).toHaveLength(FAKE_EMBEDDING_DIMENSIONS);
    expect(await onlyRecord('embeddings')).toMatchObject({
      status: 'success',
      model: 'text-embedding-3-small',
      request: { messages: ['first', 'second'], parameters: { model: 'text-embedding-3-small' } },
      output: { embeddings: 2, dimensions: FAKE_EMBEDDING_DIMENSIONS },
      usage: { inputTokens: FAKE_USAGE.openaiEmbeddings.prompt, outputTokens: 0 },
    });
  });
});

describe('wrapOpenAI: the client and the context', () => {
  it('leaves everything else as it was: other methods, properties, instanceof, withOptions', async () => {
    const raw = openai();
    const client = wrapped({ promptId: 'untouched' }, raw);
    expect(client).toBeInstanceOf(OpenAI);
    expect(client.baseURL).toBe(raw.baseURL);
    expect(client.chat.completions).toBe(client.chat.completions);
    expect(client.models.list).toBe(client.models.list);
    const narrower = client.withOptions({ timeout: 1234 });
    expect(narrower.timeout).toBe(1234);
  });

  it('records a call once even when a wrapped client is wrapped again', async () => {
    const twice = wrapOpenAI(wrapped({ promptId: 'wrapped-once' }), {
      promptlog: h.promptlog,
      promptId: 'wrapped-twice',
    });
    await twice.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(await h.recordsOf('wrapped-once')).toHaveLength(0);
    expect(await h.recordsOf('wrapped-twice')).toHaveLength(1);
  });

  it('applies withContext to the calls inside it, over the wrapper options, through awaits', async () => {
    const client = wrapped({ promptId: 'ctx-default', metadata: { app: 'web' }, tags: ['wrapped'] });
    expect(h.promptlog.contextMode).toBe('async');
    await h.promptlog.withContext(
      { promptId: 'ctx-override', promptVersion: 7, inputs: { n: 1 }, metadata: { step: 'a' } },
      () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    );
    await h.promptlog.withContext({ promptId: 'ctx-async', tags: ['inner'] }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(await onlyRecord('ctx-override')).toMatchObject({
      promptVersion: 7,
      inputs: { n: 1 },
      metadata: { app: 'web', step: 'a' },
      tags: ['wrapped'],
    });
    expect(await onlyRecord('ctx-async')).toMatchObject({ tags: ['wrapped', 'inner'] });
    expect(await onlyRecord('ctx-default')).toMatchObject({ metadata: { app: 'web' } });
  });

  it('adds nothing the application waits for: calls and streams finish while Promptlog is not answering', async () => {
    const promptlog = h.newPromptlog({ flushAt: 1 });
    const client = wrapOpenAI(openai(), { promptlog, promptId: 'not-awaited' });
    h.server.hold();
    const before = h.server.requests.length;
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Echo: x');
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'y' }],
      stream: true,
    });
    let chunks = 0;
    for await (const _ of stream) chunks++;
    expect(chunks).toBeGreaterThan(0);
    await until(() => h.server.requests.length > before, 'the first batch to reach Promptlog');
    expect(h.server.requests.at(-1)?.status).toBe(0);

    h.server.release();
    await promptlog.flush();
    const stored = [...h.server.stored.values()].filter((record) => record.promptId === 'not-awaited');
    expect(stored.map((record) => record.output)).toEqual(['Echo: x', 'Echo: y']);
  });
});

describe('wrapOpenAI: logPending', () => {
  it('logs a long call as pending when it starts and completes it with PATCH when it ends', async () => {
    const promptlog = h.newPromptlog({ flushAt: 1 });
    const client = wrapOpenAI(openai(), { promptlog, promptId: 'long-call', logPending: true });
    const promise = client.chat.completions.create({
      model: 'hold-gpt-4o-mini',
      messages: [{ role: 'user', content: 'Slow' }],
    });
    const pending = () => [...h.server.stored.values()].find((record) => record.promptId === 'long-call');
    await h.server.waitFor(() => pending()?.status === 'pending', 'the pending record');
    expect(pending()).toMatchObject({
      status: 'pending',
      model: 'hold-gpt-4o-mini',
      request: { messages: [{ content: 'Slow' }] },
    });
    expect(pending()).not.toHaveProperty('output');

    await until(() => h.providers.heldCount > 0, 'the call to reach the provider');
    h.providers.release();
    await promise;
    await promptlog.flush();
    const id = String(pending()?.id);
    expect(pending()).toMatchObject({ status: 'success', completed: true, output: 'Echo: Slow', usage: chatUsage });
    const patches = h.server.requests.filter((request) => request.method === 'PATCH' && request.ids[0] === id);
    expect(patches).toHaveLength(1);
  });

  it('folds the completion into the pending record when that is still queued: one request, no PATCH', async () => {
    const promptlog = h.newPromptlog();
    const client = wrapOpenAI(openai(), { promptlog, promptId: 'quick-pending', logPending: true });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Quick' }] });
    const before = h.server.requests.length;
    await promptlog.flush();
    const sent = h.server.requests.slice(before);
    expect(sent.map((request) => request.method)).toEqual(['POST']);
    const record = [...h.server.stored.values()].find((r) => r.promptId === 'quick-pending');
    expect(record).toMatchObject({ status: 'success', output: 'Echo: Quick', usage: chatUsage });
    expect(record?.latencyMs).toEqual(expect.any(Number));
  });
});
