import { MAX_PAYLOAD_NESTING } from '@promptlog/contracts';
import type { AttributeValue } from './otlp-model';
import { isRecord, json, text } from './span-view';

/**
 * Messages in one shape whatever the dialect: `content` is the text when a message is only text, else its parts
 * (text, tool_call, tool_result, reasoning), which the drawer renders as such.
 */
export interface Message {
  role: string;
  content: string | Part[];
  name?: string;
  toolCallId?: string;
}
export type Part =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; id?: string; name: string; arguments: unknown }
  | { type: 'tool_result'; id?: string; content: unknown };

export interface ToolCallSeen {
  id?: string;
  name: string;
  arguments: unknown;
}

function message(role: string, parts: Part[], extra: { name?: string; toolCallId?: string } = {}): Message {
  const onlyText = parts.every((p) => p.type === 'text');
  const content = onlyText ? parts.map((p) => (p.type === 'text' ? p.text : '')).join('') : parts;
  return { role, content, ...(extra.name ? { name: extra.name } : {}), ...(extra.toolCallId ? extra : {}) };
}

/** OpenTelemetry's gen_ai.input.messages / gen_ai.output.messages: [{ role, parts: [{ type, … }] }]. */
export function fromGenAiMessages(list: unknown[]): Message[] {
  return list.filter(isRecord).map((m) => {
    const parts = Array.isArray(m.parts) ? m.parts.filter(isRecord).map(genAiPart) : [];
    return message(String(m.role ?? 'assistant'), parts, { name: optionalText(m.name) });
  });
}

function genAiPart(part: Record<string, unknown>): Part {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: String(part.content ?? '') };
    case 'reasoning':
      return { type: 'reasoning', text: String(part.content ?? '') };
    case 'tool_call':
      return { type: 'tool_call', id: optionalText(part.id), name: String(part.name ?? ''), arguments: part.arguments };
    case 'tool_call_response':
      return { type: 'tool_result', id: optionalText(part.id), content: part.response ?? part.result };
    default:
      return { type: 'text', text: typeof part.content === 'string' ? part.content : JSON.stringify(part) };
  }
}

/** gen_ai.system_instructions: a list of parts (or plain text) with the system prompt. */
export function systemInstructionsText(value: AttributeValue | undefined): string | undefined {
  const parsed = json(value);
  if (typeof parsed === 'string') return parsed || undefined;
  if (!Array.isArray(parsed)) return undefined;
  const texts = parsed.filter(isRecord).map((p) => String(p.content ?? p.text ?? ''));
  return texts.join('\n\n') || undefined;
}

/**
 * Turns `{ "0.message.role": "user", … }` into `[{ message: { role: "user" } }]`. Keys are the sender's: the nodes have
 * no prototype, so a "__proto__" segment is an ordinary key, and keys nested deeper than payloads may be are left out.
 */
export function unflatten(entries: [string, AttributeValue][]): unknown {
  const root = node();
  for (const [key, value] of entries) {
    const path = key.split('.');
    if (path.length > MAX_PAYLOAD_NESTING) continue;
    let at = root;
    for (const [i, segment] of path.entries()) {
      if (i === path.length - 1) {
        at[segment] = value;
      } else {
        const next = at[segment];
        if (isRecord(next)) {
          at = next;
        } else {
          const child = node();
          at[segment] = child;
          at = child;
        }
      }
    }
  }
  return arraysOf(root);
}

function node(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function arraysOf(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => arraysOf(value[k]));
  }
  return Object.fromEntries(keys.map((k) => [k, arraysOf(value[k])]));
}

/** OpenInference: llm.input_messages.N.message.{role, content, contents.M.message_content.*, tool_calls.K.tool_call.*}. */
export function fromOpenInferenceMessages(flat: unknown): Message[] {
  if (!Array.isArray(flat)) return [];
  return flat.filter(isRecord).map((entry) => {
    const m = isRecord(entry.message) ? entry.message : {};
    const parts: Part[] = [];
    if (typeof m.content === 'string') parts.push({ type: 'text', text: m.content });
    for (const c of Array.isArray(m.contents) ? m.contents : []) {
      const content = isRecord(c) && isRecord(c.message_content) ? c.message_content : {};
      if (typeof content.text === 'string') parts.push({ type: 'text', text: content.text });
    }
    for (const t of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      const call = isRecord(t) && isRecord(t.tool_call) ? t.tool_call : {};
      const fn = isRecord(call.function) ? call.function : {};
      parts.push({
        type: 'tool_call',
        id: optionalText(call.id),
        name: String(fn.name ?? ''),
        arguments: json(fn.arguments as AttributeValue),
      });
    }
    return message(String(m.role ?? 'user'), parts, {
      name: optionalText(m.name),
      toolCallId: optionalText(m.tool_call_id),
    });
  });
}

/** OpenLLMetry: gen_ai.prompt.N.{role, content, tool_calls.K.{id, name, arguments}, tool_call_id}. */
export function fromOpenLlmetryMessages(flat: unknown): Message[] {
  if (!Array.isArray(flat)) return [];
  return flat.filter(isRecord).map((m) => {
    const parts: Part[] = [];
    if (m.content !== undefined && m.content !== null) parts.push({ type: 'text', text: String(m.content) });
    for (const t of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      if (!isRecord(t)) continue;
      parts.push({
        type: 'tool_call',
        id: optionalText(t.id),
        name: String(t.name ?? ''),
        arguments: json(t.arguments as AttributeValue),
      });
    }
    return message(String(m.role ?? 'user'), parts, { toolCallId: optionalText(m.tool_call_id) });
  });
}

/** The Vercel AI SDK's ai.prompt.messages: { role, content: string | [{ type: text | tool-call | tool-result … }] }. */
export function fromAiSdkMessages(list: unknown[]): Message[] {
  return list.filter(isRecord).map((m) => {
    const role = String(m.role ?? 'user');
    if (typeof m.content === 'string') return { role, content: m.content };
    const parts: Part[] = (Array.isArray(m.content) ? m.content : []).filter(isRecord).map((part): Part => {
      if (part.type === 'text') return { type: 'text', text: String(part.text ?? '') };
      if (part.type === 'reasoning') return { type: 'reasoning', text: String(part.text ?? '') };
      if (part.type === 'tool-call') {
        return {
          type: 'tool_call',
          id: optionalText(part.toolCallId),
          name: String(part.toolName ?? ''),
          arguments: part.input ?? part.args,
        };
      }
      if (part.type === 'tool-result') {
        const output =
          isRecord(part.output) && 'value' in part.output ? part.output.value : (part.output ?? part.result);
        return { type: 'tool_result', id: optionalText(part.toolCallId), content: output };
      }
      return { type: 'text', text: JSON.stringify(part) };
    });
    return message(role, parts);
  });
}

/** The text of the system messages among `messages`, for dialects that send the system prompt as a message. */
export function systemText(messages: Message[]): string | undefined {
  const texts = messages.filter((m) => m.role === 'system').map((m) => contentText(m.content));
  return texts.join('\n\n') || undefined;
}

export function contentText(content: Message['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((p) => (p.type === 'text' ? p.text : ''))
    .filter(Boolean)
    .join('');
}

export function toolCallsOf(messages: Message[]): ToolCallSeen[] {
  const calls: ToolCallSeen[] = [];
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const p of m.content)
      if (p.type === 'tool_call') calls.push({ id: p.id, name: p.name, arguments: p.arguments });
  }
  return calls;
}

export function reasoningOf(messages: Message[]): string | undefined {
  const texts: string[] = [];
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const p of m.content) if (p.type === 'reasoning' && p.text) texts.push(p.text);
  }
  return texts.join('\n\n') || undefined;
}

function optionalText(value: unknown): string | undefined {
  return text(value as AttributeValue);
}
