import { describe, expect, it } from 'vitest';
import { responseResult } from './openai-responses.js';

describe('OpenAI responses mapping', () => {
  it('records built-in tool calls and counts earlier function-call rounds in the input', () => {
    const result = responseResult(
      {
        id: 'resp_1',
        model: 'gpt-4.1',
        status: 'completed',
        output: [
          { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'weather' } },
          { type: 'function_call', name: 'lookup', arguments: '{"q":1}', call_id: 'c2' },
        ],
      },
      {
        input: [
          { role: 'user', content: 'Hi' },
          { type: 'function_call', name: 'lookup', arguments: '{}', call_id: 'a' },
          { type: 'function_call', name: 'lookup', arguments: '{}', call_id: 'b' },
          { type: 'function_call_output', call_id: 'a', output: '1' },
          { type: 'function_call_output', call_id: 'b', output: '2' },
        ],
      },
    );
    expect(result.toolCalls).toEqual([
      { round: 2, name: 'web_search', arguments: { action: { type: 'search', query: 'weather' } } },
      { round: 2, name: 'lookup', arguments: { q: 1 } },
    ]);
  });

  it('parses the output text as JSON when text.format asks for JSON', () => {
    const result = responseResult(
      { output: [{ type: 'message', content: [{ type: 'output_text', text: '{"ok":true}' }] }] },
      { text: { format: { type: 'json_schema', name: 'answer', schema: {} } } },
    );
    expect(result.output).toEqual({ ok: true });
  });

  it('records a failed response as a provider error', () => {
    const result = responseResult(
      { id: 'resp_2', status: 'failed', error: { code: 'server_error', message: 'Something broke' }, output: [] },
      {},
    );
    expect(result).toMatchObject({
      status: 'error',
      error: { type: 'provider', code: 'server_error', message: 'Something broke' },
    });
  });
});
