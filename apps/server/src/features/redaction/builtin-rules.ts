import type { BuiltinRedactionRule } from '@promptlog/contracts';

export type RedactionCounts = Record<string, number>;

export function redactionMarker(rule: string): string {
  return `[REDACTED:${rule}]`;
}

/** Every pattern here is linear-time: each quantified part is one character class, never nested or ambiguous. */
export interface BuiltinDetector {
  readonly name: BuiltinRedactionRule;
  /** A cheap test that holds for every string the detector could change. */
  mayMatch(text: string): boolean;
  /** The text with its secrets replaced (the same string when there were none); adds to `counts`. */
  redact(text: string, counts: RedactionCounts): string;
}

function count(counts: RedactionCounts, rule: string): void {
  counts[rule] = (counts[rule] ?? 0) + 1;
}

/** The replacement for one match (having counted what it replaced), or null to leave the match as it is. */
type Replacer = (match: RegExpExecArray, counts: RedactionCounts) => string | null;

function replaceMatches(text: string, pattern: RegExp, counts: RedactionCounts, replace: Replacer): string {
  pattern.lastIndex = 0;
  let out: string | undefined;
  let copied = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const replacement = replace(match, counts);
    if (replacement === null) continue;
    out = (out ?? '') + text.slice(copied, match.index) + replacement;
    copied = match.index + match[0].length;
  }
  return out === undefined ? text : out + text.slice(copied);
}

// One branch per provider: a literal prefix, then one greedy character class with a minimum length (or an
// exact length closed by a lookahead), so a failed attempt costs at most that minimum.
const API_KEY = new RegExp(
  [
    'sk-[A-Za-z0-9_-]{20,}', // OpenAI (incl. sk-proj-), Anthropic sk-ant-, OpenRouter sk-or-
    'AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])', // Google
    'A(?:KIA|SIA)[A-Z0-9]{16}\\b', // AWS access key ids
    'gh[pousr]_[A-Za-z0-9]{30,}', // GitHub
    'github_pat_[A-Za-z0-9_]{22,}',
    'xox[abprs]-[A-Za-z0-9-]{20,}', // Slack
    '[sr]k_(?:live|test)_[A-Za-z0-9]{20,}', // Stripe
    'hf_[A-Za-z0-9]{30,}', // Hugging Face
    'gsk_[A-Za-z0-9]{20,}', // Groq
    'xai-[A-Za-z0-9]{20,}', // xAI
    'pl_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])', // Promptlog: randomToken('pl_'), 32 bytes in base64url
  ]
    .map((branch) => `\\b${branch}`)
    .join('|'),
  'g',
);
const HAS_DIGIT = /\d/;

const apiKey: BuiltinDetector = {
  name: 'api_key',
  mayMatch: (text) => text.length >= 20,
  redact: (text, counts) =>
    replaceMatches(text, API_KEY, counts, (match) => {
      // Hyphenated prose such as sk-learn-compatible-estimators-for-pipelines has no digit; real keys do.
      if (match[0].startsWith('sk-') && !HAS_DIGIT.test(match[0])) return null;
      count(counts, 'api_key');
      return redactionMarker('api_key');
    }),
};

// RFC 6750 b64token characters; the scheme is case-insensitive. Keeps "Bearer " so the header still reads as one.
const BEARER = /\b(bearer[ \t]+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const NON_LETTER = /[^A-Za-z]/;

const bearerToken: BuiltinDetector = {
  name: 'bearer_token',
  mayMatch: (text) => text.length >= 15,
  redact: (text, counts) =>
    replaceMatches(text, BEARER, counts, (match) => {
      const [, scheme = '', token = ''] = match;
      // Prose ("bearer instruments") is all letters; real tokens have digits or symbols, or are long.
      if (!NON_LETTER.test(token) && token.length < 24) return null;
      count(counts, 'bearer_token');
      return scheme + redactionMarker('bearer_token');
    }),
};

// scheme://user:password@host. The user part cannot hold ':' or '@'; the password runs to the last '@' before
// the host, and neither part crosses '/', whitespace or quotes, so each '://' is scanned at most twice.
const URL_PASSWORD = /(?<=[A-Za-z0-9]):\/\/([A-Za-z0-9\-._~%!$&'()*+,;=]*):([A-Za-z0-9\-._~%!$&'()*+,;=:@]+)@/g;

const urlPassword: BuiltinDetector = {
  name: 'url_password',
  mayMatch: (text) => text.includes('://'),
  redact: (text, counts) =>
    replaceMatches(text, URL_PASSWORD, counts, (match) => {
      count(counts, 'url_password');
      return `://${match[1] ?? ''}:${redactionMarker('url_password')}@`;
    }),
};

// A whole run of 3+-digit groups joined by single spaces or dashes (the separator makes the repetition
// unambiguous), 13+ characters long, not after a digit or a decimal point (0.30000000000000004). Leading with
// \d and looking behind from there lets V8 skip to digits: several times faster than a leading lookbehind.
const CARD_RUN = /\d(?<![\d.]\d)(?=[\d -]{12})\d{2,}(?:[ -]\d{3,})*/g;
const SEPARATOR = /[ -]/;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const isCardLength = (digits: number) => digits >= 13 && digits <= 19;

/**
 * The run with each card number in it replaced, or null if it holds none. An ungrouped run is a card only
 * as a whole (digits inside a longer number are not); a grouped run may hold a card among other groups,
 * as in "4111 1111 1111 1111 123", so consecutive whole groups are tried, longest first.
 */
function redactCardRun(run: string, counts: RedactionCounts): string | null {
  if (!SEPARATOR.test(run)) {
    if (!isCardLength(run.length) || !passesLuhn(run)) return null;
    count(counts, 'card_number');
    return redactionMarker('card_number');
  }
  const groups = run.split(SEPARATOR);
  const starts: number[] = [];
  let at = 0;
  for (const group of groups) {
    starts.push(at);
    at += group.length + 1;
  }
  let out = '';
  let copied = 0;
  for (let first = 0; first < groups.length; ) {
    let found = -1;
    let digits = '';
    for (let last = first; last < groups.length; last++) {
      digits += groups[last];
      if (digits.length > 19) break;
      if (isCardLength(digits.length) && passesLuhn(digits)) found = last;
    }
    if (found < 0) {
      first++;
      continue;
    }
    const from = starts[first] ?? 0;
    const to = (starts[found] ?? 0) + (groups[found]?.length ?? 0);
    out += run.slice(copied, from) + redactionMarker('card_number');
    copied = to;
    count(counts, 'card_number');
    first = found + 1;
  }
  return copied === 0 ? null : out + run.slice(copied);
}

const cardNumber: BuiltinDetector = {
  name: 'card_number',
  mayMatch: (text) => text.length >= 13,
  redact: (text, counts) => replaceMatches(text, CARD_RUN, counts, (match) => redactCardRun(match[0], counts)),
};

/** In the order they run: the specific api_key before bearer_token, so a key sent as a bearer token is named as a key. */
export const BUILTIN_DETECTORS: readonly BuiltinDetector[] = [apiKey, bearerToken, urlPassword, cardNumber];
