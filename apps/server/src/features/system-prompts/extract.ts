import { createHash } from 'node:crypto';
import { type Message, type Part, systemText } from '../otlp/messages';

/** What of a request says the system prompt: the contract's `request`, as sent or as stored (redacted). */
export interface SystemPromptSource {
  systemPrompt?: string;
  messages?: readonly unknown[];
}

const identity = (text: string) => text;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A logged message with role `system` in the shared message shape; only its text counts. */
function asSystemMessage(value: unknown, redact: (text: string) => string): Message | null {
  if (!isRecord(value) || value.role !== 'system') return null;
  if (typeof value.content === 'string') return { role: 'system', content: redact(value.content) };
  if (!Array.isArray(value.content)) return null;
  const parts: Part[] = [];
  for (const part of value.content) {
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') {
      parts.push({ type: 'text', text: redact(part.text) });
    }
  }
  return { role: 'system', content: parts };
}

/**
 * The system prompt of a request: `systemPrompt` when given, else the text of its `system` messages (joined as the
 * OTLP mapping joins them). `redact` is applied to each string as the payload redactor applies it to the stored
 * request, so the text of a request that was not stored hashes the same as that of one that was.
 */
export function systemPromptOf(
  request: SystemPromptSource | null | undefined,
  redact: (text: string) => string = identity,
): string | null {
  if (!request) return null;
  if (typeof request.systemPrompt === 'string' && request.systemPrompt !== '') return redact(request.systemPrompt);
  if (!request.messages) return null;
  const messages: Message[] = [];
  for (const value of request.messages) {
    const message = asSystemMessage(value, redact);
    if (message) messages.push(message);
  }
  return systemText(messages) ?? null;
}

/**
 * The first 128 bits of the text's SHA-256, in hex: half the bytes of the whole digest on a row written for every
 * call, and a collision among a project's texts stays out of reach (about n² / 2¹²⁹ for n texts).
 */
export function systemPromptHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
