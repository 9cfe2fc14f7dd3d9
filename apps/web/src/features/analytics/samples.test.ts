import type { VersionSamples } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { inputsSummary, samplesNote } from './samples';

const sample = {
  id: '0190a5c0-0000-7000-8000-000000000001',
  startedAt: '2026-11-02T09:00:00.000000Z',
  status: 'success' as const,
  model: 'gpt-4o',
  latencyMs: 400,
  costUsd: null,
  signals: [],
  errorType: null,
  payload: 'stored' as const,
  output: { text: 'Hi', truncated: false },
  errorMessage: null,
};

const samples = (pairs: number, scanned = { a: 2000, b: 2000 }): VersionSamples => ({
  pairs: Array.from({ length: pairs }, (_, i) => ({ inputsHash: String(i), inputs: null, a: sample, b: sample })),
  scanned,
  scanLimit: 2000,
});

describe('inputsSummary', () => {
  it('lists the first keys with their values, cut, and counts the rest', () => {
    const text = JSON.stringify({ question: 'Where is my order?', customer: { id: 7 }, lang: 'en', channel: 'email' });
    expect(inputsSummary({ text, truncated: false })).toBe(
      'question: Where is my order? · customer: {"id":7} · lang: en · +1 more',
    );
    expect(inputsSummary({ text: JSON.stringify({ long: 'x'.repeat(100) }), truncated: false })).toBe(
      `long: ${'x'.repeat(79)}…`,
    );
  });

  it('shows the start of the text when it was cut, and says when the inputs were not kept', () => {
    expect(inputsSummary({ text: '{"a":"unfinished', truncated: true })).toBe('{"a":"unfinished');
    expect(inputsSummary(null)).toMatch(/not kept/);
  });
});

describe('samplesNote', () => {
  it('says how far back the pairs were looked for, in the empty state too', () => {
    expect(samplesNote(samples(0), 1, 2)).toBe(
      'No calls of v1 and v2 had the same inputs among the last 2,000 of each.',
    );
    expect(samplesNote(samples(1, { a: 30, b: 2000 }), 1, 2)).toBe(
      'The latest call of each version for the same inputs, newest first: one pair among the last 30 of v1 and 2,000 of v2 with inputs in this window.',
    );
  });
});
