import { describe, expect, it } from 'vitest';
import { describeMessagesRequest, messageResult } from './anthropic-messages.js';

describe('Anthropic messages mapping', () => {
  it('attaches server tool results to their calls and records redacted thinking as a marker', () => {
    const result = messageResult(
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        content: [
          { type: 'redacted_thinking', data: 'ZW5jcnlwdGVk' },
          { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'Oslo weather' } },
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srv_1',
            content: [{ type: 'web_search_result', title: 'Yr' }],
          },
          { type: 'text', text: 'It snows.' },
        ],
        usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: null, cache_creation_input_tokens: 2 },
      },
      { messages: [] },
    );
    expect(result).toMatchObject({
      output: 'It snows.',
      thinking: [{ type: 'redacted_thinking' }],
      toolCalls: [
        {
          round: 1,
          name: 'web_search',
          arguments: { query: 'Oslo weather' },
          result: [{ type: 'web_search_result', title: 'Yr' }],
        },
      ],
      usage: { inputTokens: 12, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 2, reasoningTokens: 0 },
    });
  });

  it('parses JSON output when a json_schema output format was requested', () => {
    const result = messageResult(
      { content: [{ type: 'text', text: '{"answer":4}' }] },
      { output_config: { format: { type: 'json_schema', schema: {} } } },
    );
    expect(result.output).toEqual({ answer: 4 });
  });

  it('records the parameters without the messages and the system prompt', () => {
    expect(
      describeMessagesRequest({
        model: 'claude-haiku-4-5',
        max_tokens: 5,
        system: 'S',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).toEqual({
      model: 'claude-haiku-4-5',
      request: {
        systemPrompt: 'S',
        messages: [{ role: 'user', content: 'x' }],
        parameters: { model: 'claude-haiku-4-5', max_tokens: 5 },
      },
    });
  });
});
