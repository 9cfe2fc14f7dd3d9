/** What the cURL builder needs from a logged execution. */
export type LoggedRequest = {
  model: string;
  provider?: string | null;
  request?: { systemPrompt?: string; messages?: unknown[]; parameters?: Record<string, unknown> } | null;
};

export type ProviderShape = 'openai' | 'anthropic' | 'openai-compatible';

export function providerShape(logged: Pick<LoggedRequest, 'model' | 'provider'>): ProviderShape {
  const provider = logged.provider?.toLowerCase() ?? '';
  const model = logged.model.toLowerCase();
  if (provider.includes('anthropic') || (!provider && model.startsWith('claude'))) return 'anthropic';
  if (provider.includes('openai') || (!provider && /^(gpt|o\d|chatgpt)/.test(model))) return 'openai';
  return 'openai-compatible';
}

/** Quotes a string for a POSIX shell: single quotes, with each embedded ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSystemMessage(message: unknown): boolean {
  return isRecord(message) && message.role === 'system';
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return JSON.stringify(content);
}

/** The logged request in its provider's own request shape: the body a cURL command or an SDK call sends. */
export function providerRequest(logged: LoggedRequest): { shape: ProviderShape; body: Record<string, unknown> } {
  const shape = providerShape(logged);
  const messages = logged.request?.messages ?? [];
  const parameters = logged.request?.parameters ?? {};
  const systemPrompt = logged.request?.systemPrompt;

  if (shape === 'anthropic') {
    const systemFromMessages = messages
      .filter(isSystemMessage)
      .map((message) => (isRecord(message) ? textOf(message.content) : ''));
    const system = [systemPrompt, ...systemFromMessages].filter(Boolean).join('\n\n');
    const body = {
      model: logged.model,
      ...(system ? { system } : {}),
      messages: messages.filter((message) => !isSystemMessage(message)),
      ...parameters,
      max_tokens: typeof parameters.max_tokens === 'number' ? parameters.max_tokens : 1024,
    };
    return { shape, body };
  }

  const withSystem =
    systemPrompt && !messages.some(isSystemMessage)
      ? [{ role: 'system', content: systemPrompt }, ...messages]
      : messages;
  return { shape, body: { model: logged.model, messages: withSystem, ...parameters } };
}

/**
 * A cURL command that sends the logged request to its provider again, in the provider's own request shape.
 * The API key is a shell variable the reader sets, never a real key.
 */
export function buildProviderCurl(logged: LoggedRequest): { shape: ProviderShape; command: string } {
  const { shape, body } = providerRequest(logged);
  const data = `  -d ${shellQuote(JSON.stringify(body, null, 2))}`;
  if (shape === 'anthropic') {
    return {
      shape,
      command: [
        'curl https://api.anthropic.com/v1/messages \\',
        '  -H "x-api-key: $ANTHROPIC_API_KEY" \\',
        '  -H "anthropic-version: 2023-06-01" \\',
        '  -H "content-type: application/json" \\',
        data,
      ].join('\n'),
    };
  }
  const endpoint =
    shape === 'openai' ? 'https://api.openai.com/v1/chat/completions' : '"$PROVIDER_BASE_URL/chat/completions"';
  const keyVariable = shape === 'openai' ? '$OPENAI_API_KEY' : '$PROVIDER_API_KEY';
  return {
    shape,
    command: [
      `curl ${endpoint} \\`,
      `  -H "Authorization: Bearer ${keyVariable}" \\`,
      '  -H "Content-Type: application/json" \\',
      data,
    ].join('\n'),
  };
}
