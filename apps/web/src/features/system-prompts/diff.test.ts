import { describe, expect, it } from 'vitest';
import { diffCounts, wordDiff } from './diff';

describe('wordDiff', () => {
  it('marks the words removed from the first text and added in the second, keeping the rest', () => {
    const parts = wordDiff('Be concise and empathetic.', 'Be brief and empathetic.');
    expect(parts).toEqual([
      { kind: 'same', text: 'Be ' },
      { kind: 'removed', text: 'concise' },
      { kind: 'added', text: 'brief' },
      { kind: 'same', text: ' and empathetic.' },
    ]);
    expect(diffCounts(parts ?? [])).toEqual({ added: 1, removed: 1 });
  });

  it('gives one unchanged part for equal texts, and keeps markup as plain text', () => {
    expect(wordDiff('Same text.', 'Same text.')).toEqual([{ kind: 'same', text: 'Same text.' }]);
    const parts = wordDiff('Say hi.', 'Say <img src=x onerror=alert(1)> hi.') ?? [];
    expect(
      parts
        .filter((p) => p.kind === 'added')
        .map((p) => p.text)
        .join(''),
    ).toContain('<img src=x');
    expect(parts.map((p) => (p.kind === 'removed' ? '' : p.text)).join('')).toBe(
      'Say <img src=x onerror=alert(1)> hi.',
    );
  });

  it('rebuilds each side from its parts', () => {
    const a = 'You are a support agent.\nLook up orders first.';
    const b = 'You are a friendly support agent.\nAlways look up orders first, then answer.';
    const parts = wordDiff(a, b) ?? [];
    expect(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(a);
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(b);
  });
});
