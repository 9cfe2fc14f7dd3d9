import { describe, expect, it } from 'vitest';
import { systemPromptHash, systemPromptOf } from './extract';

describe('systemPromptOf', () => {
  it('takes systemPrompt when given, else the text of the system messages', () => {
    expect(systemPromptOf({ systemPrompt: 'Be brief.', messages: [{ role: 'system', content: 'Ignored' }] })).toBe(
      'Be brief.',
    );
    expect(
      systemPromptOf({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          {
            role: 'system',
            content: [
              { type: 'text', text: 'Answer in ' },
              { type: 'text', text: 'French.' },
            ],
          },
        ],
      }),
    ).toBe('Be brief.\n\nAnswer in French.');
  });

  it('has none without a system prompt, and ignores what is not text', () => {
    expect(systemPromptOf(undefined)).toBeNull();
    expect(systemPromptOf({ systemPrompt: '' })).toBeNull();
    expect(systemPromptOf({ messages: [{ role: 'user', content: 'Hi' }] })).toBeNull();
    expect(
      systemPromptOf({
        messages: [
          null,
          'system',
          {
            role: 'system',
            content: [
              { type: 'image_url', image_url: 'x' },
              { type: 'text', text: 42 },
            ],
          },
        ],
      }),
    ).toBeNull();
  });

  it('redacts each string as the payload redactor would', () => {
    const upper = (text: string) => text.toUpperCase();
    expect(systemPromptOf({ systemPrompt: 'key' }, upper)).toBe('KEY');
    expect(systemPromptOf({ messages: [{ role: 'system', content: [{ type: 'text', text: 'a' }] }] }, upper)).toBe('A');
  });
});

describe('systemPromptHash', () => {
  it('is the first 128 bits of the SHA-256, in hex', () => {
    expect(systemPromptHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223');
  });
});
