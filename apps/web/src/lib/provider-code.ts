import { type LoggedRequest, type ProviderShape, providerRequest } from './provider-curl';

export type CodeLanguage = 'typescript' | 'python';

/**
 * The parameters each SDK's create call types (openai 6.49, @anthropic-ai/sdk 1.15: the versions this repository
 * pins); any other logged parameter is sent as extra body, which every version accepts.
 */
const SDK_PARAMETERS: Record<'openai' | 'anthropic', ReadonlySet<string>> = {
  openai: new Set(
    'model messages audio frequency_penalty function_call functions logit_bias logprobs max_completion_tokens max_tokens metadata modalities moderation n parallel_tool_calls prediction presence_penalty prompt_cache_key prompt_cache_options prompt_cache_retention reasoning_effort response_format safety_identifier seed service_tier stop store temperature tool_choice tools top_logprobs top_p user verbosity web_search_options'.split(
      ' ',
    ),
  ),
  anthropic: new Set(
    'model max_tokens system messages cache_control container diagnostics inference_geo metadata output_config service_tier speed stop_sequences thinking tool_choice tools user_profile_id workspace_id'.split(
      ' ',
    ),
  ),
};

/** Streaming is how the answer arrived, not part of the question: the code asks for the whole answer at once. */
const STREAMING = new Set(['stream', 'stream_options']);

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Syntax = {
  indent: string;
  key: (key: string) => string;
  literal: (value: null | boolean) => string;
};

const TS: Syntax = {
  indent: '  ',
  key: (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)),
  literal: (value) => String(value),
};

const PYTHON: Syntax = {
  indent: '    ',
  key: (key) => JSON.stringify(key),
  literal: (value) => (value === null ? 'None' : value ? 'True' : 'False'),
};

/**
 * A value as a literal of the language. JSON's strings and numbers are valid literals in both; its escapes too
 * (\n, \", \uXXXX), so a logged string comes back exactly as it was.
 */
function literal(value: unknown, syntax: Syntax, depth: number): string {
  if (value === null || typeof value === 'boolean') return syntax.literal(value);
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  const inner = syntax.indent.repeat(depth + 1);
  const outer = syntax.indent.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${literal(item ?? null, syntax, depth + 1)},`).join('\n')}\n${outer}]`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, item]) => `${inner}${syntax.key(key)}: ${literal(item, syntax, depth + 1)},`);
    return `{\n${lines.join('\n')}\n${outer}}`;
  }
  return syntax.literal(null);
}

type Split = { known: [string, unknown][]; extra: [string, unknown][]; streamed: boolean };

function splitParameters(body: Record<string, unknown>, sdk: 'openai' | 'anthropic'): Split {
  const split: Split = { known: [], extra: [], streamed: body.stream === true };
  for (const [key, value] of Object.entries(body)) {
    if (STREAMING.has(key) || value === undefined) continue;
    (SDK_PARAMETERS[sdk].has(key) ? split.known : split.extra).push([key, value]);
  }
  return split;
}

const STREAM_NOTE = 'Logged as a streamed call; this asks for the whole answer at once.';

function typescript(shape: ProviderShape, split: Split): string {
  const anthropic = shape === 'anthropic';
  const lines = [anthropic ? "import Anthropic from '@anthropic-ai/sdk';" : "import OpenAI from 'openai';", ''];
  if (shape === 'openai-compatible') {
    lines.push(
      "// The provider's OpenAI-compatible endpoint and key.",
      'const client = new OpenAI({ baseURL: process.env.PROVIDER_BASE_URL, apiKey: process.env.PROVIDER_API_KEY });',
    );
  } else {
    lines.push(
      `// Reads ${anthropic ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'} from the environment.`,
      `const client = new ${anthropic ? 'Anthropic' : 'OpenAI'}();`,
    );
  }
  lines.push('');
  if (split.streamed) lines.push(`// ${STREAM_NOTE}`);
  const result = anthropic ? 'message' : 'completion';
  const call = anthropic ? 'client.messages.create' : 'client.chat.completions.create';
  lines.push(`const ${result} = await ${call}({`);
  for (const [key, value] of split.known) lines.push(`  ${TS.key(key)}: ${literal(value, TS, 1)},`);
  if (split.extra.length > 0) {
    lines.push(
      "  // Sent as logged: not among the SDK's typed parameters.",
      `  ...(${literal(Object.fromEntries(split.extra), TS, 1)} as Record<string, unknown>),`,
    );
  }
  lines.push('});', '');
  lines.push(anthropic ? 'console.log(message.content);' : 'console.log(completion.choices[0]?.message.content);');
  return lines.join('\n');
}

function python(shape: ProviderShape, split: Split): string {
  const anthropic = shape === 'anthropic';
  const lines: string[] = [];
  if (anthropic) {
    lines.push(
      'import anthropic',
      '',
      '# Reads ANTHROPIC_API_KEY from the environment.',
      'client = anthropic.Anthropic()',
    );
  } else if (shape === 'openai-compatible') {
    lines.push(
      'import os',
      '',
      'from openai import OpenAI',
      '',
      "# The provider's OpenAI-compatible endpoint and key.",
      'client = OpenAI(base_url=os.environ["PROVIDER_BASE_URL"], api_key=os.environ["PROVIDER_API_KEY"])',
    );
  } else {
    lines.push('from openai import OpenAI', '', '# Reads OPENAI_API_KEY from the environment.', 'client = OpenAI()');
  }
  lines.push('');
  if (split.streamed) lines.push(`# ${STREAM_NOTE}`);
  const result = anthropic ? 'message' : 'completion';
  lines.push(`${result} = client.${anthropic ? 'messages' : 'chat.completions'}.create(`);
  const keyword = (key: string) => /^[A-Za-z_]\w*$/.test(key) && !PYTHON_KEYWORDS.has(key);
  const extra = [...split.extra, ...split.known.filter(([key]) => !keyword(key))];
  for (const [key, value] of split.known) {
    if (keyword(key)) lines.push(`    ${key}=${literal(value, PYTHON, 1)},`);
  }
  if (extra.length > 0) lines.push(`    extra_body=${literal(Object.fromEntries(extra), PYTHON, 1)},`);
  lines.push(')', '');
  lines.push(anthropic ? 'print(message.content)' : 'print(completion.choices[0].message.content)');
  return lines.join('\n');
}

/**
 * The logged request as a call of the provider's SDK (OpenAI's for OpenAI and OpenAI-compatible providers,
 * Anthropic's for Anthropic), in the request shape the cURL command sends. Keys come from the environment.
 */
export function buildProviderCode(
  logged: LoggedRequest,
  language: CodeLanguage,
): { shape: ProviderShape; code: string } {
  const { shape, body } = providerRequest(logged);
  const split = splitParameters(body, shape === 'anthropic' ? 'anthropic' : 'openai');
  return { shape, code: language === 'typescript' ? typescript(shape, split) : python(shape, split) };
}
