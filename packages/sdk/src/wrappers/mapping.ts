import type { ErrorType, ExecutionError, JsonObject, ToolCall, Usage } from '../types.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Provider payloads are read through wire types whose fields are all optional; this is the one place
 * an object from a provider is taken to have that shape (anything missing simply reads as undefined).
 */
export function asWire<Wire extends object>(value: unknown): Wire | undefined {
  return isObject(value) ? (value as Wire) : undefined;
}

export function withoutKeys(object: Record<string, unknown>, keys: readonly string[]): JsonObject {
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (!keys.includes(key) && value !== undefined) rest[key] = value;
  }
  return rest;
}

/** JSON when the text is JSON (tool arguments, structured output), else the text itself. */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The text of message content given as a string or as an array of `{ type: 'text', text }` parts. */
export function textOfContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  const texts = asArray(content)
    .map((part) => (isObject(part) ? asString(part.text) : undefined))
    .filter((text): text is string => text !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/**
 * Usage in Promptlog's inclusive convention, made consistent: the cache counts never exceed the
 * input and reasoning never exceeds the output, as the server requires.
 */
export function inclusiveUsage(counts: {
  input: unknown;
  output: unknown;
  cacheRead?: unknown;
  cacheWrite?: unknown;
  reasoning?: unknown;
}): Usage {
  const inputTokens = asCount(counts.input);
  const outputTokens = asCount(counts.output);
  const cacheReadTokens = Math.min(asCount(counts.cacheRead), inputTokens);
  const cacheWriteTokens = Math.min(asCount(counts.cacheWrite), inputTokens - cacheReadTokens);
  const reasoningTokens = Math.min(asCount(counts.reasoning), outputTokens);
  return { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens };
}

const MAX_ERROR_MESSAGE = 100_000;
const MAX_ERROR_CODE = 500;

/** How a failed provider call is recorded: its status and an error typed from the HTTP status. */
export function classifyError(error: unknown): { status: 'error' | 'cancelled'; error: ExecutionError } {
  const fields = isObject(error) ? error : {};
  const className = error instanceof Error ? error.constructor.name : '';
  const message =
    asString(fields.apiMessage) ?? (error instanceof Error ? error.message : String(error ?? 'Unknown error'));
  const code = [fields.code, fields.errorCode, fields.type].find((value) => typeof value === 'string');
  const httpStatus = typeof fields.status === 'number' ? fields.status : undefined;
  const type = errorType(className, asString(fields.name), httpStatus, typeof code === 'string' ? code : undefined);
  return {
    status: type === 'cancelled' ? 'cancelled' : 'error',
    error: {
      type,
      message: message.slice(0, MAX_ERROR_MESSAGE),
      ...(typeof code === 'string' ? { code: code.slice(0, MAX_ERROR_CODE) } : {}),
    },
  };
}

function errorType(
  className: string,
  name: string | undefined,
  status: number | undefined,
  code: string | undefined,
): ErrorType {
  if (className === 'APIUserAbortError' || name === 'AbortError') return 'cancelled';
  if (className === 'APIConnectionTimeoutError' || name === 'TimeoutError' || status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'authentication';
  if (status === 400 || status === 422) return 'validation';
  if (status === 429) return 'rate_limit';
  if (status !== undefined && status >= 500) return 'provider';
  // An error event inside a stream has no HTTP status: its error type says the same thing.
  if (status === undefined && code) return errorTypeFromCode(code);
  return 'other';
}

function errorTypeFromCode(code: string): ErrorType {
  if (/overloaded|server_error|api_error/.test(code)) return 'provider';
  if (/rate_limit/.test(code)) return 'rate_limit';
  if (/authentication|permission/.test(code)) return 'authentication';
  if (/invalid_request/.test(code)) return 'validation';
  return 'other';
}

/** The model the request names; `unknown` keeps a record valid when it names none. */
export function requestedModel(params: Record<string, unknown>): string {
  return asString(params.model) || 'unknown';
}

/** Whether a response format asks for JSON, so the output is recorded parsed. */
export function wantsJson(format: unknown): boolean {
  return isObject(format) && (format.type === 'json_schema' || format.type === 'json_object');
}

/** One output per choice: the output itself for one choice, an array for several. */
export function oneOrMany(outputs: unknown[]): unknown {
  const present = outputs.filter((output) => output !== undefined);
  if (present.length === 0) return undefined;
  return outputs.length === 1 ? outputs[0] : outputs;
}

export function isToolCall(call: ToolCall | undefined): call is ToolCall {
  return call !== undefined;
}
