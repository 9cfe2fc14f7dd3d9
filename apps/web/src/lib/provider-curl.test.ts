import { describe, expect, it } from 'vitest';
import { buildProviderCurl, providerShape, shellQuote } from './provider-curl';

function bodyOf(command: string): unknown {
  const quoted = /-d '([\s\S]*)'$/.exec(command)?.[1] ?? '';
  return JSON.parse(quoted.replaceAll("'\\''", "'"));
}

describe('providerShape', () => {
  it('follows the provider, then the model name', () => {
    expect(providerShape({ model: 'anything', provider: 'Anthropic' })).toBe('anthropic');
    expect(providerShape({ model: 'claude-sonnet-4-5' })).toBe('anthropic');
    expect(providerShape({ model: 'gpt-4o-mini', provider: 'openai' })).toBe('openai');
    expect(providerShape({ model: 'o3-mini' })).toBe('openai');
    expect(providerShape({ model: 'llama-3', provider: 'groq' })).toBe('openai-compatible');
  });
});

describe('shellQuote', () => {
  it('survives single quotes', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('buildProviderCurl', () => {
  it('builds an OpenAI chat completion with the system prompt first and a key placeholder', () => {
    const { command } = buildProviderCurl({
      model: 'gpt-4o-mini',
      provider: 'openai',
      request: {
        systemPrompt: "You're helpful.",
        messages: [{ role: 'user', content: 'Hi' }],
        parameters: { temperature: 0.2 },
      },
    });
    expect(command).toContain('curl https://api.openai.com/v1/chat/completions');
    expect(command).toContain('Authorization: Bearer $OPENAI_API_KEY');
    expect(bodyOf(command)).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: "You're helpful." },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
    });
  });

  it('builds an Anthropic message with a top-level system and max_tokens', () => {
    const { command } = buildProviderCurl({
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      },
    });
    expect(command).toContain('https://api.anthropic.com/v1/messages');
    expect(command).toContain('x-api-key: $ANTHROPIC_API_KEY');
    expect(command).toContain('anthropic-version: 2023-06-01');
    expect(bodyOf(command)).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 1024,
    });
  });
});
