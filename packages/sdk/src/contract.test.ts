import Anthropic from '@anthropic-ai/sdk';
import type { Usage as AnthropicUsage, Message, MessageDeltaUsage } from '@anthropic-ai/sdk/resources/messages';
import * as contracts from '@promptlog/contracts';
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import type { Response as OpenAIResponse } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { type SdkHarness, startSdkHarness, until } from './testing/sdk-harness.js';
import type { ExecutionInput, ExecutionPatch } from './types.js';
import { wrapAnthropic } from './wrappers/anthropic.js';
import type { AnthropicMessageWire, AnthropicUsageWire } from './wrappers/anthropic-messages.js';
import { wrapOpenAI } from './wrappers/openai.js';
import type { ChatCompletionChunkWire, ChatCompletionWire } from './wrappers/openai-chat.js';
import type { EmbeddingsWire } from './wrappers/openai-embeddings.js';
import type { ResponseWire } from './wrappers/openai-responses.js';

let h: SdkHarness;

beforeAll(async () => {
  h = await startSdkHarness();
});
afterAll(async () => {
  await h.close();
});

/** Runs every kind of call both wrappers record: plain, streamed, tools, thinking, failures, pending. */
async function runEveryKindOfCall() {
  const promptlog = h.newPromptlog({ flushAt: 1 });
  const openai = wrapOpenAI(new OpenAI({ apiKey: 'sk', baseURL: h.providers.openaiBaseURL, maxRetries: 0 }), {
    promptlog,
    promptId: 'contract-openai',
    inputs: { name: 'Ada' },
    tags: ['contract'],
  });
  const claude = wrapAnthropic(new Anthropic({ apiKey: 'sk', baseURL: h.providers.anthropicBaseURL, maxRetries: 0 }), {
    promptlog,
    source: { type: 'chat', id: 'c-1', url: 'https://example.test/chat/1' },
    logPending: true,
  });
  const tool = {
    type: 'function' as const,
    function: { name: 'lookup', parameters: { type: 'object', properties: { q: {} } } },
  };
  const messages = [{ role: 'user' as const, content: 'Hi' }];
  const ignore = () => undefined;

  await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  await openai.chat.completions.create({ model: 'o3-mini', messages, tools: [tool] });
  for await (const _ of await openai.chat.completions.create({
    model: 'gpt-4o',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  }));
  for await (const _ of await openai.chat.completions.create({
    model: 'gpt-4o',
    messages,
    tools: [tool],
    stream: true,
  }));
  await openai.chat.completions.create({ model: 'error-429', messages }).catch(ignore);
  await openai.responses.create({ model: 'o4-mini', input: 'Hi', reasoning: { summary: 'auto' } });
  for await (const _ of await openai.responses.create({ model: 'o4-mini', input: 'Hi', stream: true }));
  await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'Hi' });

  const claudeParams = { model: 'claude-sonnet-4-5', max_tokens: 100, messages };
  await claude.messages.create({ ...claudeParams, thinking: { type: 'enabled', budget_tokens: 50 } });
  for await (const _ of await claude.messages.create({ ...claudeParams, stream: true }));
  await claude.messages
    .stream({ ...claudeParams, tools: [{ name: 'lookup', input_schema: { type: 'object' } }] })
    .finalMessage();
  await claude.messages.create({ ...claudeParams, model: 'error-401' }).catch(ignore);
  const held = claude.messages.create({ ...claudeParams, model: 'hold-claude' });
  await until(() => h.providers.heldCount > 0, 'the held call');
  h.providers.release();
  await held;
  await promptlog.flush();
}

describe('what the SDK sends', () => {
  it('parses with the server contracts: every batch item as ExecutionInput, every completion as ExecutionPatch', async () => {
    await runEveryKindOfCall();
    const items = h.server.requests.flatMap((request) =>
      request.method === 'POST' &&
      typeof request.body === 'object' &&
      request.body !== null &&
      'executions' in request.body
        ? (request.body.executions as unknown[])
        : [],
    );
    const patches = h.server.requests.filter((request) => request.method === 'PATCH').map((request) => request.body);
    expect(items).toHaveLength(13);
    expect(patches.length).toBeGreaterThanOrEqual(1);
    for (const item of items) expect(contracts.ExecutionInput.safeParse(item).error).toBeUndefined();
    for (const patch of patches) expect(contracts.ExecutionPatch.safeParse(patch).error).toBeUndefined();
    expect(h.server.rejected).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it('types what the contracts accept (checked by tsc: pnpm typecheck)', () => {
    expectTypeOf<ExecutionInput>().toExtend<z.input<typeof contracts.ExecutionInput>>();
    expectTypeOf<ExecutionPatch>().toExtend<z.input<typeof contracts.ExecutionPatch>>();
    // Same field names: a field added to a contract fails here until the SDK has it too.
    expectTypeOf<keyof ExecutionInput>().toEqualTypeOf<keyof z.input<typeof contracts.ExecutionInput>>();
    expectTypeOf<keyof ExecutionPatch>().toEqualTypeOf<keyof z.input<typeof contracts.ExecutionPatch>>();
  });

  it("reads the providers' payloads through shapes their SDKs' own types still fit (checked by tsc)", () => {
    expectTypeOf<ChatCompletion>().toExtend<ChatCompletionWire>();
    expectTypeOf<ChatCompletionChunk>().toExtend<ChatCompletionChunkWire>();
    expectTypeOf<OpenAIResponse>().toExtend<ResponseWire>();
    expectTypeOf<CreateEmbeddingResponse>().toExtend<EmbeddingsWire>();
    expectTypeOf<Message>().toExtend<AnthropicMessageWire>();
    expectTypeOf<AnthropicUsage>().toExtend<AnthropicUsageWire>();
    expectTypeOf<MessageDeltaUsage>().toExtend<AnthropicUsageWire>();
  });
});
