import type { ExecutionDetail } from '@promptlog/contracts';

/** What one turn of the conversation holds: text, an attachment named (never loaded), or data we cannot read. */
export type TimelinePart =
  | { type: 'text'; text: string }
  | { type: 'attachment'; kind: 'image' | 'audio' | 'file'; label: string }
  | { type: 'data'; value: unknown };

export type Phase = 'request' | 'response';

export type ToolCallEvent = {
  kind: 'tool-call';
  phase: Phase;
  id: string | null;
  name: string;
  arguments: unknown;
  /** Counted from 1, as trace steps are; null when neither the log nor the conversation says. */
  round: number | null;
  latencyMs: number | null;
  result: { value: unknown; failed: boolean } | null;
  error: { value: unknown } | null;
};

export type TimelineEvent =
  | { kind: 'system'; phase: 'request'; role: string; parts: TimelinePart[] }
  | { kind: 'message'; phase: Phase; role: string; name: string | null; parts: TimelinePart[] }
  | { kind: 'thinking'; phase: Phase; text: string; redacted: boolean }
  | ToolCallEvent
  | { kind: 'tool-result'; phase: 'request'; id: string | null; name: string | null; value: unknown; failed: boolean }
  /** Where the model's output (or its error) goes: the drawer's Result. */
  | { kind: 'output'; phase: 'response' };

export type Timeline = { request: TimelineEvent[]; response: TimelineEvent[] };

export type TimelineSource = Pick<ExecutionDetail, 'request' | 'toolCalls' | 'thinking'>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** OpenAI sends tool arguments as a JSON string: shown as the structure it encodes when it parses. */
export function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Tool-call rounds as logged, counted from 1: a log whose rounds start at 0 counted from 0, so each moves up by one.
 * The SDK and the OTLP receiver count from 1 already.
 */
export function displayRounds(toolCalls: readonly { round: number }[] | undefined): number[] {
  const rounds = (toolCalls ?? []).map((call) => call.round);
  const offset = rounds.length > 0 && Math.min(...rounds) === 0 ? 1 : 0;
  return rounds.map((round) => round + offset);
}

function kilobytes(base64Length: number): string {
  const bytes = Math.floor((base64Length * 3) / 4);
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

/** A data: URL is named by its type and size, never shown or loaded; a link is named by its address. */
function describeLocation(url: string): string {
  const data = /^data:([^;,]*)(?:;[^,]*)?,/.exec(url);
  if (data) return `${data[1] || 'data'}, inline (${kilobytes(url.length - data[0].length)})`;
  return url;
}

function describeSource(source: unknown): string {
  if (!isRecord(source)) return 'inline';
  const mediaType = text(source.media_type);
  if (typeof source.url === 'string') return describeLocation(source.url);
  if (typeof source.file_id === 'string') return `file ${source.file_id}`;
  if (typeof source.data === 'string') return `${mediaType ?? 'data'}, inline (${kilobytes(source.data.length)})`;
  return mediaType ?? 'inline';
}

function attachmentOf(block: Record<string, unknown>): TimelinePart | null {
  switch (block.type) {
    case 'image_url': {
      const url = isRecord(block.image_url) ? text(block.image_url.url) : text(block.image_url);
      return { type: 'attachment', kind: 'image', label: url ? describeLocation(url) : 'image' };
    }
    case 'input_image': {
      const url = text(block.image_url);
      const file = text(block.file_id);
      return {
        type: 'attachment',
        kind: 'image',
        label: url ? describeLocation(url) : file ? `file ${file}` : 'image',
      };
    }
    case 'image':
      return { type: 'attachment', kind: 'image', label: describeSource(block.source) };
    case 'document': {
      const title = text(block.title);
      const source = describeSource(block.source);
      return { type: 'attachment', kind: 'file', label: title ? `${title} (${source})` : source };
    }
    case 'file':
    case 'input_file': {
      const file = isRecord(block.file) ? block.file : block;
      const name = text(file.filename) ?? text(file.file_id) ?? text(file.file_url);
      return { type: 'attachment', kind: 'file', label: name ?? 'file' };
    }
    case 'input_audio':
    case 'audio': {
      const audio = isRecord(block.input_audio) ? block.input_audio : block;
      const format = text(audio.format);
      return { type: 'attachment', kind: 'audio', label: format ? `${format} audio` : 'audio' };
    }
    default:
      return null;
  }
}

const TEXT_BLOCKS = new Set(['text', 'input_text', 'output_text']);
const THINKING_BLOCKS = new Set(['thinking', 'redacted_thinking', 'reasoning']);
const TOOL_USE_BLOCKS = new Set(['tool_use', 'server_tool_use', 'tool_call', 'function_call', 'custom_tool_call']);
const TOOL_RESULT_BLOCKS = new Set(['tool_result', 'function_call_output', 'custom_tool_call_output']);

function thinkingOf(block: unknown): { text: string; redacted: boolean } {
  if (typeof block === 'string') return { text: block, redacted: false };
  if (!isRecord(block)) return { text: JSON.stringify(block) ?? '', redacted: false };
  if (block.type === 'redacted_thinking') return { text: '', redacted: true };
  const direct = text(block.thinking) ?? text(block.text) ?? text(block.content);
  if (direct !== null) return { text: direct, redacted: false };
  // The Responses API's reasoning item: a summary of parts, and encrypted content that only says it exists.
  const summary = Array.isArray(block.summary) ? block.summary : Array.isArray(block.content) ? block.content : [];
  const parts = summary.map((part) => (isRecord(part) ? (text(part.text) ?? '') : (text(part) ?? '')));
  if (parts.some(Boolean)) return { text: parts.filter(Boolean).join('\n\n'), redacted: false };
  if (block.encrypted_content !== undefined) return { text: '', redacted: true };
  return { text: JSON.stringify(block) ?? '', redacted: false };
}

/** Text of a tool result: most are text, or a list of text blocks; anything else stays data. */
function resultValue(content: unknown): unknown {
  if (Array.isArray(content) && content.every((part) => isRecord(part) && TEXT_BLOCKS.has(String(part.type)))) {
    return content.map((part) => (isRecord(part) ? (text(part.text) ?? '') : '')).join('');
  }
  return parseArguments(content);
}

/** Walks the request's messages in order: OpenAI chat and Responses items, Anthropic blocks, OTLP parts. */
function requestEvents(request: TimelineSource['request']): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const callsById = new Map<string, ToolCallEvent>();
  let round = 0;
  let inCallItems = false;

  if (request?.systemPrompt) {
    events.push({
      kind: 'system',
      phase: 'request',
      role: 'system',
      parts: [{ type: 'text', text: request.systemPrompt }],
    });
  }

  const addCall = (call: Omit<ToolCallEvent, 'kind' | 'phase' | 'latencyMs' | 'result' | 'error'>) => {
    const event: ToolCallEvent = {
      kind: 'tool-call',
      phase: 'request',
      latencyMs: null,
      result: null,
      error: null,
      ...call,
    };
    if (call.id) callsById.set(call.id, event);
    events.push(event);
  };
  const addResult = (id: string | null, value: unknown, failed: boolean, name: string | null = null) => {
    const call = id ? callsById.get(id) : undefined;
    if (call && !call.result) call.result = { value: resultValue(value), failed };
    else events.push({ kind: 'tool-result', phase: 'request', id, name, value: resultValue(value), failed });
  };

  const messages = Array.isArray(request?.messages) ? request.messages : [];
  for (const message of messages) {
    if (!isRecord(message)) {
      events.push({ kind: 'message', phase: 'request', role: 'message', name: null, parts: partsOf(message) });
      inCallItems = false;
      continue;
    }
    const type = text(message.type);
    // Responses API input items that are not messages: consecutive calls are one round.
    if (type && TOOL_USE_BLOCKS.has(type) && message.role === undefined) {
      if (!inCallItems) round += 1;
      inCallItems = true;
      addCall({
        id: text(message.call_id) ?? text(message.id),
        name: text(message.name) ?? 'tool',
        arguments: parseArguments(message.arguments ?? message.input),
        round,
      });
      continue;
    }
    inCallItems = false;
    if (type && TOOL_RESULT_BLOCKS.has(type) && message.role === undefined) {
      addResult(text(message.call_id) ?? text(message.id), message.output ?? message.content, false);
      continue;
    }
    if (type && THINKING_BLOCKS.has(type) && message.role === undefined) {
      events.push({ kind: 'thinking', phase: 'request', ...thinkingOf(message) });
      continue;
    }

    const role = text(message.role) ?? 'message';
    const name = text(message.name);
    // A tool message carries one result; the OTLP receiver's carries tool_result parts, read like Anthropic's.
    const toolResultParts =
      Array.isArray(message.content) &&
      message.content.some((block) => isRecord(block) && TOOL_RESULT_BLOCKS.has(String(block.type)));
    if (role === 'tool' && !toolResultParts) {
      addResult(text(message.tool_call_id) ?? text(message.toolCallId), message.content, false, name);
      continue;
    }
    if (role === 'function') {
      events.push({
        kind: 'tool-result',
        phase: 'request',
        id: null,
        name,
        value: resultValue(message.content),
        failed: false,
      });
      continue;
    }
    if (role === 'system' || role === 'developer') {
      events.push({ kind: 'system', phase: 'request', role, parts: partsOf(message.content) });
      continue;
    }

    let parts: TimelinePart[] = [];
    let roundCounted = false;
    const flush = () => {
      if (parts.length > 0) events.push({ kind: 'message', phase: 'request', role, name, parts });
      parts = [];
    };
    const call = (id: string | null, callName: string, args: unknown) => {
      flush();
      if (!roundCounted) round += 1;
      roundCounted = true;
      addCall({ id, name: callName, arguments: parseArguments(args), round });
    };

    const reasoning = text(message.reasoning_content);
    if (reasoning) events.push({ kind: 'thinking', phase: 'request', text: reasoning, redacted: false });

    const content = message.content;
    if (Array.isArray(content)) {
      for (const block of content) {
        const blockType = isRecord(block) ? text(block.type) : null;
        if (!isRecord(block) || !blockType) {
          parts.push(...partsOf(block));
        } else if (TEXT_BLOCKS.has(blockType)) {
          parts.push({ type: 'text', text: text(block.text) ?? '' });
        } else if (blockType === 'refusal') {
          parts.push({ type: 'text', text: text(block.refusal) ?? '' });
        } else if (THINKING_BLOCKS.has(blockType)) {
          flush();
          events.push({ kind: 'thinking', phase: 'request', ...thinkingOf(block) });
        } else if (TOOL_USE_BLOCKS.has(blockType)) {
          call(text(block.id) ?? text(block.call_id), text(block.name) ?? 'tool', block.input ?? block.arguments);
        } else if (TOOL_RESULT_BLOCKS.has(blockType)) {
          flush();
          addResult(
            text(block.tool_use_id) ?? text(block.id) ?? text(block.call_id),
            block.content ?? block.output,
            block.is_error === true,
          );
        } else {
          parts.push(attachmentOf(block) ?? { type: 'data', value: block });
        }
      }
    } else if (content !== undefined && content !== null) {
      parts.push(...partsOf(content));
    }
    flush();

    if (Array.isArray(message.tool_calls)) {
      for (const toolCall of message.tool_calls) {
        if (!isRecord(toolCall)) continue;
        const fn = isRecord(toolCall.function) ? toolCall.function : isRecord(toolCall.custom) ? toolCall.custom : {};
        call(text(toolCall.id), text(fn.name) ?? 'tool', fn.arguments ?? fn.input);
      }
    }
    if (isRecord(message.function_call)) {
      call(null, text(message.function_call.name) ?? 'tool', message.function_call.arguments);
    }
  }
  return events;
}

function partsOf(content: unknown): TimelinePart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (Array.isArray(content)) {
    return content.map((block): TimelinePart => {
      if (typeof block === 'string') return { type: 'text', text: block };
      if (isRecord(block) && TEXT_BLOCKS.has(String(block.type))) return { type: 'text', text: text(block.text) ?? '' };
      return (isRecord(block) && attachmentOf(block)) || { type: 'data', value: block };
    });
  }
  if (content === undefined || content === null) return [];
  return [{ type: 'data', value: content }];
}

function thinkingEvents(thinking: TimelineSource['thinking']): TimelineEvent[] {
  if (thinking === undefined || thinking === null) return [];
  const blocks = typeof thinking === 'string' ? [thinking] : thinking;
  return blocks
    .map((block) => thinkingOf(block))
    .filter((block) => block.redacted || block.text.trim() !== '')
    .map((block) => ({ kind: 'thinking' as const, phase: 'response' as const, ...block }));
}

/**
 * The conversation in the order it happened: what was sent (system prompt, then the messages with their tool
 * calls, each paired with its result by id), then the answer: thinking, the tool calls this run completed, the
 * output, and last the tool calls the model asked for whose results go to the next call.
 * A logged tool call that matches one in the messages (same name and arguments) completes it instead.
 */
export function buildTimeline(source: TimelineSource): Timeline {
  const request = requestEvents(source.request);
  const logged = source.toolCalls ?? [];
  const rounds = displayRounds(logged);
  const history = request.filter((event): event is ToolCallEvent => event.kind === 'tool-call');
  const matched = new Set<ToolCallEvent>();
  const completed: ToolCallEvent[] = [];
  const requested: ToolCallEvent[] = [];

  logged.forEach((call, index) => {
    const round = rounds[index] ?? null;
    const args = parseArguments(call.arguments);
    const hasResult = call.result !== undefined;
    const hasError = call.error !== undefined && call.error !== null;
    const known = history.find(
      (event) => !matched.has(event) && event.name === call.name && stableJson(event.arguments) === stableJson(args),
    );
    if (known) {
      matched.add(known);
      known.round = round;
      known.latencyMs = call.latencyMs ?? null;
      if (hasResult && !known.result) known.result = { value: parseArguments(call.result), failed: false };
      if (hasError) known.error = { value: call.error };
      return;
    }
    const event: ToolCallEvent = {
      kind: 'tool-call',
      phase: 'response',
      id: null,
      name: call.name,
      arguments: args,
      round,
      latencyMs: call.latencyMs ?? null,
      result: hasResult ? { value: parseArguments(call.result), failed: false } : null,
      error: hasError ? { value: call.error } : null,
    };
    (hasResult || hasError ? completed : requested).push(event);
  });
  completed.sort((a, b) => (a.round ?? 0) - (b.round ?? 0));

  return {
    request,
    response: [...thinkingEvents(source.thinking), ...completed, { kind: 'output', phase: 'response' }, ...requested],
  };
}
