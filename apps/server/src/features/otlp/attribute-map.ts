import { SOURCE_TYPES, type SourceType } from '@promptlog/contracts';
import { Decimal } from 'decimal.js';
import {
  contentText,
  fromAiSdkMessages,
  fromGenAiMessages,
  fromOpenInferenceMessages,
  fromOpenLlmetryMessages,
  type Message,
  reasoningOf,
  systemInstructionsText,
  systemText,
  type ToolCallSeen,
  toolCallsOf,
  unflatten,
} from './messages';
import type { AttributeValue } from './otlp-model';
import { count, finite, isRecord, json, jsonArray, jsonObject, type SpanView, stringList, text } from './span-view';

/**
 * Where each field of an execution is read from, one row a field. Sources are tried in order and the first that
 * yields a value wins (`first`); parameters, metadata and tags combine every source (`merged`, `union`).
 * Our own promptlog.* attributes come first everywhere; docs/otlp.md lists the same table for users.
 */
export interface Source<T> {
  /** The attribute (or construct) read, as documented. */
  from: string;
  read(span: SpanView): T | undefined;
}

const attr = <T>(key: string, parse: (value: AttributeValue | undefined) => T | undefined): Source<T> => ({
  from: key,
  read: (span) => parse(span.get(key)),
});
const ours = <T>(name: string, parse: (value: AttributeValue | undefined) => T | undefined): Source<T> => ({
  from: `promptlog.${name}`,
  read: (span) => parse(span.ours(name)),
});
const resource = <T>(key: string, parse: (value: AttributeValue | undefined) => T | undefined): Source<T> => ({
  from: `resource ${key}`,
  read: (span) => parse(span.fromResource(key)),
});
const derived = <T>(from: string, read: (span: SpanView) => T | undefined): Source<T> => ({ from, read });

const PROMPT_KEY_INVALID = /[^A-Za-z0-9._:/-]+/g;

/** Any name made into a valid prompt key: invalid characters become '-', it starts with a letter or digit. */
export function promptKey(value: AttributeValue | undefined): string | undefined {
  const key = text(value)
    ?.replace(PROMPT_KEY_INVALID, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 200);
  return key || undefined;
}

function promptVersion(value: AttributeValue | undefined): number | undefined {
  const match = /^v?(\d{1,9})$/i.exec(text(value)?.trim() ?? '');
  const version = match ? Number(match[1]) : undefined;
  return version && version > 0 ? version : undefined;
}

function sourceType(value: AttributeValue | undefined): SourceType | undefined {
  const type = text(value);
  return SOURCE_TYPES.find((t) => t === type);
}

function url(value: AttributeValue | undefined): string | undefined {
  const candidate = text(value);
  return candidate && URL.canParse(candidate) ? candidate : undefined;
}

const PROVIDER_ALIASES: Record<string, string> = {
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  vertex_ai: 'google',
  'google-vertex': 'google',
  gemini: 'google',
  'aws.bedrock': 'aws',
  'amazon-bedrock': 'aws',
  bedrock: 'aws',
  'azure.ai.openai': 'azure',
  'az.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  'azure-openai': 'azure',
  azure_openai: 'azure',
  x_ai: 'x-ai',
  xai: 'x-ai',
  mistral_ai: 'mistral',
  mistralai: 'mistral',
  'ibm.watsonx.ai': 'ibm',
};

/** Provider names as the price catalogue knows them: `openai.chat` (AI SDK) → openai, `gcp.gemini` → google. */
export function provider(value: AttributeValue | undefined): string | undefined {
  const name = text(value)?.trim().toLowerCase();
  if (!name) return undefined;
  const alias = PROVIDER_ALIASES[name];
  if (alias) return alias;
  const head = name.split('.')[0] ?? name;
  return PROVIDER_ALIASES[head] ?? head;
}

function decimal(value: AttributeValue | undefined): string | undefined {
  const n = finite(value);
  return n !== undefined && n >= 0 ? new Decimal(n).toFixed() : undefined;
}

function milliseconds(value: AttributeValue | undefined): number | undefined {
  const n = finite(value);
  return n !== undefined && n >= 0 ? Math.round(n) : undefined;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list?.length ? list : undefined;
}

function firstText(value: AttributeValue | undefined): string | undefined {
  return Array.isArray(value) ? text(value[0]) : text(value);
}

/** A stable prompt id for an OpenInference template that has no name: its text's hash. */
function templateIdentity(span: SpanView): string | undefined {
  const template = text(span.get('llm.prompt_template.template'));
  if (!template) return undefined;
  let hash = 2166136261;
  for (let i = 0; i < template.length; i++) hash = Math.imul(hash ^ template.charCodeAt(i), 16777619);
  return `template-${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

// Messages in each dialect, parsed once per span.
const genAiInput = (s: SpanView) =>
  s.memo('genAiInput', () => nonEmpty(fromGenAiMessages(jsonArray(s.get('gen_ai.input.messages')) ?? [])));
const genAiOutputRaw = (s: SpanView) => s.memo('genAiOutputRaw', () => jsonArray(s.get('gen_ai.output.messages')));
const genAiOutput = (s: SpanView) => s.memo('genAiOutput', () => nonEmpty(fromGenAiMessages(genAiOutputRaw(s) ?? [])));
const openInferenceInput = (s: SpanView) =>
  s.memo('oiInput', () => nonEmpty(fromOpenInferenceMessages(unflatten(s.withPrefix('llm.input_messages.')))));
const openInferenceOutput = (s: SpanView) =>
  s.memo('oiOutput', () => nonEmpty(fromOpenInferenceMessages(unflatten(s.withPrefix('llm.output_messages.')))));
const openLlmetryPrompt = (s: SpanView) =>
  s.memo('olPrompt', () => nonEmpty(fromOpenLlmetryMessages(unflatten(s.withPrefix('gen_ai.prompt.')))));
const openLlmetryCompletion = (s: SpanView) =>
  s.memo('olCompletion', () => nonEmpty(fromOpenLlmetryMessages(unflatten(s.withPrefix('gen_ai.completion.')))));
const aiSdkPrompt = (s: SpanView) =>
  s.memo('aiPrompt', () => nonEmpty(fromAiSdkMessages(jsonArray(s.get('ai.prompt.messages')) ?? [])));
/** Semantic conventions before 1.28 put messages on span events (gen_ai.user.message, gen_ai.choice…). */
const eventMessages = (s: SpanView) =>
  s.memo('eventMessages', () =>
    nonEmpty(
      s.span.events
        .filter((e) => /^gen_ai\.(system|user|assistant|tool)\.message$/.test(e.name))
        .map((e): Message => ({ role: e.name.split('.')[1] ?? 'user', content: text(e.attributes.content) ?? '' })),
    ),
  );

function outputText(messages: Message[] | undefined): string | undefined {
  if (!messages) return undefined;
  const texts = messages.filter((m) => m.role !== 'user').map((m) => contentText(m.content));
  return texts.join('\n\n') || undefined;
}

function toolCallList(calls: ToolCallSeen[]): ToolCallSeen[] | undefined {
  return nonEmpty(calls.filter((c) => c.name));
}

function aiSdkToolCalls(value: AttributeValue | undefined): ToolCallSeen[] | undefined {
  const list = jsonArray(value);
  if (!list) return undefined;
  return toolCallList(
    list.filter(isRecord).map((c) => ({
      id: text(c.toolCallId as AttributeValue),
      name: String(c.toolName ?? ''),
      arguments: json((c.input ?? c.args) as AttributeValue),
    })),
  );
}

const REQUEST_PARAMETERS = [
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'frequency_penalty',
  'presence_penalty',
  'stop_sequences',
  'seed',
  'choice.count',
];

function genAiRequestParameters(span: SpanView): Record<string, unknown> | undefined {
  const parameters: Record<string, unknown> = {};
  for (const name of REQUEST_PARAMETERS) {
    const value = span.get(`gen_ai.request.${name}`);
    if (value !== undefined && value !== null) parameters[name.replace('.', '_')] = value;
  }
  const outputType = text(span.get('gen_ai.output.type'));
  if (outputType) parameters.response_format = outputType;
  return Object.keys(parameters).length ? parameters : undefined;
}

function prefixedObject(span: SpanView, prefix: string, skip?: (key: string) => boolean) {
  const entries = span.withPrefix(prefix).filter(([key]) => !skip?.(key));
  return entries.length ? Object.fromEntries(entries.map(([key, value]) => [key, json(value)])) : undefined;
}

function openInferenceTools(flat: unknown): unknown[] | undefined {
  if (!Array.isArray(flat)) return undefined;
  return flat.filter(isRecord).map((t) => (isRecord(t.tool) ? json(t.tool.json_schema as AttributeValue) : t));
}

function tools(span: SpanView): unknown[] | undefined {
  return (
    nonEmpty(jsonArray(span.get('gen_ai.tool.definitions'))) ??
    nonEmpty(jsonArray(span.get('ai.prompt.tools'))?.map((t) => json(t as AttributeValue))) ??
    nonEmpty(openInferenceTools(unflatten(span.withPrefix('llm.tools.'))))
  );
}

export const EXECUTION_MAPPING = {
  promptId: [
    ours('prompt.id', promptKey),
    attr('gen_ai.prompt.name', promptKey),
    attr('traceloop.prompt.key', promptKey),
    attr('prompt.id', promptKey),
    derived('llm.prompt_template.template (template-<hash>)', templateIdentity),
    attr('ai.telemetry.functionId', promptKey),
    derived('the span name', (s) => promptKey(s.span.name)),
  ],
  promptVersion: [
    ours('prompt.version', promptVersion),
    attr('traceloop.prompt.version', promptVersion),
    attr('llm.prompt_template.version', promptVersion),
    attr('gen_ai.prompt.version', promptVersion),
  ],
  sourceType: [ours('source.type', sourceType)],
  sourceId: [ours('source.id', text), resource('service.name', text)],
  sourceUrl: [ours('source.url', url)],
  model: [
    attr('gen_ai.response.model', text),
    attr('ai.response.model', text),
    attr('llm.model_name', text),
    attr('gen_ai.request.model', text),
    attr('ai.model.id', text),
    attr('embedding.model_name', text),
  ],
  provider: [
    attr('gen_ai.provider.name', provider),
    attr('gen_ai.system', provider),
    attr('llm.provider', provider),
    attr('llm.system', provider),
    attr('ai.model.provider', provider),
  ],
  inputTokens: [
    attr('gen_ai.usage.input_tokens', count),
    attr('gen_ai.usage.prompt_tokens', count),
    attr('llm.token_count.prompt', count),
    attr('ai.usage.inputTokens', count),
    attr('ai.usage.promptTokens', count),
    attr('ai.usage.tokens', count),
  ],
  outputTokens: [
    attr('gen_ai.usage.output_tokens', count),
    attr('gen_ai.usage.completion_tokens', count),
    attr('llm.token_count.completion', count),
    attr('ai.usage.outputTokens', count),
    attr('ai.usage.completionTokens', count),
  ],
  cacheReadTokens: [
    attr('gen_ai.usage.cache_read.input_tokens', count),
    attr('gen_ai.usage.cache_read_input_tokens', count),
    attr('gen_ai.usage.input_tokens.cached', count),
    attr('llm.token_count.prompt_details.cache_read', count),
    attr('ai.usage.inputTokenDetails.cacheReadTokens', count),
    attr('ai.usage.cachedInputTokens', count),
  ],
  cacheWriteTokens: [
    attr('gen_ai.usage.cache_creation.input_tokens', count),
    attr('gen_ai.usage.cache_creation_input_tokens', count),
    attr('gen_ai.usage.input_tokens.cache_write', count),
    attr('llm.token_count.prompt_details.cache_write', count),
    attr('ai.usage.inputTokenDetails.cacheWriteTokens', count),
  ],
  reasoningTokens: [
    attr('gen_ai.usage.reasoning.output_tokens', count),
    attr('gen_ai.usage.reasoning_tokens', count),
    attr('gen_ai.usage.output_tokens.reasoning', count),
    attr('llm.token_count.completion_details.reasoning', count),
    attr('ai.usage.outputTokenDetails.reasoningTokens', count),
    attr('ai.usage.reasoningTokens', count),
  ],
  costUsd: [ours('cost_usd', decimal), attr('llm.cost.total', decimal)],
  timeToFirstTokenMs: [
    ours('time_to_first_token_ms', milliseconds),
    attr('ai.response.msToFirstChunk', milliseconds),
    attr('ai.stream.msToFirstChunk', milliseconds),
  ],
  systemPrompt: [
    attr('gen_ai.system_instructions', systemInstructionsText),
    derived('system messages of the input messages', (s) =>
      systemText(
        genAiInput(s) ?? openInferenceInput(s) ?? openLlmetryPrompt(s) ?? aiSdkPrompt(s) ?? eventMessages(s) ?? [],
      ),
    ),
    derived('ai.prompt (system)', (s) => text(jsonObject(s.get('ai.prompt'))?.system as AttributeValue)),
  ],
  messages: [
    derived('gen_ai.input.messages', genAiInput),
    derived('llm.input_messages.<n>.message.*', openInferenceInput),
    derived('gen_ai.prompt.<n>.*', openLlmetryPrompt),
    derived('ai.prompt.messages', aiSdkPrompt),
    derived('gen_ai.<role>.message events', eventMessages),
    derived('gen_ai.content.prompt event (gen_ai.prompt)', (s) =>
      nonEmpty(jsonArray(s.event('gen_ai.content.prompt')?.attributes['gen_ai.prompt'])),
    ),
    derived('input.value (JSON messages)', (s) => {
      const value = jsonObject(s.get('input.value'));
      return Array.isArray(value?.messages) ? nonEmpty(value.messages) : undefined;
    }),
  ],
  parameters: [
    derived('gen_ai.request.* and gen_ai.output.type', genAiRequestParameters),
    attr('llm.invocation_parameters', jsonObject),
    derived('ai.settings.*', (s) => prefixedObject(s, 'ai.settings.')),
    derived('gen_ai.tool.definitions, ai.prompt.tools, llm.tools.<n>.tool.json_schema (as tools)', (s) => {
      const list = tools(s);
      return list ? { tools: list } : undefined;
    }),
  ],
  output: [
    derived('gen_ai.output.messages (text)', (s) => outputText(genAiOutput(s))),
    derived('llm.output_messages.<n>.message.* (text)', (s) => outputText(openInferenceOutput(s))),
    derived('gen_ai.completion.<n>.content', (s) => outputText(openLlmetryCompletion(s))),
    attr('ai.response.text', text),
    attr('ai.response.object', json),
    derived(
      'gen_ai.choice / gen_ai.content.completion events',
      (s) =>
        text(s.event('gen_ai.choice')?.attributes.message) ??
        text(s.event('gen_ai.content.completion')?.attributes['gen_ai.completion']),
    ),
    attr('output.value', json),
  ],
  toolCalls: [
    derived('gen_ai.output.messages (tool_call parts)', (s) => toolCallList(toolCallsOf(genAiOutput(s) ?? []))),
    derived('llm.output_messages.<n>.message.tool_calls.<k>.tool_call.*', (s) =>
      toolCallList(toolCallsOf(openInferenceOutput(s) ?? [])),
    ),
    derived('gen_ai.completion.<n>.tool_calls.<k>.*', (s) => toolCallList(toolCallsOf(openLlmetryCompletion(s) ?? []))),
    attr('ai.response.toolCalls', aiSdkToolCalls),
  ],
  thinking: [
    derived('gen_ai.output.messages (reasoning parts)', (s) => reasoningOf(genAiOutput(s) ?? [])),
    attr('ai.response.reasoning', text),
  ],
  inputs: [
    ours('inputs', jsonObject),
    attr('llm.prompt_template.variables', jsonObject),
    derived('traceloop.prompt.template_variables.*', (s) => prefixedObject(s, 'traceloop.prompt.template_variables.')),
  ],
  requestId: [attr('gen_ai.response.id', text), attr('ai.response.id', text)],
  userEmail: [ours('user.email', text)],
  userId: [ours('user.id', text), attr('user.id', text), attr('enduser.id', text), attr('llm.user', text)],
  tags: [ours('tags', stringList), attr('tag.tags', stringList)],
  environment: [
    ours('environment', text),
    resource('deployment.environment.name', text),
    resource('deployment.environment', text),
  ],
  conversationId: [
    ours('conversation.id', text),
    attr('gen_ai.conversation.id', text),
    attr('session.id', text),
    attr('traceloop.association.properties.session_id', text),
  ],
  finishReason: [
    attr('gen_ai.response.finish_reasons', firstText),
    derived('gen_ai.output.messages (finish_reason)', (s) => {
      const [firstMessage] = genAiOutputRaw(s) ?? [];
      return isRecord(firstMessage) ? text(firstMessage.finish_reason as AttributeValue) : undefined;
    }),
    attr('ai.response.finishReason', text),
    attr('llm.output_messages.0.message.finish_reason', text),
    attr('gen_ai.completion.0.finish_reason', text),
  ],
  metadata: [
    attr('metadata', jsonObject),
    derived('ai.telemetry.metadata.* (except promptlog.*)', (s) =>
      prefixedObject(s, 'ai.telemetry.metadata.', (key) => key.startsWith('promptlog.')),
    ),
    derived('traceloop.association.properties.*', (s) => prefixedObject(s, 'traceloop.association.properties.')),
  ],
} satisfies Record<string, Source<unknown>[]>;

export type MappedField = keyof typeof EXECUTION_MAPPING;

/** The first value a row's sources yield. */
export function first<T>(span: SpanView, sources: readonly Source<T>[]): T | undefined {
  for (const source of sources) {
    const value = source.read(span);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Every source's object combined, earlier sources winning per key (for parameters and metadata). */
export function merged(
  span: SpanView,
  sources: readonly Source<Record<string, unknown>>[],
): Record<string, unknown> | undefined {
  let result: Record<string, unknown> | undefined;
  for (const source of sources) {
    const value = source.read(span);
    if (value) result = { ...value, ...result };
  }
  return result;
}

/** Every source's list combined without repeats (for tags). */
export function union(span: SpanView, sources: readonly Source<string[]>[]): string[] | undefined {
  const items = new Set<string>();
  for (const source of sources) for (const item of source.read(span) ?? []) items.add(item);
  return items.size ? [...items] : undefined;
}
