import type { SystemPromptList } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../lib/format';
import { chosenDrift, chosenTexts, driftSentence, driftsOf, excerpt, mainText, usageText } from './drift';

const item = (promptVersion: number | null, hash: string, calls: number, text: string | null, day = 2) => ({
  hash,
  promptVersion,
  calls,
  text,
  firstSeenAt: `2026-11-0${day}T09:00:00.000000Z`,
  lastSeenAt: `2026-11-0${day + 1}T09:00:00.000000Z`,
});

const LIST: SystemPromptList = {
  items: [
    item(3, 'a', 5, 'Be concise.'),
    item(3, 'b', 1, 'Be brief.', 4),
    item(2, 'c', 9, 'Be nice.'),
    item(null, 'd', 1, null),
  ],
  versions: [
    {
      promptVersion: 3,
      distinctTexts: 2,
      calls: 6,
      firstSeenAt: '2026-11-02T09:00:00Z',
      lastSeenAt: '2026-11-05T09:00:00Z',
    },
    {
      promptVersion: 2,
      distinctTexts: 1,
      calls: 9,
      firstSeenAt: '2026-11-02T09:00:00Z',
      lastSeenAt: '2026-11-03T09:00:00Z',
    },
    {
      promptVersion: null,
      distinctTexts: 14,
      calls: 14,
      firstSeenAt: '2026-11-02T09:00:00Z',
      lastSeenAt: '2026-11-03T09:00:00Z',
    },
  ],
};

describe('drift', () => {
  it('lists the versions logged with more than one text, with their texts, newest first', () => {
    const drifts = driftsOf(LIST);
    expect(drifts.map((d) => [d.label, d.distinctTexts, d.texts.map((t) => t.hash)])).toEqual([
      ['v3', 2, ['a', 'b']],
      ['Calls without a version', 14, ['d']],
    ]);
    expect(drifts.map(driftSentence)).toEqual([
      'v3 was logged with 2 different system prompts',
      'Calls without a version were logged with 14 different system prompts',
    ]);
    expect(driftsOf({ items: [], versions: [] })).toEqual([]);
  });

  it('names a text by a one-line excerpt and its use', () => {
    expect(excerpt('Be\n  concise.')).toBe('“Be concise.”');
    expect(excerpt('x'.repeat(100))).toBe(`“${'x'.repeat(59)}…”`);
    expect(excerpt(null)).toBe('text not kept');
    const used = item(3, 'a', 1, 'x');
    expect(usageText(used)).toBe(
      `1 call, first seen ${formatDateTime(used.firstSeenAt)}, last seen ${formatDateTime(used.lastSeenAt)}`,
    );
  });

  it('compares versions by their most called text', () => {
    expect(mainText(LIST, 3)?.hash).toBe('a');
    expect(mainText(LIST, 7)).toBeNull();
  });
});

describe('choosing what to diff within a version', () => {
  const drift = driftsOf(LIST)[0];
  const texts = drift?.texts ?? [];

  it('takes the version the URL names, else the newest that drifted', () => {
    const drifts = driftsOf(LIST);
    expect(chosenDrift(drifts, 'none')?.version).toBeNull();
    expect(chosenDrift(drifts, '3')?.version).toBe(3);
    expect(chosenDrift(drifts, '42')?.version).toBe(3);
    expect(chosenDrift([], null)).toBeUndefined();
  });

  it('diffs the text used first against the one used last, unless the URL names two', () => {
    expect(chosenTexts(texts, null, null)?.map((t) => t.hash)).toEqual(['a', 'b']);
    expect(chosenTexts(texts, 'b', 'a')?.map((t) => t.hash)).toEqual(['b', 'a']);
    expect(chosenTexts(texts, 'gone', null)?.map((t) => t.hash)).toEqual(['a', 'b']);
    expect(chosenTexts(texts.slice(0, 1), null, null)).toBeNull();
  });
});
