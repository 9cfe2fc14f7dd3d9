import { describe, expect, it } from 'vitest';
import { buildTimeline, displayRounds, type TimelineEvent } from './timeline';

/** A readable line per event, so a test reads like the conversation it checks. */
function outline(events: TimelineEvent[]): string[] {
  return events.map((event) => {
    switch (event.kind) {
      case 'system':
        return `${event.role}: ${event.parts.map((part) => (part.type === 'text' ? part.text : part.type)).join(' | ')}`;
      case 'message':
        return `${event.role}: ${event.parts
          .map((part) =>
            part.type === 'text' ? part.text : part.type === 'attachment' ? `[${part.kind}: ${part.label}]` : 'data',
          )
          .join(' | ')}`;
      case 'thinking':
        return event.redacted ? 'thinking (redacted)' : `thinking: ${event.text}`;
      case 'tool-call':
        return `call ${event.name} round ${event.round} ${JSON.stringify(event.arguments)} -> ${
          event.error
            ? `error ${JSON.stringify(event.error.value)}`
            : event.result
              ? `${event.result.failed ? 'failed ' : ''}${JSON.stringify(event.result.value)}`
              : 'pending'
        }${event.latencyMs === null ? '' : ` in ${event.latencyMs} ms`}`;
      case 'tool-result':
        return `result ${event.name ?? event.id}: ${JSON.stringify(event.value)}`;
      default:
        return event.kind;
    }
  });
}

describe('buildTimeline', () => {
  it('reads an OpenAI chat: tool calls paired with their results by id, rounds counted from 1', () => {
    const timeline = buildTimeline({
      request: {
        messages: [
          { role: 'system', content: 'You answer about orders.' },
          { role: 'user', content: 'Where is order 1042?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":1042}' } },
              { id: 'call_2', type: 'function', function: { name: 'track', arguments: 'not json' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"status":"packed"}' },
          { role: 'tool', tool_call_id: 'call_2', content: 'in transit' },
          { role: 'tool', tool_call_id: 'call_unknown', content: 'orphan' },
        ],
        parameters: { temperature: 0 },
      },
      toolCalls: [{ round: 2, name: 'notify', arguments: { channel: 'email' } }],
      thinking: undefined,
    });
    expect(outline(timeline.request)).toEqual([
      'system: You answer about orders.',
      'user: Where is order 1042?',
      'call lookup_order round 1 {"orderId":1042} -> {"status":"packed"}',
      'call track round 1 "not json" -> "in transit"',
      'result call_unknown: "orphan"',
    ]);
    expect(outline(timeline.response)).toEqual(['output', 'call notify round 2 {"channel":"email"} -> pending']);
  });

  it('reads Anthropic blocks: thinking, text, tool use and results (failed too), attachments named but not shown', () => {
    const timeline = buildTimeline({
      request: {
        systemPrompt: 'Be brief.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is on this label?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(4096) } },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'Read the label first.', signature: 'sig' },
              { type: 'text', text: 'Let me read it.' },
              { type: 'tool_use', id: 'toolu_1', name: 'ocr', input: { page: 1 } },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: [{ type: 'text', text: 'unreadable' }],
                is_error: true,
              },
              { type: 'text', text: 'Try again.' },
            ],
          },
        ],
      },
      thinking: [
        { type: 'thinking', thinking: 'Ask for a photo.' },
        { type: 'redacted_thinking', data: 'x' },
      ],
      toolCalls: [],
    });
    expect(outline(timeline.request)).toEqual([
      'system: Be brief.',
      'user: What is on this label? | [image: image/png, inline (3 KB)]',
      'thinking: Read the label first.',
      'assistant: Let me read it.',
      'call ocr round 1 {"page":1} -> failed "unreadable"',
      'user: Try again.',
    ]);
    expect(outline(timeline.response)).toEqual(['thinking: Ask for a photo.', 'thinking (redacted)', 'output']);
  });

  it('puts the tool calls a run completed before its output, and counts rounds logged from 0 from 1', () => {
    const timeline = buildTimeline({
      request: { messages: [{ role: 'user', content: 'Refund my order' }] },
      toolCalls: [
        {
          round: 1,
          name: 'create_refund',
          arguments: { amount: 9.99 },
          error: { code: 'REFUND_WINDOW_CLOSED' },
          latencyMs: 300,
        },
        { round: 0, name: 'lookup_order', arguments: { order: 7 }, result: { status: 'delivered' }, latencyMs: 40 },
      ],
      thinking: 'Look it up first.',
    });
    expect(outline(timeline.response)).toEqual([
      'thinking: Look it up first.',
      'call lookup_order round 1 {"order":7} -> {"status":"delivered"} in 40 ms',
      'call create_refund round 2 {"amount":9.99} -> error {"code":"REFUND_WINDOW_CLOSED"} in 300 ms',
      'output',
    ]);
    expect(displayRounds([{ round: 1 }, { round: 2 }])).toEqual([1, 2]);
    expect(displayRounds([{ round: 0 }, { round: 0 }, { round: 1 }])).toEqual([1, 1, 2]);
  });

  it('completes a call of the conversation with what the log says about it instead of showing it twice', () => {
    const timeline = buildTimeline({
      request: {
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            tool_calls: [{ id: 'c1', function: { name: 'weather', arguments: '{"city":"Oslo","unit":"C"}' } }],
          },
        ],
      },
      toolCalls: [{ round: 1, name: 'weather', arguments: { unit: 'C', city: 'Oslo' }, result: '4°C', latencyMs: 12 }],
    });
    expect(outline(timeline.request)).toEqual([
      'user: Weather?',
      'call weather round 1 {"city":"Oslo","unit":"C"} -> "4°C" in 12 ms',
    ]);
    expect(outline(timeline.response)).toEqual(['output']);
  });

  it('reads OpenAI Responses items: consecutive calls are one round, outputs paired by call id', () => {
    const timeline = buildTimeline({
      request: {
        messages: [
          { role: 'user', content: [{ type: 'input_text', text: 'Compare two cities' }] },
          { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Two lookups.' }] },
          { type: 'function_call', call_id: 'a', name: 'weather', arguments: '{"city":"Oslo"}' },
          { type: 'function_call', call_id: 'b', name: 'weather', arguments: '{"city":"Rome"}' },
          { type: 'function_call_output', call_id: 'a', output: '4' },
          { type: 'function_call_output', call_id: 'b', output: '19' },
          { type: 'function_call', call_id: 'c', name: 'compare', arguments: '{}' },
        ],
      },
    });
    expect(outline(timeline.request)).toEqual([
      'user: Compare two cities',
      'thinking: Two lookups.',
      'call weather round 1 {"city":"Oslo"} -> "4"',
      'call weather round 1 {"city":"Rome"} -> "19"',
      'call compare round 2 {} -> pending',
    ]);
  });

  it("reads the OTLP receiver's messages: parts with tool_call, tool_result and reasoning", () => {
    const timeline = buildTimeline({
      request: {
        messages: [
          { role: 'user', content: 'Find order 9' },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Use the tool.' },
              { type: 'tool_call', id: 't1', name: 'find', arguments: { id: 9 } },
            ],
          },
          { role: 'tool', toolCallId: 't1', content: [{ type: 'tool_result', id: 't1', content: { found: true } }] },
        ],
      },
      toolCalls: [{ round: 1, name: 'summarise', arguments: {} }],
    });
    expect(outline(timeline.request)).toEqual([
      'user: Find order 9',
      'thinking: Use the tool.',
      'call find round 1 {"id":9} -> {"found":true}',
    ]);
  });

  it('copes with missing or unexpected parts', () => {
    expect(buildTimeline({})).toEqual({ request: [], response: [{ kind: 'output', phase: 'response' }] });
    const timeline = buildTimeline({
      request: {
        messages: [
          'plain text',
          42,
          {
            content: [
              { type: 'mystery', x: 1 },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
        ],
      },
      thinking: [' ', { note: 'odd' }],
    });
    expect(outline(timeline.request)).toEqual([
      'message: plain text',
      'message: data',
      'message: data | [image: https://example.com/a.png]',
    ]);
    expect(outline(timeline.response)).toEqual(['thinking: {"note":"odd"}', 'output']);
  });
});
