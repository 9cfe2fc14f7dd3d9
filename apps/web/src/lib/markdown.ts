/** A deliberately small Markdown subset, parsed to data so the renderer only ever creates React text nodes. */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'code'; language: string; text: string }
  | { type: 'quote'; children: Inline[] }
  | { type: 'rule' };

const FENCE = /^\s*(```|~~~)\s*([\w+-]*)\s*$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*\d+[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      index += 1;
      while (index < lines.length && !(lines[index] ?? '').trim().startsWith(fence[1] ?? '```')) {
        body.push(lines[index] ?? '');
        index += 1;
      }
      index += 1;
      blocks.push({ type: 'code', language: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      index += 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]?.length ?? 1) as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ type: 'heading', level, children: parseInline(heading[2] ?? '') });
      index += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      index += 1;
      continue;
    }
    const listPattern = BULLET.test(line) ? BULLET : ORDERED.test(line) ? ORDERED : null;
    if (listPattern) {
      const items: Inline[][] = [];
      while (index < lines.length) {
        const item = listPattern.exec(lines[index] ?? '');
        if (!item) break;
        items.push(parseInline(item[1] ?? ''));
        index += 1;
      }
      blocks.push({ type: 'list', ordered: listPattern === ORDERED, items });
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (index < lines.length) {
        const quoted = QUOTE.exec(lines[index] ?? '');
        if (!quoted) break;
        body.push(quoted[1] ?? '');
        index += 1;
      }
      blocks.push({ type: 'quote', children: parseInline(body.join(' ')) });
      continue;
    }
    const body: string[] = [];
    while (index < lines.length) {
      const next = lines[index] ?? '';
      if (next.trim() === '' || FENCE.test(next) || HEADING.test(next) || BULLET.test(next) || ORDERED.test(next)) {
        break;
      }
      if (QUOTE.test(next) || RULE.test(next)) break;
      body.push(next.trim());
      index += 1;
    }
    blocks.push({ type: 'paragraph', children: parseInline(body.join(' ')) });
  }
  return blocks;
}

// A redaction marker is matched first and kept as text, so underscores in rule names never start emphasis.
const INLINE =
  /(\[REDACTED:[a-z][a-z0-9_]{0,39}\])|`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s](?:[^*]*[^*\s])?)\*|_([^_\s](?:[^_]*[^_\s])?)_|\[([^\]]+)\]\(([^)\s]+)\)/;

export function parseInline(text: string): Inline[] {
  const result: Inline[] = [];
  let rest = text;
  while (rest) {
    const match = INLINE.exec(rest);
    if (!match) {
      result.push({ type: 'text', text: rest });
      break;
    }
    if (match.index > 0) result.push({ type: 'text', text: rest.slice(0, match.index) });
    const [whole, redaction, code, strong, strongAlt, em, emAlt, label, href] = match;
    if (redaction !== undefined) result.push({ type: 'text', text: redaction });
    else if (code !== undefined) result.push({ type: 'code', text: code });
    else if (strong !== undefined || strongAlt !== undefined) {
      result.push({ type: 'strong', children: parseInline(strong ?? strongAlt ?? '') });
    } else if (em !== undefined || emAlt !== undefined) {
      result.push({ type: 'em', children: parseInline(em ?? emAlt ?? '') });
    } else if (label !== undefined && href !== undefined) {
      const safe = safeHref(href);
      if (safe) result.push({ type: 'link', href: safe, children: parseInline(label) });
      else result.push({ type: 'text', text: whole });
    }
    rest = rest.slice(match.index + whole.length);
  }
  return mergeText(result);
}

/** Only http(s) links survive: `javascript:` and friends stay visible as text. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function mergeText(inlines: Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const inline of inlines) {
    const last = merged.at(-1);
    if (inline.type === 'text' && last?.type === 'text') last.text += inline.text;
    else merged.push(inline);
  }
  return merged;
}
