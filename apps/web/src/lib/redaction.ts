export type TextSegment = { type: 'text'; text: string } | { type: 'redaction'; text: string; rule: string };

// The marker the server writes in place of a redacted value; rule names follow RedactionRuleName.
const MARKER = /\[REDACTED:([a-z][a-z0-9_]{0,39})\]/g;

/** Splits logged text around `[REDACTED:rule]` markers so they can be shown apart, still as text. */
export function splitRedactions(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    const start = match.index;
    if (start > last) segments.push({ type: 'text', text: text.slice(last, start) });
    segments.push({ type: 'redaction', text: match[0], rule: match[1] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length || segments.length === 0) segments.push({ type: 'text', text: text.slice(last) });
  return segments;
}

export function hasRedactions(text: string): boolean {
  return text.includes('[REDACTED:') && splitRedactions(text).some((segment) => segment.type === 'redaction');
}

/** How many values each rule replaced: the total and "api_key ×2, card_number ×1", most frequent first. */
export function countRedactions(counts: Record<string, number>): { total: number; rules: string } {
  const entries = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return {
    total: entries.reduce((sum, [, count]) => sum + count, 0),
    rules: entries.map(([rule, count]) => `${rule} ×${count}`).join(', '),
  };
}

/** "3 values were redacted at ingestion: api_key ×2, card_number ×1"; null for none. */
export function describeRedactions(counts: Record<string, number>): string | null {
  const { total, rules } = countRedactions(counts);
  if (total === 0) return null;
  return `${total} ${total === 1 ? 'value was' : 'values were'} redacted at ingestion: ${rules}`;
}
