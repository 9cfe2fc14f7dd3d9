import type { ExecutionRequest, ToolCall } from '../types.js';
import type { CallResult } from './call-recorder.js';
import type { StreamAccumulator } from './follow.js';
import {
  asArray,
  asWire,
  inclusiveUsage,
  isObject,
  isToolCall,
  oneOrMany,
  parseJsonOrText,
  requestedModel,
  textOfContent,
  wantsJson,
  withoutKeys,
} from './mapping.js';

/*
 * Chat completions as the OpenAI API sends them, as far as the wrapper reads them. Every field is
 * optional, so any response reads safely; a type test checks the openai SDK's own types still fit.
 */

export interface ChatUsageWire {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface ChatToolCallWire {
  type?: string;
  function?: { name?: string; arguments?: string };
  custom?: { name?: string; input?: string };
}

export interface ChatMessageWire {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ChatToolCallWire[];
  /** Sent by OpenAI-compatible servers (DeepSeek, vLLM, OpenRouter), not by OpenAI. */
  reasoning_content?: string | null;
}

export interface ChatCompletionWire {
  id?: string;
  model?: string;
  choices?: { index?: number; message?: ChatMessageWire; finish_reason?: string | null }[];
  usage?: ChatUsageWire | null;
}

export interface ChatCompletionChunkWire {
  id?: string;
  model?: string;
  choices?: {
    index?: number;
    delta?: {
      content?: string | null;
      refusal?: string | null;
      reasoning_content?: string | null;
      tool_calls?: { index?: number; function?: { name?: string; arguments?: string }; type?: string }[];
    };
    finish_reason?: string | null;
  }[];
  usage?: ChatUsageWire | null;
}

export function describeChatRequest(params: Record<string, unknown>): { model: string; request: ExecutionRequest } {
  const messages = asArray(params.messages);
  const leadingSystem: string[] = [];
  let first = 0;
  for (const message of messages) {
    const role = isObject(message) ? message.role : undefined;
    const text = isObject(message) ? textOfContent(message.content) : undefined;
    if ((role !== 'system' && role !== 'developer') || text === undefined) break;
    leadingSystem.push(text);
    first++;
  }
  return {
    model: requestedModel(params),
    request: {
      systemPrompt: leadingSystem.length > 0 ? leadingSystem.join('\n\n') : undefined,
      messages: messages.slice(first),
      parameters: withoutKeys(params, ['messages']),
    },
  };
}

export function chatCompletionResult(value: unknown, params: Record<string, unknown>): CallResult {
  const completion = asWire<ChatCompletionWire>(value);
  const round = chatToolRound(params);
  const choices = completion?.choices ?? [];
  const structured = wantsJson(params.response_format);
  return {
    status: 'success',
    model: completion?.model,
    requestId: completion?.id,
    output: oneOrMany(choices.map((choice) => messageOutput(choice.message, structured))),
    toolCalls: choices.flatMap((choice) =>
      (choice.message?.tool_calls ?? []).map((call) => chatToolCall(call, round)).filter(isToolCall),
    ),
    thinking: choices.flatMap((choice) => reasoningBlock(choice.message?.reasoning_content)),
    usage: chatUsage(completion?.usage),
  };
}

interface ChoiceSoFar {
  content: string;
  refusal: string;
  reasoning: string;
  toolCalls: Map<number, { name: string; arguments: string }>;
  finished: boolean;
}

/** Rebuilds a chat completion from its chunks as the application reads them. */
export class ChatStream implements StreamAccumulator {
  private id: string | undefined;
  private model: string | undefined;
  private usage: ChatUsageWire | undefined;
  private readonly choices = new Map<number, ChoiceSoFar>();

  /** Adds a chunk; true when it carries generated content (the first one marks the first token). */
  add(value: unknown): boolean {
    const chunk = asWire<ChatCompletionChunkWire>(value);
    if (!chunk) return false;
    this.id ??= chunk.id;
    this.model ??= chunk.model;
    if (chunk.usage) this.usage = chunk.usage;
    let generated = false;
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      const soFar = this.choices.get(index) ?? {
        content: '',
        refusal: '',
        reasoning: '',
        toolCalls: new Map(),
        finished: false,
      };
      this.choices.set(index, soFar);
      const delta = choice.delta ?? {};
      if (delta.content) soFar.content += delta.content;
      if (delta.refusal) soFar.refusal += delta.refusal;
      if (delta.reasoning_content) soFar.reasoning += delta.reasoning_content;
      for (const call of delta.tool_calls ?? []) {
        const callSoFar = soFar.toolCalls.get(call.index ?? 0) ?? { name: '', arguments: '' };
        callSoFar.name += call.function?.name ?? '';
        callSoFar.arguments += call.function?.arguments ?? '';
        soFar.toolCalls.set(call.index ?? 0, callSoFar);
      }
      generated ||= Boolean(delta.content || delta.refusal || delta.reasoning_content || delta.tool_calls?.length);
      if (choice.finish_reason) soFar.finished = true;
    }
    return generated;
  }

  /** Every choice has its finish reason: reading stopped after the whole answer had arrived. */
  get complete(): boolean {
    return this.choices.size > 0 && [...this.choices.values()].every((choice) => choice.finished);
  }

  result(params: Record<string, unknown>, status: CallResult['status']): CallResult {
    const round = chatToolRound(params);
    const choices = [...this.choices.entries()].sort(([a], [b]) => a - b).map(([, choice]) => choice);
    const structured = status === 'success' && wantsJson(params.response_format);
    return {
      status,
      model: this.model,
      requestId: this.id,
      output: oneOrMany(
        choices.map((choice) =>
          messageOutput({ content: choice.content || null, refusal: choice.refusal || null }, structured),
        ),
      ),
      toolCalls: choices.flatMap((choice) =>
        [...choice.toolCalls.values()]
          .map((call) => chatToolCall({ type: 'function', function: call }, round))
          .filter(isToolCall),
      ),
      thinking: choices.flatMap((choice) => reasoningBlock(choice.reasoning)),
      usage: chatUsage(this.usage),
    };
  }
}

function chatUsage(usage: ChatUsageWire | null | undefined) {
  if (!usage) return undefined;
  // prompt_tokens already includes the cached tokens: OpenAI's counts are inclusive like ours.
  return inclusiveUsage({
    input: usage.prompt_tokens,
    output: usage.completion_tokens,
    cacheRead: usage.prompt_tokens_details?.cached_tokens,
    cacheWrite: usage.prompt_tokens_details?.cache_write_tokens,
    reasoning: usage.completion_tokens_details?.reasoning_tokens,
  });
}

function messageOutput(message: ChatMessageWire | undefined, structured: boolean): unknown {
  if (typeof message?.content === 'string') return structured ? parseJsonOrText(message.content) : message.content;
  return message?.refusal ?? undefined;
}

function chatToolCall(call: ChatToolCallWire, round: number): ToolCall | undefined {
  if (call.function?.name) {
    return { round, name: call.function.name, arguments: parseJsonOrText(call.function.arguments ?? '') };
  }
  if (call.custom?.name) return { round, name: call.custom.name, arguments: call.custom.input ?? '' };
  return undefined;
}

/** 1 + the assistant turns that already asked for tools in this conversation. */
function chatToolRound(params: Record<string, unknown>): number {
  const previous = asArray(params.messages).filter(
    (message) => isObject(message) && message.role === 'assistant' && asArray(message.tool_calls).length > 0,
  ).length;
  return previous + 1;
}

function reasoningBlock(text: string | null | undefined): { type: string; text: string }[] {
  return text ? [{ type: 'reasoning', text }] : [];
}
