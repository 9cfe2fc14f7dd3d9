import Anthropic, { APIPromise } from '@anthropic-ai/sdk';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { Stream } from '@anthropic-ai/sdk/streaming';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_USAGE } from '../testing/fake-providers.js';
import { type SdkHarness, startSdkHarness, until } from '../testing/sdk-harness.js';
import { wrapAnthropic } from './anthropic.js';
import type { WrapOptions } from './call-recorder.js';

let h: SdkHarness;

beforeAll(async () => {
  h = await startSdkHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  expect(h.server.rejected).toEqual([]);
  expect(h.errors).toEqual([]);
});

function anthropic() {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.providers.anthropicBaseURL, maxRetries: 0 });
}

function wrapped(options: Partial<WrapOptions> = {}, client = anthropic()) {
  return wrapAnthropic(client, { promptlog: h.promptlog, ...options });
}

async function onlyRecord(promptId: string): Promise<Record<string, unknown>> {
  const records = await h.recordsOf(promptId);
  expect(records).toHaveLength(1);
  return records[0] ?? {};
}

/** Anthropic's input_tokens excludes the cache; Promptlog's inputTokens includes it. */
const inclusiveUsage = {
  inputTokens: FAKE_USAGE.anthropic.input + FAKE_USAGE.anthropic.cacheRead + FAKE_USAGE.anthropic.cacheWrite,
  outputTokens: FAKE_USAGE.anthropic.output,
  cacheReadTokens: FAKE_USAGE.anthropic.cacheRead,
  cacheWriteTokens: FAKE_USAGE.anthropic.cacheWrite,
  reasoningTokens: FAKE_USAGE.anthropic.thinking,
};

const weatherTool = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

const thinkingParams = {
  model: 'claude-sonnet-4-5',
  max_tokens: 2048,
  system: 'Be brief.',
  thinking: { type: 'enabled' as const, budget_tokens: 1024 },
  messages: [{ role: 'user' as const, content: 'Hello' }],
};

describe('wrapAnthropic: messages.create', () => {
  it('returns the provider APIPromise and message, and logs system prompt, thinking, output and inclusive usage', async () => {
    const promise = wrapped({ promptId: 'claude-plain', promptVersion: 2, inputs: { name: 'Ada' } }).messages.create(
      thinkingParams,
    );
    expect(promise).toBeInstanceOf(APIPromise);
    const { data, request_id } = await promise.withResponse();
    expect(await promise).toBe(data);
    expect(request_id).toMatch(/^req_fake/);
    expect(data.content.map((block) => block.type)).toEqual(['thinking', 'text']);

    expect(await onlyRecord('claude-plain')).toMatchObject({
      status: 'success',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      promptVersion: 2,
      inputs: { name: 'Ada' },
      requestId: data.id,
      request: {
        systemPrompt: 'Be brief.',
        messages: [{ role: 'user', content: 'Hello' }],
        parameters: {
          model: 'claude-sonnet-4-5',
          max_tokens: 2048,
          thinking: { type: 'enabled', budget_tokens: 1024 },
        },
      },
      output: 'Echo: Hello',
      thinking: [{ type: 'thinking', thinking: 'The user wrote: Hello' }],
      usage: inclusiveUsage,
    });
  });

  it('reads a system prompt given as text blocks, and names the prompt anthropic.messages by default', async () => {
    await wrapped().messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: [
        { type: 'text', text: 'You are kind.' },
        { type: 'text', text: 'Answer briefly.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    const record = (await h.recordsOf('anthropic.messages')).at(-1);
    expect(record).toMatchObject({ request: { systemPrompt: 'You are kind.\nAnswer briefly.' }, output: 'Echo: Hi' });
    expect(record?.usage).toMatchObject({ reasoningTokens: 0 });
  });

  it('records tool use with its round in the conversation', async () => {
    const client = wrapped({ promptId: 'claude-tools' });
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Oslo' }],
    });
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Oslo' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse?.id ?? '', content: 'Snow' }] },
        { role: 'user', content: 'Bergen' },
      ],
    });
    const [firstRecord, secondRecord] = await h.recordsOf('claude-tools');
    expect(firstRecord?.toolCalls).toEqual([{ round: 1, name: 'get_weather', arguments: { city: 'Oslo' } }]);
    expect(secondRecord?.toolCalls).toEqual([{ round: 2, name: 'get_weather', arguments: { city: 'Bergen' } }]);
  });

  it('streams the same events as the unwrapped client and logs the message they build', async () => {
    const params = { ...thinkingParams, stream: true as const };
    const expected = [];
    for await (const event of await anthropic().messages.create(params)) expected.push(event.type);

    const stream = await wrapped({ promptId: 'claude-stream' }).messages.create(params);
    expect(stream).toBeInstanceOf(Stream);
    const received = [];
    for await (const event of stream) received.push(event.type);
    expect(received).toEqual(expected);

    const record = await onlyRecord('claude-stream');
    expect(record).toMatchObject({
      status: 'success',
      output: 'Echo: Hello',
      thinking: [{ type: 'thinking', thinking: 'The user wrote: Hello' }],
      usage: inclusiveUsage,
    });
    expect(record.requestId).toMatch(/^msg_fake/);
    expect(record.timeToFirstTokenMs).toEqual(expect.any(Number));
  });

  it('rebuilds streamed tool input from its JSON deltas, also through toReadableStream()', async () => {
    const stream = await wrapped({ promptId: 'claude-stream-tools' }).messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Rome' }],
      stream: true,
    });
    const text = await new Response(stream.toReadableStream()).text();
    expect(text).toContain('input_json_delta');
    expect((await onlyRecord('claude-stream-tools')).toolCalls).toEqual([
      { round: 1, name: 'get_weather', arguments: { city: 'Rome' } },
    ]);
  });

  it('logs a stream that breaks with an error event as a provider error, which the application also gets', async () => {
    const stream = await wrapped({ promptId: 'claude-stream-fail' }).messages.create({
      model: 'stream-fail-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Breaking' }],
      stream: true,
    });
    const read = async () => {
      for await (const _ of stream);
    };
    await expect(read()).rejects.toBeInstanceOf(Anthropic.APIError);
    const record = await onlyRecord('claude-stream-fail');
    expect(record).toMatchObject({
      status: 'error',
      error: { type: 'provider', code: 'overloaded_error', message: 'Overloaded' },
    });
    expect(record.output).toEqual(expect.stringMatching(/^Echo/));
  });

  it.each([
    ['error-400', Anthropic.BadRequestError, 'validation', 'invalid_request_error'],
    ['error-401', Anthropic.AuthenticationError, 'authentication', 'authentication_error'],
    ['error-429', Anthropic.RateLimitError, 'rate_limit', 'rate_limit_error'],
    ['error-500', Anthropic.InternalServerError, 'provider', 'api_error'],
  ])('%s: the application gets the provider error and it is logged typed', async (model, ErrorClass, type, code) => {
    const params = { model, max_tokens: 10, messages: [{ role: 'user' as const, content: 'x' }] };
    const unwrappedError = await anthropic()
      .messages.create(params)
      .catch((error: unknown) => error);
    const error = await wrapped({ promptId: `claude-${model}` })
      .messages.create(params)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as Error).message).toBe((unwrappedError as Error).message);
    expect(await onlyRecord(`claude-${model}`)).toMatchObject({
      status: 'error',
      model,
      error: { type, code, message: (unwrappedError as { apiMessage: string }).apiMessage },
    });
  });
});

describe('wrapAnthropic: messages.stream', () => {
  it('returns the MessageStream itself: events, finalMessage() and finalText() work, and the call is logged once', async () => {
    const stream = wrapped({ promptId: 'claude-helper' }).messages.stream(thinkingParams);
    expect(stream).toBeInstanceOf(MessageStream);
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe('Echo: Hello');
    expect(await stream.finalText()).toBe('Echo: Hello');

    const record = await onlyRecord('claude-helper');
    expect(record).toMatchObject({
      status: 'success',
      requestId: message.id,
      output: 'Echo: Hello',
      thinking: [{ type: 'thinking', thinking: 'The user wrote: Hello' }],
      usage: inclusiveUsage,
      request: { systemPrompt: 'Be brief.' },
    });
    expect(record.timeToFirstTokenMs).toEqual(expect.any(Number));
  });

  it('records the messages as sent, even when the application adds to its array before the stream ends', async () => {
    const messages: MessageParam[] = [{ role: 'user', content: 'First' }];
    const stream = wrapped({ promptId: 'claude-snapshot' }).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages,
    });
    stream.on('connect', () => messages.push({ role: 'assistant', content: 'added while streaming' }));
    await stream.finalMessage();
    expect(messages).toHaveLength(2);
    expect((await onlyRecord('claude-snapshot')).request).toMatchObject({
      messages: [{ role: 'user', content: 'First' }],
    });
    expect(((await onlyRecord('claude-snapshot')).request as { messages: unknown[] }).messages).toHaveLength(1);
  });

  it('logs a stream read with for await, including tool use', async () => {
    const stream = wrapped({ promptId: 'claude-helper-iterated' }).messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Nice' }],
    });
    let events = 0;
    for await (const _ of stream) events++;
    expect(events).toBeGreaterThan(3);
    expect((await onlyRecord('claude-helper-iterated')).toolCalls).toEqual([
      { round: 1, name: 'get_weather', arguments: { city: 'Nice' } },
    ]);
  });

  it('logs an aborted stream as cancelled; the application sees the abort as before', async () => {
    const stream = wrapped({ promptId: 'claude-helper-abort' }).messages.stream({
      model: 'hold-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    const final = stream.finalMessage().catch((error: unknown) => error);
    await until(() => h.providers.heldCount > 0, 'the call to reach the provider');
    stream.abort();
    expect(await final).toBeInstanceOf(Anthropic.APIUserAbortError);
    h.providers.release();
    expect(await onlyRecord('claude-helper-abort')).toMatchObject({
      status: 'cancelled',
      error: { type: 'cancelled' },
    });
  });

  it('logs a failed stream with the provider error that finalMessage() rejects with', async () => {
    const stream = wrapped({ promptId: 'claude-helper-error' }).messages.stream({
      model: 'error-503',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'x' }],
    });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(await onlyRecord('claude-helper-error')).toMatchObject({
      status: 'error',
      error: { type: 'provider', code: 'overloaded_error' },
    });
  });
});
