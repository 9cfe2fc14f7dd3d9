import { diffWords } from 'diff';

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

/** Past this, a word diff of two very different texts is given up rather than freezing the page. */
const DIFF_TIMEOUT_MS = 500;

/**
 * Text `b` against text `a`, word by word (whitespace kept, not compared), as parts to render as text; null when the
 * texts are too far apart to diff in time.
 */
export function wordDiff(a: string, b: string): DiffPart[] | null {
  const changes = diffWords(a, b, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return null;
  return changes.map((change) => ({
    kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  }));
}

/** How many words each side changed, for a one-line summary. */
export function diffCounts(parts: readonly DiffPart[]): { added: number; removed: number } {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  let added = 0;
  let removed = 0;
  for (const part of parts) {
    if (part.kind === 'added') added += words(part.text);
    if (part.kind === 'removed') removed += words(part.text);
  }
  return { added, removed };
}
