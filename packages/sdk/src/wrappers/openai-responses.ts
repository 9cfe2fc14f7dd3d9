import type { ExecutionRequest, ToolCall } from '../types.js';
import type { CallResult } from './call-recorder.js';
import type { StreamAccumulator } from './follow.js';
import {
  asArray,
  asString,
  asWire,
  inclusiveUsage,
  isObject,
  isToolCall,
  parseJsonOrText,
  requestedModel,
  wantsJson,
  withoutKeys,
} from './mapping.js';

/*
 * Responses as the OpenAI API sends them, as far as the wrapper reads them. Every field is optional;
 * a type test checks the openai SDK's own types still fit.
 */

export interface ResponseUsageWire {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  output_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface ResponseWire {
  id?: string;
  model?: string;
  status?: string | null;
  error?: { code?: string | null; message?: string } | null;
  output?: unknown[];
  usage?: ResponseUsageWire | null;
}

export function describeResponsesRequest(params: Record<string, unknown>): {
  model: string;
  request: ExecutionRequest;
} {
  const input = params.input;
  return {
    model: requestedModel(params),
    request: {
      systemPrompt: asString(params.instructions),
      messages: typeof input === 'string' ? [{ role: 'user', content: input }] : [...asArray(input)],
      parameters: withoutKeys(params, ['input', 'instructions']),
    },
  };
}

export function responseResult(value: unknown, params: Record<string, unknown>): CallResult {
  const response = asWire<ResponseWire>(value);
  const round = responsesToolRound(params);
  const items = asArray(response?.output).filter(isObject);
  const text = items
    .filter((item) => item.type === 'message')
    .flatMap((item) => asArray(item.content))
    .map((part) => (isObject(part) && part.type === 'output_text' ? asString(part.text) : undefined))
    .filter((part): part is string => part !== undefined)
    .join('');
  const refusal = items
    .flatMap((item) => asArray(item.content))
    .map((part) => (isObject(part) && part.type === 'refusal' ? asString(part.refusal) : undefined))
    .find((part) => part !== undefined);
  const failed = response?.status === 'failed';
  const format = isObject(params.text) ? params.text.format : undefined;
  return {
    status: failed ? 'error' : response?.status === 'cancelled' ? 'cancelled' : 'success',
    model: response?.model,
    requestId: response?.id,
    output: text ? (wantsJson(format) ? parseJsonOrText(text) : text) : refusal,
    error: failed
      ? {
          type: 'provider',
          message: response?.error?.message ?? 'The response failed',
          ...(response?.error?.code ? { code: response.error.code } : {}),
        }
      : undefined,
    toolCalls: items.map((item) => responseToolCall(item, round)).filter(isToolCall),
    thinking: items
      .filter((item) => item.type === 'reasoning')
      .flatMap((item) => asArray(item.summary))
      .map((part) => (isObject(part) ? asString(part.text) : undefined))
      .filter((part): part is string => Boolean(part))
      .map((text) => ({ type: 'reasoning_summary', text })),
    usage: response?.usage
      ? inclusiveUsage({
          input: response.usage.input_tokens,
          output: response.usage.output_tokens,
          cacheRead: response.usage.input_tokens_details?.cached_tokens,
          cacheWrite: response.usage.input_tokens_details?.cache_write_tokens,
          reasoning: response.usage.output_tokens_details?.reasoning_tokens,
        })
      : undefined,
  };
}

/** Follows a Responses API event stream; its final event carries the whole response. */
export class ResponsesStream implements StreamAccumulator {
  private final: unknown;
  private partial: { id?: string; model?: string; text: string } = { text: '' };
  private streamError: { code?: string; message: string } | undefined;

  /** Adds an event; true when it carries generated content. */
  add(value: unknown): boolean {
    if (!isObject(value) || typeof value.type !== 'string') return false;
    const type = value.type;
    if (type === 'response.created' && isObject(value.response)) {
      this.partial.id = asString(value.response.id);
      this.partial.model = asString(value.response.model);
    } else if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      this.final = value.response;
    } else if (type === 'error') {
      this.streamError = { message: asString(value.message) ?? 'The stream failed', code: asString(value.code) };
    } else if (type === 'response.output_text.delta') {
      this.partial.text += asString(value.delta) ?? '';
    }
    return type.endsWith('.delta');
  }

  get complete(): boolean {
    return this.final !== undefined || this.streamError !== undefined;
  }

  result(params: Record<string, unknown>, status: CallResult['status']): CallResult {
    if (this.final !== undefined && status === 'success') return responseResult(this.final, params);
    if (this.streamError) {
      const { code, message } = this.streamError;
      return { ...this.partialResult('error'), error: { type: 'provider', message, ...(code ? { code } : {}) } };
    }
    return this.partialResult(status);
  }

  private partialResult(status: CallResult['status']): CallResult {
    return {
      status,
      model: this.partial.model,
      requestId: this.partial.id,
      output: this.partial.text || undefined,
    };
  }
}

function responseToolCall(item: Record<string, unknown>, round: number): ToolCall | undefined {
  const type = asString(item.type) ?? '';
  if (type === 'function_call' && typeof item.name === 'string') {
    return { round, name: item.name, arguments: parseJsonOrText(asString(item.arguments) ?? '') };
  }
  if (type === 'custom_tool_call' && typeof item.name === 'string') {
    return { round, name: item.name, arguments: item.input ?? '' };
  }
  if (type.endsWith('_call') && type !== 'function_call' && type !== 'custom_tool_call') {
    const { id: _id, type: _type, status: _status, ...details } = item;
    return { round, name: type.slice(0, -'_call'.length), arguments: details };
  }
  return undefined;
}

/** 1 + the groups of function calls already in the input (each group is one earlier round). */
function responsesToolRound(params: Record<string, unknown>): number {
  let rounds = 0;
  let inCalls = false;
  for (const item of asArray(params.input)) {
    const isCall = isObject(item) && item.type === 'function_call';
    if (isCall && !inCalls) rounds++;
    inCalls = isCall;
  }
  return rounds + 1;
}
