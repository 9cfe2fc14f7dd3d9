import type { CustomRedactionRule, ErrorIssue, RedactionSettings } from '@promptlog/contracts';
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { BUILTIN_DETECTORS, type BuiltinDetector, type RedactionCounts, redactionMarker } from './builtin-rules';

export type { RedactionCounts } from './builtin-rules';

export interface Redactor {
  /** False when no rule is on: `redact` then returns its input and allocates nothing. */
  readonly active: boolean;
  /**
   * A JSON value with every secret in its strings replaced by `[REDACTED:<rule>]`; object keys are kept.
   * Returns `value` itself when nothing matched, otherwise a copy that shares the unchanged parts; never
   * mutates `value`. Adds the number of replacements per rule to `counts`.
   */
  redact<T>(value: T, counts: RedactionCounts): T;
  redactText(text: string, counts: RedactionCounts): string;
}

const NO_REDACTION: Redactor = {
  active: false,
  redact: (value) => value,
  redactText: (text) => text,
};

interface CompiledCustomRule {
  readonly name: string;
  readonly marker: string;
  readonly re: RE2JS;
}

// A marker already in the text, inserted by a rule or sent by the client; custom rules never match across one.
const MARKER = /\[REDACTED:[a-z][a-z0-9_]{0,39}\]/g;
const MARKER_START = '[REDACTED:';

class CompiledRedactor implements Redactor {
  readonly active = true;

  constructor(
    private readonly builtins: readonly BuiltinDetector[],
    private readonly custom: readonly CompiledCustomRule[],
  ) {}

  redact<T>(value: T, counts: RedactionCounts): T {
    return sameShape<T>(this.walk(value, counts));
  }

  redactText(text: string, counts: RedactionCounts): string {
    let out = text;
    for (const detector of this.builtins) {
      if (detector.mayMatch(out)) out = detector.redact(out, counts);
    }
    return this.custom.length === 0 ? out : this.redactCustom(out, counts);
  }

  private walk(value: unknown, counts: RedactionCounts): unknown {
    if (typeof value === 'string') return this.redactText(value, counts);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const next = this.walk(item, counts);
        if (next === item) continue;
        copy ??= value.slice();
        copy[i] = next;
      }
      return copy ?? value;
    }
    if (!isPlainObject(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = value[key];
      const next = this.walk(item, counts);
      if (next === item) continue;
      copy ??= { ...value };
      // Defined rather than assigned, so a "__proto__" key from JSON.parse stays an ordinary property.
      Object.defineProperty(copy, key, { value: next, writable: true, enumerable: true, configurable: true });
    }
    return copy ?? value;
  }

  /**
   * Custom rules see the text between markers only, each stretch on its own (so `^` and `$` also match next
   * to a marker): a rule cannot match inside or across a marker that a built-in or an earlier rule inserted.
   */
  private redactCustom(text: string, counts: RedactionCounts): string {
    let first = 0;
    if (!text.includes(MARKER_START)) {
      while (first < this.custom.length && !this.custom[first]?.re.test(text)) first++;
      if (first === this.custom.length) return text;
    }
    const parts = splitAtMarkers(text);
    let changed = false;
    for (let r = first; r < this.custom.length; r++) {
      const rule = this.custom[r];
      if (rule === undefined) continue;
      for (let p = 0; p < parts.length; p += 2) {
        const plain = parts[p] ?? '';
        if (plain === '' || !rule.re.test(plain)) continue;
        const pieces = replaceCustom(plain, rule, counts);
        if (pieces.length === 1) continue;
        parts.splice(p, 1, ...pieces);
        p += pieces.length - 1;
        changed = true;
      }
    }
    return changed ? parts.join('') : text;
  }
}

/** The text as alternating stretches of plain text (even indexes, possibly empty) and markers (odd indexes). */
function splitAtMarkers(text: string): string[] {
  const parts: string[] = [];
  let copied = 0;
  for (const marker of text.matchAll(MARKER)) {
    parts.push(text.slice(copied, marker.index), marker[0]);
    copied = marker.index + marker[0].length;
  }
  parts.push(text.slice(copied));
  return parts;
}

/** The plain text split as by `splitAtMarkers`, with the rule's matches turned into markers. */
function replaceCustom(plain: string, rule: CompiledCustomRule, counts: RedactionCounts): string[] {
  const pieces: string[] = [];
  const matcher = rule.re.matcher(plain);
  let copied = 0;
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    // A rule that can match nothing would mark every gap; validation refuses those, and this guards older settings.
    if (start === end) continue;
    pieces.push(plain.slice(copied, start), rule.marker);
    copied = end;
    counts[rule.name] = (counts[rule.name] ?? 0) + 1;
  }
  pieces.push(plain.slice(copied));
  return pieces;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `walk` returns a value of its input's shape (strings stay strings, containers are copied); TS cannot see it. */
function sameShape<T>(output: unknown): T {
  return output as T;
}

function flagsOf(rule: Pick<CustomRedactionRule, 'caseInsensitive'>): number {
  return rule.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, Redactor>();

function cacheKey(settings: RedactionSettings): string {
  const on = BUILTIN_DETECTORS.map((d) => (settings.builtins.includes(d.name) ? '1' : '0')).join('');
  return settings.custom.length === 0
    ? on
    : on + JSON.stringify(settings.custom.map((rule) => [rule.name, rule.pattern, rule.caseInsensitive]));
}

/**
 * The redactor for a project's settings, compiled once and cached, since ingestion asks for it on every
 * request. Custom patterns run on RE2, so they match in linear time whatever a user writes; a pattern that
 * does not compile throws, as settings are validated with `validateCustomRule` before they are saved.
 */
export function compileRedactor(settings: RedactionSettings): Redactor {
  if (settings.builtins.length === 0 && settings.custom.length === 0) return NO_REDACTION;
  const key = cacheKey(settings);
  const cached = cache.get(key);
  if (cached !== undefined) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const redactor = new CompiledRedactor(
    BUILTIN_DETECTORS.filter((d) => settings.builtins.includes(d.name)),
    settings.custom.map((rule) => ({
      name: rule.name,
      marker: redactionMarker(rule.name),
      re: RE2JS.compile(rule.pattern, flagsOf(rule)),
    })),
  );
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, redactor);
  return redactor;
}

const LINEAR_TIME = 'which RE2 does not support (it keeps matching linear-time)';

function describeSyntaxError(error: RE2JSSyntaxException, pattern: string): string {
  const description = error.getDescription();
  const fragment = error.getPattern() ?? '';
  if (/^\\(?:[1-9]|k)/.test(fragment)) return `uses a backreference (${fragment}), ${LINEAR_TIME}`;
  if (fragment.startsWith('(?=') || fragment.startsWith('(?!')) return `uses a lookahead, ${LINEAR_TIME}`;
  if (fragment.startsWith('(?<=') || fragment.startsWith('(?<!')) return `uses a lookbehind, ${LINEAR_TIME}`;
  if (fragment.startsWith('(?>')) return `uses an atomic group, ${LINEAR_TIME}`;
  return fragment === '' || fragment === pattern
    ? `is not valid RE2: ${description}`
    : `is not valid RE2: ${description}: ${fragment}`;
}

// Whether an empty match is allowed depends only on the characters either side of it: text edge, word
// character, newline or other. Wrapping the pattern between exact context characters tries each pairing.
const CONTEXTS = ['', 'a', ' ', '\n'];

function matchesEmpty(rule: Pick<CustomRedactionRule, 'pattern' | 'caseInsensitive'>): boolean {
  const flags = flagsOf(rule);
  // `\E` closes a \Q…-quote left open at the end of the pattern, which would otherwise swallow the ")".
  for (const closer of ['', '\\E']) {
    const between = (before: string, after: string) =>
      RE2JS.compile(`(?s:.{${before.length}})(?:${rule.pattern}${closer})(?s:.{${after.length}})`, flags);
    try {
      between('', '');
    } catch {
      continue;
    }
    return CONTEXTS.some((before) => CONTEXTS.some((after) => between(before, after).testExact(before + after)));
  }
  return RE2JS.compile(rule.pattern, flags).test('');
}

/** Null when the rule can be saved, otherwise what is wrong with its pattern, e.g. "is not valid RE2: missing closing )". */
export function validateCustomRule(rule: Pick<CustomRedactionRule, 'pattern' | 'caseInsensitive'>): string | null {
  try {
    RE2JS.compile(rule.pattern, flagsOf(rule));
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return describeSyntaxError(error, rule.pattern);
    return `is not valid RE2: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (matchesEmpty(rule)) {
    return 'matches an empty string, so it would redact everywhere: make it match at least one character (e.g. a+ rather than a*)';
  }
  return null;
}

/** One issue per custom rule whose pattern cannot be used, at `redaction.custom.<i>.pattern`, for a 400 response. */
export function redactionSettingsIssues(settings: Pick<RedactionSettings, 'custom'>): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  settings.custom.forEach((rule, i) => {
    const message = validateCustomRule(rule);
    if (message !== null) issues.push({ path: `redaction.custom.${i}.pattern`, message });
  });
  return issues;
}
