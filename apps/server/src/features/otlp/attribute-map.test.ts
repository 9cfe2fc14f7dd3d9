import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EXECUTION_MAPPING,
  first,
  type MappedField,
  merged,
  promptKey,
  provider,
  type Source,
  union,
} from './attribute-map';
import { classifySpan } from './classify';
import type { Attributes, OtlpEvent } from './otlp-model';
import { SpanView } from './span-view';

function view(
  attributes: Attributes,
  { resource = {}, name = 'span', events = [] }: { resource?: Attributes; name?: string; events?: OtlpEvent[] } = {},
): SpanView {
  return new SpanView(
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: null,
      name,
      startTimeUnixNano: 1_700_000_000_000_000_000n,
      endTimeUnixNano: 1_700_000_001_000_000_000n,
      attributes,
      events,
      status: { code: 0, message: '' },
    },
    resource,
  );
}

const messages = (list: unknown[]) => JSON.stringify(list);

/** One case per source of every row: the attributes that source reads, and what the field becomes. */
const CASES: { field: MappedField; from: string; span: SpanView; expected: unknown }[] = [
  {
    field: 'promptId',
    from: 'promptlog.prompt.id',
    span: view({ 'promptlog.prompt.id': 'support-reply' }),
    expected: 'support-reply',
  },
  {
    field: 'promptId',
    from: 'gen_ai.prompt.name',
    span: view({ 'gen_ai.prompt.name': 'triage v2' }),
    expected: 'triage-v2',
  },
  {
    field: 'promptId',
    from: 'traceloop.prompt.key',
    span: view({ 'traceloop.prompt.key': 'joke_generator' }),
    expected: 'joke_generator',
  },
  { field: 'promptId', from: 'prompt.id', span: view({ 'prompt.id': 'pr_123' }), expected: 'pr_123' },
  {
    field: 'promptId',
    from: 'llm.prompt_template.template (template-<hash>)',
    span: view({ 'llm.prompt_template.template': 'Answer {question}' }),
    expected: expect.stringMatching(/^template-[0-9a-f]{8}$/),
  },
  {
    field: 'promptId',
    from: 'ai.telemetry.functionId',
    span: view({ 'ai.telemetry.functionId': 'summarise' }),
    expected: 'summarise',
  },
  { field: 'promptId', from: 'the span name', span: view({}, { name: 'chat gpt-4o' }), expected: 'chat-gpt-4o' },

  {
    field: 'promptVersion',
    from: 'promptlog.prompt.version',
    span: view({ 'promptlog.prompt.version': 3 }),
    expected: 3,
  },
  {
    field: 'promptVersion',
    from: 'traceloop.prompt.version',
    span: view({ 'traceloop.prompt.version': 'v4' }),
    expected: 4,
  },
  {
    field: 'promptVersion',
    from: 'llm.prompt_template.version',
    span: view({ 'llm.prompt_template.version': '5' }),
    expected: 5,
  },
  { field: 'promptVersion', from: 'gen_ai.prompt.version', span: view({ 'gen_ai.prompt.version': 6 }), expected: 6 },

  {
    field: 'sourceType',
    from: 'promptlog.source.type',
    span: view({ 'promptlog.source.type': 'workflow' }),
    expected: 'workflow',
  },
  {
    field: 'sourceId',
    from: 'promptlog.source.id',
    span: view({ 'promptlog.source.id': 'run-42' }),
    expected: 'run-42',
  },
  {
    field: 'sourceId',
    from: 'resource service.name',
    span: view({}, { resource: { 'service.name': 'checkout' } }),
    expected: 'checkout',
  },
  {
    field: 'sourceUrl',
    from: 'promptlog.source.url',
    span: view({ 'promptlog.source.url': 'https://example.test/runs/42' }),
    expected: 'https://example.test/runs/42',
  },

  {
    field: 'model',
    from: 'gen_ai.response.model',
    span: view({ 'gen_ai.response.model': 'gpt-4o-2024-08-06' }),
    expected: 'gpt-4o-2024-08-06',
  },
  {
    field: 'model',
    from: 'ai.response.model',
    span: view({ 'ai.response.model': 'claude-sonnet-4-5' }),
    expected: 'claude-sonnet-4-5',
  },
  { field: 'model', from: 'llm.model_name', span: view({ 'llm.model_name': 'gpt-4o-mini' }), expected: 'gpt-4o-mini' },
  {
    field: 'model',
    from: 'gen_ai.request.model',
    span: view({ 'gen_ai.request.model': 'gpt-4o' }),
    expected: 'gpt-4o',
  },
  { field: 'model', from: 'ai.model.id', span: view({ 'ai.model.id': 'gemini-2.5-pro' }), expected: 'gemini-2.5-pro' },
  {
    field: 'model',
    from: 'embedding.model_name',
    span: view({ 'embedding.model_name': 'text-embedding-3-small' }),
    expected: 'text-embedding-3-small',
  },

  {
    field: 'provider',
    from: 'gen_ai.provider.name',
    span: view({ 'gen_ai.provider.name': 'gcp.gemini' }),
    expected: 'google',
  },
  { field: 'provider', from: 'gen_ai.system', span: view({ 'gen_ai.system': 'Anthropic' }), expected: 'anthropic' },
  { field: 'provider', from: 'llm.provider', span: view({ 'llm.provider': 'azure' }), expected: 'azure' },
  { field: 'provider', from: 'llm.system', span: view({ 'llm.system': 'openai' }), expected: 'openai' },
  {
    field: 'provider',
    from: 'ai.model.provider',
    span: view({ 'ai.model.provider': 'openai.chat' }),
    expected: 'openai',
  },

  {
    field: 'inputTokens',
    from: 'gen_ai.usage.input_tokens',
    span: view({ 'gen_ai.usage.input_tokens': 120 }),
    expected: 120,
  },
  {
    field: 'inputTokens',
    from: 'gen_ai.usage.prompt_tokens',
    span: view({ 'gen_ai.usage.prompt_tokens': 121 }),
    expected: 121,
  },
  {
    field: 'inputTokens',
    from: 'llm.token_count.prompt',
    span: view({ 'llm.token_count.prompt': 122 }),
    expected: 122,
  },
  { field: 'inputTokens', from: 'ai.usage.inputTokens', span: view({ 'ai.usage.inputTokens': 123 }), expected: 123 },
  { field: 'inputTokens', from: 'ai.usage.promptTokens', span: view({ 'ai.usage.promptTokens': 124 }), expected: 124 },
  { field: 'inputTokens', from: 'ai.usage.tokens', span: view({ 'ai.usage.tokens': 125 }), expected: 125 },
  {
    field: 'outputTokens',
    from: 'gen_ai.usage.output_tokens',
    span: view({ 'gen_ai.usage.output_tokens': 30 }),
    expected: 30,
  },
  {
    field: 'outputTokens',
    from: 'gen_ai.usage.completion_tokens',
    span: view({ 'gen_ai.usage.completion_tokens': 31 }),
    expected: 31,
  },
  {
    field: 'outputTokens',
    from: 'llm.token_count.completion',
    span: view({ 'llm.token_count.completion': '32' }),
    expected: 32,
  },
  { field: 'outputTokens', from: 'ai.usage.outputTokens', span: view({ 'ai.usage.outputTokens': 33 }), expected: 33 },
  {
    field: 'outputTokens',
    from: 'ai.usage.completionTokens',
    span: view({ 'ai.usage.completionTokens': 34 }),
    expected: 34,
  },
  {
    field: 'cacheReadTokens',
    from: 'gen_ai.usage.cache_read.input_tokens',
    span: view({ 'gen_ai.usage.cache_read.input_tokens': 50 }),
    expected: 50,
  },
  {
    field: 'cacheReadTokens',
    from: 'gen_ai.usage.cache_read_input_tokens',
    span: view({ 'gen_ai.usage.cache_read_input_tokens': 51 }),
    expected: 51,
  },
  {
    field: 'cacheReadTokens',
    from: 'gen_ai.usage.input_tokens.cached',
    span: view({ 'gen_ai.usage.input_tokens.cached': 52 }),
    expected: 52,
  },
  {
    field: 'cacheReadTokens',
    from: 'llm.token_count.prompt_details.cache_read',
    span: view({ 'llm.token_count.prompt_details.cache_read': 53 }),
    expected: 53,
  },
  {
    field: 'cacheReadTokens',
    from: 'ai.usage.inputTokenDetails.cacheReadTokens',
    span: view({ 'ai.usage.inputTokenDetails.cacheReadTokens': 54 }),
    expected: 54,
  },
  {
    field: 'cacheReadTokens',
    from: 'ai.usage.cachedInputTokens',
    span: view({ 'ai.usage.cachedInputTokens': 55 }),
    expected: 55,
  },
  {
    field: 'cacheWriteTokens',
    from: 'gen_ai.usage.cache_creation.input_tokens',
    span: view({ 'gen_ai.usage.cache_creation.input_tokens': 60 }),
    expected: 60,
  },
  {
    field: 'cacheWriteTokens',
    from: 'gen_ai.usage.cache_creation_input_tokens',
    span: view({ 'gen_ai.usage.cache_creation_input_tokens': 61 }),
    expected: 61,
  },
  {
    field: 'cacheWriteTokens',
    from: 'gen_ai.usage.input_tokens.cache_write',
    span: view({ 'gen_ai.usage.input_tokens.cache_write': 62 }),
    expected: 62,
  },
  {
    field: 'cacheWriteTokens',
    from: 'llm.token_count.prompt_details.cache_write',
    span: view({ 'llm.token_count.prompt_details.cache_write': 63 }),
    expected: 63,
  },
  {
    field: 'cacheWriteTokens',
    from: 'ai.usage.inputTokenDetails.cacheWriteTokens',
    span: view({ 'ai.usage.inputTokenDetails.cacheWriteTokens': 64 }),
    expected: 64,
  },
  {
    field: 'reasoningTokens',
    from: 'gen_ai.usage.reasoning.output_tokens',
    span: view({ 'gen_ai.usage.reasoning.output_tokens': 70 }),
    expected: 70,
  },
  {
    field: 'reasoningTokens',
    from: 'gen_ai.usage.reasoning_tokens',
    span: view({ 'gen_ai.usage.reasoning_tokens': 71 }),
    expected: 71,
  },
  {
    field: 'reasoningTokens',
    from: 'gen_ai.usage.output_tokens.reasoning',
    span: view({ 'gen_ai.usage.output_tokens.reasoning': 72 }),
    expected: 72,
  },
  {
    field: 'reasoningTokens',
    from: 'llm.token_count.completion_details.reasoning',
    span: view({ 'llm.token_count.completion_details.reasoning': 73 }),
    expected: 73,
  },
  {
    field: 'reasoningTokens',
    from: 'ai.usage.outputTokenDetails.reasoningTokens',
    span: view({ 'ai.usage.outputTokenDetails.reasoningTokens': 74 }),
    expected: 74,
  },
  {
    field: 'reasoningTokens',
    from: 'ai.usage.reasoningTokens',
    span: view({ 'ai.usage.reasoningTokens': 75 }),
    expected: 75,
  },

  { field: 'costUsd', from: 'promptlog.cost_usd', span: view({ 'promptlog.cost_usd': '0.0125' }), expected: '0.0125' },
  { field: 'costUsd', from: 'llm.cost.total', span: view({ 'llm.cost.total': 0.0000007 }), expected: '0.0000007' },
  {
    field: 'timeToFirstTokenMs',
    from: 'promptlog.time_to_first_token_ms',
    span: view({ 'promptlog.time_to_first_token_ms': 210 }),
    expected: 210,
  },
  {
    field: 'timeToFirstTokenMs',
    from: 'ai.response.msToFirstChunk',
    span: view({ 'ai.response.msToFirstChunk': 312.6 }),
    expected: 313,
  },
  {
    field: 'timeToFirstTokenMs',
    from: 'ai.stream.msToFirstChunk',
    span: view({ 'ai.stream.msToFirstChunk': 99 }),
    expected: 99,
  },

  {
    field: 'systemPrompt',
    from: 'gen_ai.system_instructions',
    span: view({ 'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]) }),
    expected: 'Be brief.',
  },
  {
    field: 'systemPrompt',
    from: 'system messages of the input messages',
    span: view({ 'llm.input_messages.0.message.role': 'system', 'llm.input_messages.0.message.content': 'Be kind.' }),
    expected: 'Be kind.',
  },
  {
    field: 'systemPrompt',
    from: 'ai.prompt (system)',
    span: view({ 'ai.prompt': JSON.stringify({ system: 'You are a poet.', prompt: 'Write.' }) }),
    expected: 'You are a poet.',
  },

  {
    field: 'messages',
    from: 'gen_ai.input.messages',
    span: view({
      'gen_ai.input.messages': messages([
        { role: 'user', parts: [{ type: 'text', content: 'Weather?' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: '18°C' }] },
      ]),
    }),
    expected: [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } }] },
      { role: 'tool', content: [{ type: 'tool_result', id: 'c1', content: '18°C' }] },
    ],
  },
  {
    field: 'messages',
    from: 'llm.input_messages.<n>.message.*',
    span: view({
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'Hello',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.1.message.tool_calls.0.tool_call.id': 'call_1',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.name': 'lookup',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments': '{"q":"x"}',
    }),
    expected: [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { q: 'x' } }] },
    ],
  },
  {
    field: 'messages',
    from: 'gen_ai.prompt.<n>.*',
    span: view({
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'Be terse.',
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.content': 'Tell a joke',
    }),
    expected: [
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Tell a joke' },
    ],
  },
  {
    field: 'messages',
    from: 'ai.prompt.messages',
    span: view({
      'ai.prompt.messages': messages([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: { q: 1 } }] },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 'lookup',
              output: { type: 'json', value: { ok: true } },
            },
          ],
        },
      ]),
    }),
    expected: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: { q: 1 } }] },
      { role: 'tool', content: [{ type: 'tool_result', id: 'c1', content: { ok: true } }] },
    ],
  },
  {
    field: 'messages',
    from: 'gen_ai.<role>.message events',
    span: view(
      {},
      { events: [{ name: 'gen_ai.user.message', timeUnixNano: 1n, attributes: { content: 'From an event' } }] },
    ),
    expected: [{ role: 'user', content: 'From an event' }],
  },
  {
    field: 'messages',
    from: 'gen_ai.content.prompt event (gen_ai.prompt)',
    span: view(
      {},
      {
        events: [
          {
            name: 'gen_ai.content.prompt',
            timeUnixNano: 1n,
            attributes: { 'gen_ai.prompt': messages([{ role: 'user', content: 'Old style' }]) },
          },
        ],
      },
    ),
    expected: [{ role: 'user', content: 'Old style' }],
  },
  {
    field: 'messages',
    from: 'input.value (JSON messages)',
    span: view({ 'input.value': JSON.stringify({ messages: [{ role: 'user', content: 'Raw request' }], model: 'x' }) }),
    expected: [{ role: 'user', content: 'Raw request' }],
  },

  {
    field: 'parameters',
    from: 'gen_ai.request.* and gen_ai.output.type',
    span: view({ 'gen_ai.request.temperature': 0.2, 'gen_ai.request.max_tokens': 500, 'gen_ai.output.type': 'json' }),
    expected: { temperature: 0.2, max_tokens: 500, response_format: 'json' },
  },
  {
    field: 'parameters',
    from: 'llm.invocation_parameters',
    span: view({ 'llm.invocation_parameters': '{"temperature":0.7,"top_p":1}' }),
    expected: { temperature: 0.7, top_p: 1 },
  },
  {
    field: 'parameters',
    from: 'ai.settings.*',
    span: view({ 'ai.settings.maxRetries': 2, 'ai.settings.temperature': 0 }),
    expected: { maxRetries: 2, temperature: 0 },
  },
  {
    field: 'parameters',
    from: 'gen_ai.tool.definitions, ai.prompt.tools, llm.tools.<n>.tool.json_schema (as tools)',
    span: view({ 'llm.tools.0.tool.json_schema': '{"name":"lookup"}' }),
    expected: { tools: [{ name: 'lookup' }] },
  },

  {
    field: 'output',
    from: 'gen_ai.output.messages (text)',
    span: view({
      'gen_ai.output.messages': messages([{ role: 'assistant', parts: [{ type: 'text', content: 'Done.' }] }]),
    }),
    expected: 'Done.',
  },
  {
    field: 'output',
    from: 'llm.output_messages.<n>.message.* (text)',
    span: view({ 'llm.output_messages.0.message.role': 'assistant', 'llm.output_messages.0.message.content': 'Sure.' }),
    expected: 'Sure.',
  },
  {
    field: 'output',
    from: 'gen_ai.completion.<n>.content',
    span: view({ 'gen_ai.completion.0.role': 'assistant', 'gen_ai.completion.0.content': 'Why did…' }),
    expected: 'Why did…',
  },
  {
    field: 'output',
    from: 'ai.response.text',
    span: view({ 'ai.response.text': 'Generated.' }),
    expected: 'Generated.',
  },
  {
    field: 'output',
    from: 'ai.response.object',
    span: view({ 'ai.response.object': '{"ok":true}' }),
    expected: { ok: true },
  },
  {
    field: 'output',
    from: 'gen_ai.choice / gen_ai.content.completion events',
    span: view({}, { events: [{ name: 'gen_ai.choice', timeUnixNano: 1n, attributes: { message: 'Event answer' } }] }),
    expected: 'Event answer',
  },
  { field: 'output', from: 'output.value', span: view({ 'output.value': 'Plain output' }), expected: 'Plain output' },

  {
    field: 'toolCalls',
    from: 'gen_ai.output.messages (tool_call parts)',
    span: view({
      'gen_ai.output.messages': messages([
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'c9', name: 'get_weather', arguments: { city: 'Oslo' } }],
        },
      ]),
    }),
    expected: [{ id: 'c9', name: 'get_weather', arguments: { city: 'Oslo' } }],
  },
  {
    field: 'toolCalls',
    from: 'llm.output_messages.<n>.message.tool_calls.<k>.tool_call.*',
    span: view({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'search',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"q":"cats"}',
    }),
    expected: [{ name: 'search', arguments: { q: 'cats' } }],
  },
  {
    field: 'toolCalls',
    from: 'gen_ai.completion.<n>.tool_calls.<k>.*',
    span: view({
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.tool_calls.0.id': 't1',
      'gen_ai.completion.0.tool_calls.0.name': 'calc',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"x":1}',
    }),
    expected: [{ id: 't1', name: 'calc', arguments: { x: 1 } }],
  },
  {
    field: 'toolCalls',
    from: 'ai.response.toolCalls',
    span: view({
      'ai.response.toolCalls': JSON.stringify([
        { toolCallType: 'function', toolCallId: 'a1', toolName: 'fetch', input: '{"url":"u"}' },
      ]),
    }),
    expected: [{ id: 'a1', name: 'fetch', arguments: { url: 'u' } }],
  },

  {
    field: 'thinking',
    from: 'gen_ai.output.messages (reasoning parts)',
    span: view({
      'gen_ai.output.messages': messages([
        { role: 'assistant', parts: [{ type: 'reasoning', content: 'Think first.' }] },
      ]),
    }),
    expected: 'Think first.',
  },
  {
    field: 'thinking',
    from: 'ai.response.reasoning',
    span: view({ 'ai.response.reasoning': 'Step by step.' }),
    expected: 'Step by step.',
  },

  {
    field: 'inputs',
    from: 'promptlog.inputs',
    span: view({ 'promptlog.inputs': '{"customer":"Ada"}' }),
    expected: { customer: 'Ada' },
  },
  {
    field: 'inputs',
    from: 'llm.prompt_template.variables',
    span: view({ 'llm.prompt_template.variables': '{"question":"Why?"}' }),
    expected: { question: 'Why?' },
  },
  {
    field: 'inputs',
    from: 'traceloop.prompt.template_variables.*',
    span: view({ 'traceloop.prompt.template_variables.topic': 'cats' }),
    expected: { topic: 'cats' },
  },

  {
    field: 'requestId',
    from: 'gen_ai.response.id',
    span: view({ 'gen_ai.response.id': 'chatcmpl-1' }),
    expected: 'chatcmpl-1',
  },
  { field: 'requestId', from: 'ai.response.id', span: view({ 'ai.response.id': 'resp_1' }), expected: 'resp_1' },
  {
    field: 'userEmail',
    from: 'promptlog.user.email',
    span: view({ 'promptlog.user.email': 'ada@example.test' }),
    expected: 'ada@example.test',
  },
  { field: 'userId', from: 'promptlog.user.id', span: view({ 'promptlog.user.id': 'u-1' }), expected: 'u-1' },
  { field: 'userId', from: 'user.id', span: view({ 'user.id': 'u-2' }), expected: 'u-2' },
  { field: 'userId', from: 'enduser.id', span: view({ 'enduser.id': 'u-3' }), expected: 'u-3' },
  { field: 'userId', from: 'llm.user', span: view({ 'llm.user': 'u-4' }), expected: 'u-4' },
  { field: 'tags', from: 'promptlog.tags', span: view({ 'promptlog.tags': 'beta, eu' }), expected: ['beta', 'eu'] },
  { field: 'tags', from: 'tag.tags', span: view({ 'tag.tags': ['vip'] }), expected: ['vip'] },
  {
    field: 'environment',
    from: 'promptlog.environment',
    span: view({ 'promptlog.environment': 'staging' }),
    expected: 'staging',
  },
  {
    field: 'environment',
    from: 'resource deployment.environment.name',
    span: view({}, { resource: { 'deployment.environment.name': 'production' } }),
    expected: 'production',
  },
  {
    field: 'environment',
    from: 'resource deployment.environment',
    span: view({}, { resource: { 'deployment.environment': 'dev' } }),
    expected: 'dev',
  },
  {
    field: 'conversationId',
    from: 'promptlog.conversation.id',
    span: view({ 'promptlog.conversation.id': 'chat-7' }),
    expected: 'chat-7',
  },
  {
    field: 'conversationId',
    from: 'gen_ai.conversation.id',
    span: view({ 'gen_ai.conversation.id': 'conv-1' }),
    expected: 'conv-1',
  },
  { field: 'conversationId', from: 'session.id', span: view({ 'session.id': 'sess-1' }), expected: 'sess-1' },
  {
    field: 'conversationId',
    from: 'traceloop.association.properties.session_id',
    span: view({ 'traceloop.association.properties.session_id': 's-9' }),
    expected: 's-9',
  },
  {
    field: 'finishReason',
    from: 'gen_ai.response.finish_reasons',
    span: view({ 'gen_ai.response.finish_reasons': ['length'] }),
    expected: 'length',
  },
  {
    field: 'finishReason',
    from: 'gen_ai.output.messages (finish_reason)',
    span: view({ 'gen_ai.output.messages': messages([{ role: 'assistant', parts: [], finish_reason: 'tool_call' }]) }),
    expected: 'tool_call',
  },
  {
    field: 'finishReason',
    from: 'ai.response.finishReason',
    span: view({ 'ai.response.finishReason': 'stop' }),
    expected: 'stop',
  },
  {
    field: 'finishReason',
    from: 'llm.output_messages.0.message.finish_reason',
    span: view({ 'llm.output_messages.0.message.finish_reason': 'stop' }),
    expected: 'stop',
  },
  {
    field: 'finishReason',
    from: 'gen_ai.completion.0.finish_reason',
    span: view({ 'gen_ai.completion.0.finish_reason': 'stop' }),
    expected: 'stop',
  },
  { field: 'metadata', from: 'metadata', span: view({ metadata: '{"tenant":"acme"}' }), expected: { tenant: 'acme' } },
  {
    field: 'metadata',
    from: 'ai.telemetry.metadata.* (except promptlog.*)',
    span: view({ 'ai.telemetry.metadata.tenant': 'acme', 'ai.telemetry.metadata.promptlog.prompt.id': 'x' }),
    expected: { tenant: 'acme' },
  },
  {
    field: 'metadata',
    from: 'traceloop.association.properties.*',
    span: view({ 'traceloop.association.properties.customer': 'c-1' }),
    expected: { customer: 'c-1' },
  },
];

describe('the attribute mapping table', () => {
  it.each(CASES.map((c) => [c.field, c.from, c] as const))(
    '%s ← %s',
    (_field, _from, { field, from, span, expected }) => {
      const row: readonly Source<unknown>[] = EXECUTION_MAPPING[field];
      const source = row.find((s) => s.from === from);
      expect(source, `no source "${from}" in row ${field}`).toBeDefined();
      expect(source?.read(span)).toEqual(expected);
    },
  );

  it('has a case for every source of every row', () => {
    const tested = new Set(CASES.map((c) => `${c.field} ← ${c.from}`));
    const sources = Object.entries(EXECUTION_MAPPING).flatMap(([field, row]) => row.map((s) => `${field} ← ${s.from}`));
    expect(sources.filter((s) => !tested.has(s))).toEqual([]);
  });

  it('is documented in docs/otlp.md, attribute by attribute', () => {
    const doc = readFileSync(new URL('../../../../../docs/otlp.md', import.meta.url), 'utf8');
    const attributes = Object.values(EXECUTION_MAPPING)
      .flat()
      .map((s) => /^(resource )?([a-z_]+(\.[\w<>*]+)+)/.exec(s.from)?.[2])
      .filter((name) => name !== undefined);
    expect(attributes.length).toBeGreaterThan(60);
    expect(attributes.filter((name) => !doc.includes(name))).toEqual([]);
  });

  it('lets our own attributes win, on the span first, then as AI SDK metadata, then on the resource', () => {
    const promptId = EXECUTION_MAPPING.promptId;
    const all = {
      'promptlog.prompt.id': 'on-span',
      'ai.telemetry.metadata.promptlog.prompt.id': 'in-metadata',
      'gen_ai.prompt.name': 'dialect',
    };
    const resource = { 'promptlog.prompt.id': 'on-resource' };
    expect(first(view(all, { resource }), promptId)).toBe('on-span');
    const { 'promptlog.prompt.id': _onSpan, ...withoutSpan } = all;
    expect(first(view(withoutSpan, { resource }), promptId)).toBe('in-metadata');
    expect(first(view({ 'gen_ai.prompt.name': 'dialect' }, { resource }), promptId)).toBe('on-resource');
  });

  it('prefers the newer name over the deprecated one when an instrumentation sends both', () => {
    const span = view({ 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.prompt_tokens': 99 });
    expect(first(span, EXECUTION_MAPPING.inputTokens)).toBe(10);
  });

  it('merges parameters and metadata from every source and joins tags without repeats', () => {
    const span = view({
      'gen_ai.request.temperature': 0.1,
      'llm.invocation_parameters': '{"temperature":0.9,"seed":7}',
      metadata: '{"tenant":"acme"}',
      'ai.telemetry.metadata.region': 'eu',
      'promptlog.tags': ['a', 'b'],
      'tag.tags': ['b', 'c'],
    });
    expect(merged(span, EXECUTION_MAPPING.parameters)).toEqual({ temperature: 0.1, seed: 7 });
    expect(merged(span, EXECUTION_MAPPING.metadata)).toEqual({ tenant: 'acme', region: 'eu' });
    expect(union(span, EXECUTION_MAPPING.tags)).toEqual(['a', 'b', 'c']);
  });

  it('turns any name into a valid prompt key and any provider spelling into the catalogue’s', () => {
    expect(promptKey('  --My prompt: v2!')).toBe('My-prompt:-v2-');
    expect(promptKey('***')).toBeUndefined();
    expect(provider('anthropic.messages')).toBe('anthropic');
    expect(provider('aws.bedrock')).toBe('aws');
    expect(provider('azure.ai.openai')).toBe('azure');
  });
});

describe('which spans become executions', () => {
  const roleOf = (attributes: Attributes, name = 'span') => classifySpan(view(attributes, { name }));

  it.each([
    ['gen_ai chat', { 'gen_ai.operation.name': 'chat' }, 'llm'],
    ['gen_ai text_completion', { 'gen_ai.operation.name': 'text_completion' }, 'llm'],
    ['gen_ai generate_content', { 'gen_ai.operation.name': 'generate_content' }, 'llm'],
    ['gen_ai embeddings', { 'gen_ai.operation.name': 'embeddings' }, 'embedding'],
    ['OpenInference LLM', { 'openinference.span.kind': 'LLM' }, 'llm'],
    ['OpenInference EMBEDDING', { 'openinference.span.kind': 'EMBEDDING' }, 'embedding'],
    ['OpenLLMetry chat', { 'llm.request.type': 'chat' }, 'llm'],
    ['OpenLLMetry embedding', { 'llm.request.type': 'embedding' }, 'embedding'],
    ['AI SDK doGenerate', { 'ai.operationId': 'ai.generateText.doGenerate' }, 'llm'],
    ['AI SDK doStream', { 'ai.operationId': 'ai.streamText.doStream' }, 'llm'],
    ['AI SDK generateObject', { 'ai.operationId': 'ai.generateObject.doGenerate' }, 'llm'],
    ['AI SDK streamObject', { 'ai.operationId': 'ai.streamObject.doStream' }, 'llm'],
    ['AI SDK embed', { 'ai.operationId': 'ai.embed.doEmbed' }, 'embedding'],
    ['AI SDK embedMany', { 'ai.operationId': 'ai.embedMany.doEmbed' }, 'embedding'],
  ])('%s is an execution', (_name, attributes, stepType) => {
    expect(roleOf(attributes)).toEqual({ role: 'execution', stepType });
  });

  it.each([
    [
      'the AI SDK outer span, which repeats the totals',
      { 'ai.operationId': 'ai.generateText', 'gen_ai.system': 'openai' },
      'chain',
    ],
    ['an AI SDK tool call', { 'ai.operationId': 'ai.toolCall' }, 'tool'],
    ['an OpenInference agent', { 'openinference.span.kind': 'AGENT' }, 'agent'],
    ['an OpenInference retriever', { 'openinference.span.kind': 'RETRIEVER' }, 'retriever'],
    ['a Traceloop workflow', { 'traceloop.span.kind': 'workflow' }, 'workflow'],
    ['a gen_ai tool execution', { 'gen_ai.operation.name': 'execute_tool' }, 'tool'],
    ['a gen_ai agent', { 'gen_ai.operation.name': 'invoke_agent' }, 'agent'],
    ['a span with our attributes only', { 'promptlog.source.id': 'run-1' }, 'other'],
  ])('%s is a step', (_name, attributes, kind) => {
    expect(roleOf(attributes)).toEqual({ role: 'step', kind });
  });

  it('ignores spans with no AI attributes', () => {
    expect(roleOf({ 'http.request.method': 'GET' }, 'GET /')).toEqual({ role: 'ignored' });
  });
});
