import { describe, expect, it } from 'vitest';
import { buildProviderCode } from './provider-code';

/** The object literal passed to create(…), evaluated as JavaScript (less its one type assertion): what is sent. */
function createArgument(code: string): unknown {
  const literal = /\.create\((\{[\s\S]*\})\);/.exec(code)?.[1];
  if (!literal) throw new Error(`no create({…}) call in:\n${code}`);
  return new Function(`return (${literal.replaceAll(' as Record<string, unknown>', '')});`)();
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: a logged string that looks like a template must stay as it is
const tricky = 'Say "hi" \\ `${not.a.template}`\nline two — ünïcødé 🚀 \u2028 \u0007';

describe('buildProviderCode in TypeScript', () => {
  it('calls the OpenAI SDK with the logged request, every string exactly as logged', () => {
    const { shape, code } = buildProviderCode(
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        request: {
          systemPrompt: "You're helpful.",
          messages: [{ role: 'user', content: tricky }],
          parameters: { temperature: 0.2, stream: true, stream_options: { include_usage: true }, 'x-odd': null },
        },
      },
      'typescript',
    );
    expect(shape).toBe('openai');
    expect(code).toContain("import OpenAI from 'openai';");
    expect(code).toContain('const client = new OpenAI();');
    expect(code).toContain('// Logged as a streamed call; this asks for the whole answer at once.');
    expect(code).toContain('console.log(completion.choices[0]?.message.content);');
    expect(code).toContain(
      '  // Sent as logged: not among the SDK\'s typed parameters.\n  ...({\n    "x-odd": null,\n  } as Record<string, unknown>),',
    );
    expect(createArgument(code)).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: "You're helpful." },
        { role: 'user', content: tricky },
      ],
      'x-odd': null,
      temperature: 0.2,
    });
  });

  it('calls the Anthropic SDK with a top-level system and max_tokens, reading the key from the environment', () => {
    const { shape, code } = buildProviderCode(
      {
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        request: {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          ],
          parameters: { thinking: { type: 'enabled', budget_tokens: 1024 } },
        },
      },
      'typescript',
    );
    expect(shape).toBe('anthropic');
    expect(code).toContain("import Anthropic from '@anthropic-ai/sdk';");
    expect(code).toContain('// Reads ANTHROPIC_API_KEY from the environment.');
    expect(code).toContain('const message = await client.messages.create({');
    expect(createArgument(code)).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      max_tokens: 1024,
    });
  });

  it('points an OpenAI-compatible provider at its own endpoint', () => {
    const { code } = buildProviderCode({ model: 'llama-3', provider: 'groq', request: null }, 'typescript');
    expect(code).toContain(
      'new OpenAI({ baseURL: process.env.PROVIDER_BASE_URL, apiKey: process.env.PROVIDER_API_KEY })',
    );
    expect(createArgument(code)).toEqual({ model: 'llama-3', messages: [] });
  });
});

describe('buildProviderCode in Python', () => {
  it('passes the SDK parameters by name, Python literals for JSON ones, anything else as extra_body', () => {
    const { code } = buildProviderCode(
      {
        model: 'gpt-4o',
        provider: 'openai',
        request: {
          messages: [{ role: 'user', content: 'Hi "there"\n', name: null }],
          parameters: { logprobs: true, store: false, top_k: 40, stream: true },
        },
      },
      'python',
    );
    expect(code).toBe(
      [
        'from openai import OpenAI',
        '',
        '# Reads OPENAI_API_KEY from the environment.',
        'client = OpenAI()',
        '',
        '# Logged as a streamed call; this asks for the whole answer at once.',
        'completion = client.chat.completions.create(',
        '    model="gpt-4o",',
        '    messages=[',
        '        {',
        '            "role": "user",',
        '            "content": "Hi \\"there\\"\\n",',
        '            "name": None,',
        '        },',
        '    ],',
        '    logprobs=True,',
        '    store=False,',
        '    extra_body={',
        '        "top_k": 40,',
        '    },',
        ')',
        '',
        'print(completion.choices[0].message.content)',
      ].join('\n'),
    );
  });

  it('calls the Anthropic SDK, and an OpenAI-compatible provider through base_url', () => {
    const anthropic = buildProviderCode(
      { model: 'claude-haiku-4-5', request: { systemPrompt: 'Short.', messages: [] } },
      'python',
    ).code;
    expect(anthropic).toContain('import anthropic');
    expect(anthropic).toContain('client = anthropic.Anthropic()');
    expect(anthropic).toContain(
      'message = client.messages.create(\n    model="claude-haiku-4-5",\n    system="Short.",',
    );
    expect(anthropic).toContain('    max_tokens=1024,\n)');
    expect(anthropic).toContain('print(message.content)');

    const compatible = buildProviderCode({ model: 'mistral-large', provider: 'mistral' }, 'python').code;
    expect(compatible).toContain(
      'client = OpenAI(base_url=os.environ["PROVIDER_BASE_URL"], api_key=os.environ["PROVIDER_API_KEY"])',
    );
  });
});
