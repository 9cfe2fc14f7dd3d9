import { describe, expect, it } from 'vitest';
import { chatCompletionResult, describeChatRequest } from './openai-chat.js';

describe('OpenAI chat completions mapping', () => {
  it('keeps a system message that is not leading in the messages', () => {
    const { request } = describeChatRequest({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'Rule one.' }] },
        { role: 'system', content: 'Rule two.' },
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Late note.' },
      ],
    });
    expect(request).toEqual({
      systemPrompt: 'Rule one.\n\nRule two.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Late note.' },
      ],
      parameters: { model: 'gpt-4o-mini' },
    });
  });

  it('records several choices as an array, a refusal as the output, and reasoning_content as thinking', () => {
    const result = chatCompletionResult(
      {
        id: 'chatcmpl-1',
        model: 'deepseek-reasoner',
        choices: [
          { index: 0, message: { content: 'First', reasoning_content: 'Because.' } },
          { index: 1, message: { content: null, refusal: 'I cannot help with that.' } },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 5,
          prompt_tokens_details: { cached_tokens: 4, cache_write_tokens: 3 },
          completion_tokens_details: { reasoning_tokens: 2 },
        },
      },
      { messages: [] },
    );
    expect(result).toMatchObject({
      output: ['First', 'I cannot help with that.'],
      thinking: [{ type: 'reasoning', text: 'Because.' }],
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 4, cacheWriteTokens: 3, reasoningTokens: 2 },
    });
  });

  it('keeps usage consistent when a provider reports more cached tokens than prompt tokens', () => {
    const result = chatCompletionResult(
      {
        choices: [],
        usage: {
          prompt_tokens: 5,
          completion_tokens: 1,
          prompt_tokens_details: { cached_tokens: 9 },
          completion_tokens_details: { reasoning_tokens: 4 },
        },
      },
      {},
    );
    expect(result.usage).toEqual({
      inputTokens: 5,
      outputTokens: 1,
      cacheReadTokens: 5,
      cacheWriteTokens: 0,
      reasoningTokens: 1,
    });
  });
});
