import type { ExecutionRequest, ToolCall } from '../types.js';
import type { CallResult } from './call-recorder.js';
import type { StreamAccumulator } from './follow.js';
import {
  asArray,
  asString,
  asWire,
  inclusiveUsage,
  isObject,
  parseJsonOrText,
  requestedModel,
  textOfContent,
  withoutKeys,
} from './mapping.js';

/*
 * Wire shapes of the Anthropic Messages API as far as the wrapper reads them. Every field is
 * optional; a type test checks the @anthropic-ai/sdk's own types still fit them.
 */

export interface AnthropicUsageWire {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

export interface AnthropicMessageWire {
  id?: string;
  model?: string;
  content?: unknown[];
  usage?: AnthropicUsageWire | null;
}

export function describeMessagesRequest(params: Record<string, unknown>): {
  model: string;
  request: ExecutionRequest;
} {
  return {
    model: requestedModel(params),
    request: {
      systemPrompt: textOfContent(params.system),
      // A copy: the application may push the reply onto its array before a stream has ended.
      messages: [...asArray(params.messages)],
      parameters: withoutKeys(params, ['messages', 'system']),
    },
  };
}

export function messageResult(value: unknown, params: Record<string, unknown>): CallResult {
  const message = asWire<AnthropicMessageWire>(value);
  const blocks = asArray(message?.content).filter(isObject);
  const text = blocks
    .filter((block) => block.type === 'text')
    .map((block) => asString(block.text) ?? '')
    .join('');
  const format = isObject(params.output_config) ? params.output_config.format : undefined;
  const structured = isObject(format) && format.type === 'json_schema';
  const round = toolRound(params);
  return {
    status: 'success',
    model: message?.model,
    requestId: message?.id,
    output: text ? (structured ? parseJsonOrText(text) : text) : undefined,
    thinking: blocks.flatMap((block) => {
      if (block.type === 'thinking') return [{ type: 'thinking', thinking: asString(block.thinking) ?? '' }];
      // Redacted thinking is encrypted: only its presence is worth recording.
      if (block.type === 'redacted_thinking') return [{ type: 'redacted_thinking' }];
      return [];
    }),
    toolCalls: blocks.flatMap((block): ToolCall[] => {
      if ((block.type !== 'tool_use' && block.type !== 'server_tool_use') || typeof block.name !== 'string') return [];
      const result = blocks.find((other) => other.tool_use_id === block.id && other !== block);
      return [{ round, name: block.name, arguments: block.input ?? {}, ...(result ? { result: result.content } : {}) }];
    }),
    usage: anthropicUsage(message?.usage),
  };
}

/**
 * Anthropic's input_tokens excludes the cache: cache reads and writes are added to it, so that
 * inputTokens includes them as Promptlog's convention requires.
 */
function anthropicUsage(usage: AnthropicUsageWire | null | undefined) {
  if (!usage) return undefined;
  const input = usage.input_tokens ?? 0;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return inclusiveUsage({
    input: input + cacheRead + cacheWrite,
    output: usage.output_tokens,
    cacheRead,
    cacheWrite,
    reasoning: usage.output_tokens_details?.thinking_tokens,
  });
}

/** 1 + the assistant turns that already used tools in this conversation. */
function toolRound(params: Record<string, unknown>): number {
  const previous = asArray(params.messages).filter(
    (message) =>
      isObject(message) &&
      message.role === 'assistant' &&
      asArray(message.content).some((block) => isObject(block) && block.type === 'tool_use'),
  ).length;
  return previous + 1;
}

/** Rebuilds a Message from the raw events of `messages.create({ stream: true })`. */
export class MessageEvents implements StreamAccumulator {
  private message: { id?: string; model?: string; content: Record<string, unknown>[]; usage: AnthropicUsageWire } = {
    content: [],
    usage: {},
  };
  private readonly partialJson = new Map<number, string>();
  private stopped = false;

  add(value: unknown): boolean {
    if (!isObject(value)) return false;
    const index = typeof value.index === 'number' ? value.index : 0;
    switch (value.type) {
      case 'message_start': {
        const start = asWire<AnthropicMessageWire>(value.message);
        this.message = { id: start?.id, model: start?.model, content: [], usage: { ...start?.usage } };
        return false;
      }
      case 'content_block_start':
        if (isObject(value.content_block)) this.message.content[index] = { ...value.content_block };
        return false;
      case 'content_block_delta':
        this.addDelta(index, value.delta);
        return true;
      case 'content_block_stop': {
        const json = this.partialJson.get(index);
        const block = this.message.content[index];
        if (json !== undefined && block) block.input = json ? parseJsonOrText(json) : {};
        return false;
      }
      case 'message_delta':
        // Totals for the whole message: a present value replaces the one from message_start.
        for (const [key, total] of Object.entries(isObject(value.usage) ? value.usage : {})) {
          if (total !== null && total !== undefined) Object.assign(this.message.usage, { [key]: total });
        }
        return false;
      case 'message_stop':
        this.stopped = true;
        return false;
      default:
        return false;
    }
  }

  get complete(): boolean {
    return this.stopped;
  }

  result(params: Record<string, unknown>, status: CallResult['status']): CallResult {
    const message = { ...this.message, content: this.message.content.filter(isObject) };
    return {
      ...messageResult(message, status === 'success' ? params : withoutKeys(params, ['output_config'])),
      status,
    };
  }

  private addDelta(index: number, delta: unknown): void {
    const block = this.message.content[index];
    if (!isObject(delta) || !block) return;
    if (delta.type === 'text_delta') block.text = (asString(block.text) ?? '') + (asString(delta.text) ?? '');
    else if (delta.type === 'thinking_delta') {
      block.thinking = (asString(block.thinking) ?? '') + (asString(delta.thinking) ?? '');
    } else if (delta.type === 'input_json_delta') {
      this.partialJson.set(index, (this.partialJson.get(index) ?? '') + (asString(delta.partial_json) ?? ''));
    }
  }
}
