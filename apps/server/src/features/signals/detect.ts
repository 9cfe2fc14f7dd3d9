import { type FINISH_REASONS, OUTPUT_SIGNALS } from '@promptlog/contracts';
import { INJECTION_HINT, INJECTION_PATTERNS, REFUSAL_PATTERNS } from './phrases';

export type FinishReason = (typeof FINISH_REASONS)[number];
export type OutputSignal = (typeof OUTPUT_SIGNALS)[number];

/** What one execution says about its answer. */
export interface OutputSignals {
  /** Characters (UTF-16 code units) of the answer's text; null while there is no answer. */
  outputChars: number | null;
  finishReason: FinishReason | null;
  truncated: boolean;
  empty: boolean;
  refusal: boolean;
  /** Null unless JSON was asked for or the answer looks like JSON. */
  jsonValid: boolean | null;
}

export interface SignalSubject {
  status: string;
  output?: unknown;
  toolCalls?: readonly unknown[] | null;
  metadata?: Record<string, unknown> | null;
  /** The request's parameters, which say whether JSON was asked for. */
  parameters?: Record<string, unknown> | null;
}

/** The problem flags as stored in `executions.signals`: a bit each, so the list filters them in one expression. */
export const SIGNAL_BITS: Record<OutputSignal, number> = {
  truncated: 1,
  empty: 2,
  refusal: 4,
  json_invalid: 8,
  injection: 16,
};

/** How much of an answer the refusal phrases are looked for in: a refusal opens the answer (or a short one). */
const REFUSAL_HEAD_CHARS = 600;
/** An answer this short is read sentence by sentence, so "I see. However, I can't help with that." counts. */
const SHORT_ANSWER_CHARS = 500;
/** Bounds on the user-supplied text searched for injected instructions. */
const INJECTION_VALUE_CHARS = 8_000;
const INJECTION_VALUES = 64;
const MAX_WALK_DEPTH = 8;

const NO_ANSWER: OutputSignals = {
  outputChars: null,
  finishReason: null,
  truncated: false,
  empty: false,
  refusal: false,
  jsonValid: null,
};

export function detectOutputSignals(subject: SignalSubject): OutputSignals {
  const hasAnswer = subject.output !== undefined && subject.output !== null;
  const sentToolCalls = subject.toolCalls?.length ?? 0;
  const finishSent = finishOfMetadata(subject.metadata);
  if (subject.status === 'pending') return NO_ANSWER;
  if (!hasAnswer && sentToolCalls === 0 && subject.status !== 'success') {
    // A failure without output: only a finish reason it reported, if any, says something.
    const { reason } = normaliseFinishReason(finishSent);
    return { ...NO_ANSWER, finishReason: reason, truncated: reason === 'length' };
  }
  const read = readOutput(subject.output);
  const finish = normaliseFinishReason(read.finish ?? finishSent);
  const toolCalls = sentToolCalls + read.toolCalls;
  const blank = read.text.trim() === '';
  return {
    outputChars: read.text.length,
    finishReason: finish.reason,
    truncated: finish.reason === 'length',
    empty: subject.status === 'success' && blank && toolCalls === 0 && !read.refusalField,
    refusal: read.refusalField || finish.refusal || (!read.structured && isRefusal(read.text)),
    jsonValid: read.structured
      ? structuredValidity(subject.output, jsonAsked(subject.parameters))
      : jsonValidity(read.text, jsonAsked(subject.parameters)),
  };
}

/** A JSON value logged as such parses by construction; it counts as checked when asked for or an object or array. */
function structuredValidity(output: unknown, asked: boolean): boolean | null {
  return asked || (typeof output === 'object' && output !== null) ? true : null;
}

/** The stored bits of the output signals and the input's injection flag. */
export function signalBits(signals: OutputSignals, injectionSuspected: boolean): number {
  return (
    (signals.truncated ? SIGNAL_BITS.truncated : 0) |
    (signals.empty ? SIGNAL_BITS.empty : 0) |
    (signals.refusal ? SIGNAL_BITS.refusal : 0) |
    (signals.jsonValid === false ? SIGNAL_BITS.json_invalid : 0) |
    (injectionSuspected ? SIGNAL_BITS.injection : 0)
  );
}

/** The mask of the given signals, for `signals & mask <> 0`. */
export function signalMask(signals: readonly OutputSignal[]): number {
  return signals.reduce((mask, signal) => mask | SIGNAL_BITS[signal], 0);
}

export function hasSignal(bits: number, signal: OutputSignal): boolean {
  return (bits & SIGNAL_BITS[signal]) !== 0;
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading the answer: text, tool calls, a finish reason and a refusal field, from a string or a provider's response.

interface ReadOutput {
  text: string;
  toolCalls: number;
  finish?: string;
  refusalField: boolean;
  /** A JSON value the client logged as such (structured output), not a provider response or text. */
  structured: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only the first few choices or candidates are read: one answer is what a call returns in practice. */
const MAX_CHOICES = 16;
const MAX_PARTS = 256;

function readOutput(output: unknown): ReadOutput {
  const read: ReadOutput = { text: '', toolCalls: 0, refusalField: false, structured: false };
  if (output === undefined || output === null) return read;
  if (typeof output === 'string') return { ...read, text: output };
  if (Array.isArray(output)) {
    if (output.length > 0 && output.every((item) => typeof item === 'string')) {
      return { ...read, text: output.join('\n\n') };
    }
    if (output.length > 0 && output.every((item) => isObject(item) && typeof item.type === 'string')) {
      read.text = readParts(output, read);
      return read;
    }
    return structured(output);
  }
  if (!isObject(output)) return structured(output);
  const { choices, candidates, content } = output;
  if (Array.isArray(choices) && choices.length > 0 && choices.every(isChoice)) {
    const texts: string[] = [];
    for (const choice of choices.slice(0, MAX_CHOICES) as Json[]) {
      const message = isObject(choice.message) ? choice.message : undefined;
      if (message) texts.push(readMessage(message, read));
      else if (typeof choice.text === 'string') texts.push(choice.text);
      read.finish ??= stringOf(choice.finish_reason);
    }
    read.text = texts.filter(Boolean).join('\n\n');
    return read;
  }
  if (Array.isArray(candidates) && candidates.length > 0 && candidates.every(isObject)) {
    const texts: string[] = [];
    for (const candidate of candidates.slice(0, MAX_CHOICES) as Json[]) {
      const parts = isObject(candidate.content) ? candidate.content.parts : undefined;
      if (Array.isArray(parts)) texts.push(readParts(parts, read));
      read.finish ??= stringOf(candidate.finishReason) ?? stringOf(candidate.finish_reason);
    }
    read.text = texts.filter(Boolean).join('\n\n');
    return read;
  }
  if (isObject(output.promptFeedback) && typeof output.promptFeedback.blockReason === 'string') {
    return { ...read, finish: 'safety' };
  }
  if (output.type === 'message' && Array.isArray(content)) {
    read.text = readParts(content, read);
    read.finish = stringOf(output.stop_reason);
    return read;
  }
  if (output.object === 'response' && Array.isArray(output.output)) {
    const texts: string[] = [];
    for (const item of output.output.slice(0, MAX_PARTS)) {
      if (!isObject(item)) continue;
      if (item.type === 'message' && Array.isArray(item.content)) texts.push(readParts(item.content, read));
      else if (item.type === 'function_call' || item.type === 'custom_tool_call') read.toolCalls++;
    }
    read.text = texts.filter(Boolean).join('\n\n');
    const incomplete = isObject(output.incomplete_details) ? stringOf(output.incomplete_details.reason) : undefined;
    read.finish = incomplete ?? (read.toolCalls > 0 ? 'tool_calls' : stringOf(output.status));
    return read;
  }
  if (output.role === 'assistant' && ('content' in output || 'refusal' in output || 'tool_calls' in output)) {
    read.text = readMessage(output, read);
    return read;
  }
  return structured(output);
}

function isChoice(choice: unknown): boolean {
  return isObject(choice) && (isObject(choice.message) || typeof choice.text === 'string' || 'finish_reason' in choice);
}

function structured(output: unknown): ReadOutput {
  return { text: JSON.stringify(output) ?? '', toolCalls: 0, refusalField: false, structured: true };
}

/** An OpenAI-style message: content (text or parts), refusal, tool calls. */
function readMessage(message: Json, read: ReadOutput): string {
  if (typeof message.refusal === 'string' && message.refusal.trim() !== '') read.refusalField = true;
  if (Array.isArray(message.tool_calls)) read.toolCalls += message.tool_calls.length;
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return readParts(message.content, read);
  return typeof message.refusal === 'string' ? message.refusal : '';
}

/** The text of content parts of any provider (Anthropic, OpenAI, Gemini); counts their tool calls and refusals. */
function readParts(parts: unknown[], flags: ReadOutput): string {
  const texts: string[] = [];
  for (const part of parts.slice(0, MAX_PARTS)) {
    if (typeof part === 'string') {
      texts.push(part);
      continue;
    }
    if (!isObject(part)) continue;
    if (part.type === 'refusal' || (typeof part.refusal === 'string' && part.refusal.trim() !== '')) {
      flags.refusalField = true;
      if (typeof part.refusal === 'string') texts.push(part.refusal);
    } else if (typeof part.text === 'string' && part.thought !== true) {
      texts.push(part.text);
    } else if (
      part.type === 'tool_use' ||
      part.type === 'server_tool_use' ||
      part.type === 'function_call' ||
      part.type === 'tool_call' ||
      isObject(part.functionCall)
    ) {
      flags.toolCalls++;
    }
  }
  return texts.join('');
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function finishOfMetadata(metadata: Record<string, unknown> | null | undefined): string | undefined {
  if (!metadata) return undefined;
  return (
    stringOf(metadata.finishReason) ??
    stringOf(metadata.finish_reason) ??
    stringOf(metadata.stopReason) ??
    stringOf(metadata.stop_reason)
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// Finish reasons: OpenAI finish_reason, Anthropic stop_reason, Gemini finishReason, OpenAI Responses status and
// incomplete_details.reason, the OpenTelemetry GenAI convention and the Vercel AI SDK.

const FINISH_REASON_MAP: Record<string, FinishReason> = {
  stop: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  completed: 'stop',
  complete: 'stop',
  eos: 'stop',
  eos_token: 'stop',
  finish_reason_stop: 'stop',
  length: 'length',
  max_tokens: 'length',
  max_output_tokens: 'length',
  model_length: 'length',
  model_context_window_exceeded: 'length',
  token_limit: 'length',
  tool_calls: 'tool_calls',
  tool_call: 'tool_calls',
  tool_use: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  safety: 'content_filter',
  recitation: 'content_filter',
  blocklist: 'content_filter',
  prohibited_content: 'content_filter',
  spii: 'content_filter',
  image_safety: 'content_filter',
  refusal: 'content_filter',
};

/** Finish reasons by which the provider says the model declined. */
const REFUSAL_REASONS = new Set(['refusal']);

export function normaliseFinishReason(raw: string | undefined): { reason: FinishReason | null; refusal: boolean } {
  if (raw === undefined) return { reason: null, refusal: false };
  const key = raw.trim().toLowerCase().replace(/[-\s]/g, '_').slice(0, 64);
  if (key === '') return { reason: null, refusal: false };
  return { reason: FINISH_REASON_MAP[key] ?? 'other', refusal: REFUSAL_REASONS.has(key) };
}

// ---------------------------------------------------------------------------------------------------------------------
// Refusals

const SENTENCE_END = /(?<=[.!?。！？])\s*|\n+/u;
const LEADING_MARKUP = /^[\s*_#>"'`“”„«»「『-]+/u;

/** Whether the answer opens by declining, in one of the languages of phrases.ts. */
export function isRefusal(text: string): boolean {
  const head = normaliseForPhrases(text.slice(0, REFUSAL_HEAD_CHARS));
  if (head === '') return false;
  if (REFUSAL_PATTERNS.some((pattern) => pattern.test(head))) return true;
  if (text.length > SHORT_ANSWER_CHARS) return false;
  return head
    .split(SENTENCE_END)
    .slice(1)
    .some((sentence) => {
      const start = sentence.replace(LEADING_MARKUP, '');
      return start !== '' && REFUSAL_PATTERNS.some((pattern) => pattern.test(start));
    });
}

function normaliseForPhrases(text: string): string {
  return text.replace(/[’‘ʼ]/g, "'").replace(LEADING_MARKUP, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------------
// JSON

const JSON_MIME = 'application/json';
const JSON_FORMAT_TYPES = new Set(['json_object', 'json_schema', 'json']);
const SCHEMA_KEYS = [
  'json_schema',
  'response_schema',
  'responseSchema',
  'responseJsonSchema',
  'output_schema',
  'schema',
];

/** Whether the request asked for JSON: a response format, a JSON MIME type or a schema parameter. */
export function jsonAsked(parameters: Record<string, unknown> | null | undefined): boolean {
  if (!parameters) return false;
  const nested = [parameters.generationConfig, parameters.generation_config, parameters.config].filter(isObject);
  return [parameters, ...nested].some(asksJson);
}

function asksJson(p: Json): boolean {
  if (formatAsksJson(p.response_format) || formatAsksJson(p.output_format) || formatAsksJson(p.format)) return true;
  if (isObject(p.output_config) && formatAsksJson(p.output_config.format)) return true;
  if (isObject(p.text) && formatAsksJson(p.text.format)) return true;
  if (p.responseMimeType === JSON_MIME || p.response_mime_type === JSON_MIME) return true;
  return SCHEMA_KEYS.some((key) => isObject(p[key]));
}

function formatAsksJson(format: unknown): boolean {
  if (typeof format === 'string') return JSON_FORMAT_TYPES.has(format.toLowerCase());
  if (!isObject(format)) return false;
  return typeof format.type === 'string' ? JSON_FORMAT_TYPES.has(format.type) : isObject(format.schema);
}

/**
 * An unrequested answer is checked only when it opens like a JSON object or array: `{"`, `{}`, `[{`, `[[`, `["`,
 * `[]`, or a `[` with a number that also ends with `]`, so prose such as "[1] Smith et al." is not taken for JSON.
 */
const LOOKS_LIKE_OBJECT = /^\{\s*(?:"|\}|$)/;
const LOOKS_LIKE_ARRAY = /^\[\s*(?:[{["\]]|$)/;
const LOOKS_LIKE_NUMBER_ARRAY = /^\[\s*-?\d/;
const FENCED = /^```(?:json)?[ \t]*\n([\s\S]*)\n```$/i;

function jsonValidity(text: string, asked: boolean): boolean | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const looksLikeJson =
    LOOKS_LIKE_OBJECT.test(trimmed) ||
    LOOKS_LIKE_ARRAY.test(trimmed) ||
    (LOOKS_LIKE_NUMBER_ARRAY.test(trimmed) && trimmed.endsWith(']'));
  if (!asked && !looksLikeJson) return null;
  if (parses(trimmed)) return true;
  // An answer that is one fenced ```json block is what models often send for JSON; the block is what is checked.
  const fenced = asked ? FENCED.exec(trimmed) : null;
  return fenced?.[1] !== undefined ? parses(fenced[1]) : false;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Injection

/**
 * Whether user-supplied text carries instructions aimed at the model ("ignore previous instructions"…): every string
 * of the inputs (the template variables) and the text of the last user message, each read up to a bound.
 */
export function detectInjection(inputs: unknown, messages?: readonly unknown[] | null): boolean {
  const texts: string[] = [];
  collectStrings(inputs, texts, 0);
  const lastUser = messages ? lastUserText(messages) : undefined;
  if (lastUser) texts.push(lastUser.slice(0, INJECTION_VALUE_CHARS));
  return texts.some((text) => {
    const lower = text.toLowerCase();
    return INJECTION_HINT.test(lower) && INJECTION_PATTERNS.some((pattern) => pattern.test(lower));
  });
}

function collectStrings(value: unknown, into: string[], depth: number): void {
  if (into.length >= INJECTION_VALUES || depth > MAX_WALK_DEPTH) return;
  if (typeof value === 'string') {
    into.push(value.slice(0, INJECTION_VALUE_CHARS));
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, INJECTION_VALUES)) collectStrings(item, into, depth + 1);
  } else if (isObject(value)) {
    for (const item of Object.values(value).slice(0, INJECTION_VALUES)) collectStrings(item, into, depth + 1);
  }
}

function lastUserText(messages: readonly unknown[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (!isObject(message) || message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return readParts(message.content, { text: '', toolCalls: 0, refusalField: false, structured: false });
    }
    return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// The stored form: columns of the hot row, and back.

/** The columns of `executions` the signals are stored in. */
export interface StoredSignals {
  output_chars: number | null;
  finish_reason: FinishReason | null;
  json_valid: boolean | null;
  signals: number;
}

export interface IngestedRecord extends SignalSubject {
  inputs?: unknown;
  request?: { parameters?: Record<string, unknown>; messages?: readonly unknown[] } | null;
}

/** Every signal of a record as it arrives (a pending one has only its inputs' flag). */
export function storedSignalsOf(record: IngestedRecord): StoredSignals {
  const output = detectOutputSignals({
    status: record.status,
    output: record.output,
    toolCalls: record.toolCalls,
    metadata: record.metadata,
    parameters: record.request?.parameters,
  });
  return toStored(output, detectInjection(record.inputs, record.request?.messages));
}

export function toStored(output: OutputSignals, injectionSuspected: boolean): StoredSignals {
  return {
    output_chars: output.outputChars,
    finish_reason: output.finishReason,
    json_valid: output.jsonValid,
    signals: signalBits(output, injectionSuspected),
  };
}

/** The names of the flags set in stored bits, in OUTPUT_SIGNALS order. */
export function signalNames(bits: number): OutputSignal[] {
  return OUTPUT_SIGNALS.filter((signal) => hasSignal(bits, signal));
}

/** The API's `signals` of a stored row. */
export function signalsOfRow(row: {
  outputChars: number | null;
  finishReason: string | null;
  jsonValid: boolean | null;
  signals: number;
}) {
  return {
    outputChars: row.outputChars,
    finishReason: normaliseFinishReason(row.finishReason ?? undefined).reason,
    truncated: hasSignal(row.signals, 'truncated'),
    empty: hasSignal(row.signals, 'empty'),
    refusal: hasSignal(row.signals, 'refusal'),
    jsonValid: row.jsonValid,
    injectionSuspected: hasSignal(row.signals, 'injection'),
  };
}
