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

/** Whether `index` follows an escape such as \n (JSON encoded twice), which separates tokens like whitespace. */
function followsEscape(text: string, index: number): boolean {
  const letter = text.charAt(index - 1);
  return text.charAt(index - 2) === '\\' && (letter === 'n' || letter === 'r' || letter === 't');
}

/** Whether the character before `index` is one of `glue`, making the match the middle of a longer token. */
function gluedBefore(text: string, index: number, glue: RegExp): boolean {
  return index > 0 && glue.test(text.charAt(index - 1)) && !followsEscape(text, index);
}

function gluedAfter(text: string, end: number, glue: RegExp): boolean {
  return end < text.length && glue.test(text.charAt(end));
}

const HAS_DIGIT = /\d/;
const HAS_UPPER = /[A-Z]/;
const HAS_LOWER = /[a-z]/;

// One branch per provider: a literal prefix, then one greedy character class with a minimum length (or an
// exact length closed by a lookahead), so a failed attempt costs at most that minimum.
const API_KEY = new RegExp(
  [
    'sk-[A-Za-z0-9_-]{20,}', // OpenAI (incl. sk-proj-), Anthropic sk-ant-, OpenRouter sk-or-, DeepSeek
    'AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])', // Google
    'A(?:KIA|SIA)[A-Z2-7]{16}(?![A-Za-z0-9_])', // AWS access key ids, base32
    'gh[pousr]_[A-Za-z0-9]{30,}', // GitHub
    'github_pat_[A-Za-z0-9_]{22,}',
    'xox[abprs]-[A-Za-z0-9-]{20,}', // Slack
    '[sr]k_(?:live|test)_[A-Za-z0-9]{20,}', // Stripe
    'hf_[A-Za-z0-9]{34,}', // Hugging Face
    'gsk_[A-Za-z0-9]{20,}', // Groq
    'xai-[A-Za-z0-9]{20,}', // xAI
    'pl_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])', // Promptlog: randomToken('pl_'), 32 bytes in base64url
  ].join('|'),
  'g',
);
// A key is a token of its own. Glued to a letter, digit, _ - + / or . before it (or _ - + / = after it), the
// prefix is the middle of a word, an identifier or a base64 blob: xsk-…, task-…, …+AKIA…, …/ghp_….
const KEY_GLUED_BEFORE = /[A-Za-z0-9_+/.-]/;
const KEY_GLUED_AFTER = /[A-Za-z0-9_+/=-]/;
const KEY_SEPARATOR = /[_-]/;

/**
 * Whether the text has the random part a key has: hyphenated words (sk-learn-compatible-estimators-v2, CSS classes
 * such as sk-grid-column-12) lack a long run of letters and digits, and snake_case names (pl_trainer_…) lack capitals.
 */
function looksGenerated(key: string): boolean {
  const body = key.slice(3);
  if (key.startsWith('sk-')) return body.split(KEY_SEPARATOR).some((run) => run.length >= 12 && HAS_DIGIT.test(run));
  if (key.startsWith('pl_')) return HAS_UPPER.test(body) && HAS_LOWER.test(body);
  return true;
}

const apiKey: BuiltinDetector = {
  name: 'api_key',
  mayMatch: (text) => text.length >= 20,
  redact: (text, counts) =>
    replaceMatches(text, API_KEY, counts, (match) => {
      const key = match[0];
      if (gluedBefore(text, match.index, KEY_GLUED_BEFORE)) return null;
      if (gluedAfter(text, match.index + key.length, KEY_GLUED_AFTER) || !looksGenerated(key)) return null;
      count(counts, 'api_key');
      return redactionMarker('api_key');
    }),
};

// RFC 6750 b64token characters after the scheme as a word of its own, case-insensitive. Keeps "Bearer " so the
// header still reads as one.
const BEARER = /\b(bearer[ \t]+)([A-Za-z0-9\-._~+/]{8,}=*)/gi;
const WORDS = /^[A-Za-z]+(?:[-._][A-Za-z]+)*$/;
// A token that runs into ${…} or {…} is the literal start of a template, not a token.
const TEMPLATE_AFTER = /[${]/;

/**
 * Whether what follows "Bearer" is a token rather than prose ("bearer instruments", "bearer well-being") or code
 * (this.token, YOUR_API_KEY). Tokens have digits; a long one may not, but it is no dotted path or constant.
 */
function looksLikeToken(token: string): boolean {
  if (HAS_DIGIT.test(token) || !WORDS.test(token)) return true;
  return token.length >= 24 && !token.includes('.') && HAS_LOWER.test(token);
}

const bearerToken: BuiltinDetector = {
  name: 'bearer_token',
  mayMatch: (text) => text.length >= 15,
  redact: (text, counts) =>
    replaceMatches(text, BEARER, counts, (match) => {
      const [whole, scheme = '', token = ''] = match;
      if (!looksLikeToken(token) || gluedAfter(text, match.index + whole.length, TEMPLATE_AFTER)) return null;
      count(counts, 'bearer_token');
      return scheme + redactionMarker('bearer_token');
    }),
};

// scheme://user:password@host. The user part cannot hold ':' or '@'; the password runs to the last '@' followed
// by a host, and neither part crosses '/', whitespace or quotes, so each '://' is scanned at most twice.
const URL_PASSWORD =
  /(?<=[A-Za-z0-9]):\/\/([A-Za-z0-9\-._~%!$&'()*+,;=]*):([A-Za-z0-9\-._~%!$&'()*+,;=:@]+)@(?=[A-Za-z0-9[])/g;
const SCHEME_CHARACTER = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
// Masked (***, xxxx) or an environment variable ($DB_PASSWORD, %DB_PASSWORD%): there is no password to hide.
// Variables are upper case, so a password such as $uperSecret1 is still one.
const NO_PASSWORD = /^(?:\*+|[xX]+|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%)$/;

/** Whether the '://' at `index` ends a URL scheme: a letter, then letters, digits, + . or -; two or more of them. */
function endsScheme(text: string, index: number): boolean {
  let start = index;
  while (start > 0 && index - start < 32 && SCHEME_CHARACTER.test(text.charAt(start - 1))) start--;
  return index - start >= 2 && LETTER.test(text.charAt(start));
}

// A query parameter (or form field) named for a secret: ?password=…, &access_token=…, an Azure SAS's &sig=…, an S3
// presigned URL's &X-Amz-Signature=…. The name is matched whole, so ?tokenizer=… and &max_tokens=… are not; the value
// runs to the next & # whitespace, quote, angle bracket or backslash (an escape in JSON text).
const SECRET_PARAM =
  /([?&])((?:x-amz-|x-goog-)?(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|auth_token|api_key|apikey|api-key|sig|signature|security-token))=([^&#\s"'<>\\]+)/gi;
// A URL in prose often ends a sentence: its closing punctuation is not the secret's.
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ')', ']', '}']);
// No secret to hide: masked, an environment variable, a template placeholder, or a value redacted already.
const NO_PARAM_SECRET = /^(?:\*+|[xX]+|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%|\$?\{+[^}]*\}+|:[A-Za-z_]+|\[[^\]]*\])$/;
const MIN_PARAM_SECRET_LENGTH = 4;

function redactSecretParams(text: string, counts: RedactionCounts): string {
  return replaceMatches(text, SECRET_PARAM, counts, (match) => {
    const [, separator = '', name = '', sent = ''] = match;
    let end = sent.length;
    while (end > 0 && TRAILING_PUNCTUATION.has(sent.charAt(end - 1))) end--;
    const value = sent.slice(0, end);
    if (value.length < MIN_PARAM_SECRET_LENGTH || NO_PARAM_SECRET.test(sent) || NO_PARAM_SECRET.test(value)) {
      return null;
    }
    count(counts, 'url_password');
    return `${separator}${name}=${redactionMarker('url_password')}${sent.slice(value.length)}`;
  });
}

const urlPassword: BuiltinDetector = {
  name: 'url_password',
  mayMatch: (text) => text.includes('://') || (text.includes('=') && (text.includes('?') || text.includes('&'))),
  redact: (text, counts) => {
    const withoutUserPasswords = text.includes('://')
      ? replaceMatches(text, URL_PASSWORD, counts, (match) => {
          const [, user = '', password = ''] = match;
          if (!endsScheme(text, match.index) || NO_PASSWORD.test(password)) return null;
          count(counts, 'url_password');
          return `://${user}:${redactionMarker('url_password')}@`;
        })
      : text;
    return text.includes('=') ? redactSecretParams(withoutUserPasswords, counts) : withoutUserPasswords;
  },
};

interface CardIssuer {
  /** Leading digits, as one prefix ("4") or a range of prefixes of the same length ("2221-2720"). */
  readonly prefixes: readonly string[];
  readonly lengths: readonly number[];
}

const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];

const CARD_ISSUERS: Readonly<Record<string, CardIssuer>> = {
  // Not 13 digits: no longer issued, and as long as EAN-13 barcodes and phone numbers written without a +.
  visa: { prefixes: ['4'], lengths: [16, 19] },
  mastercard: { prefixes: ['51-55', '2221-2720'], lengths: [16] },
  americanExpress: { prefixes: ['34', '37'], lengths: [15] },
  discover: { prefixes: ['6011', '644-649', '65'], lengths: SIXTEEN_TO_NINETEEN },
  dinersClub: { prefixes: ['36', '38', '300-305'], lengths: [14, 15, ...SIXTEEN_TO_NINETEEN] },
  jcb: { prefixes: ['3528-3589'], lengths: SIXTEEN_TO_NINETEEN },
  unionPay: { prefixes: ['62'], lengths: SIXTEEN_TO_NINETEEN },
  // Only the ranges that are Maestro's alone, and its usual lengths: shorter ones collide with too many numbers.
  maestro: { prefixes: ['5018', '5020', '5038', '5893', '6304', '6759', '6761-6763'], lengths: SIXTEEN_TO_NINETEEN },
};

const ISSUED_RANGES = Object.values(CARD_ISSUERS).flatMap(({ prefixes, lengths }) =>
  prefixes.map((prefix) => {
    const [from = '', to = from] = prefix.split('-');
    return { digits: from.length, from: Number(from), to: Number(to), lengths };
  }),
);

function isIssued(digits: string): boolean {
  return ISSUED_RANGES.some((range) => {
    const prefix = Number(digits.slice(0, range.digits));
    return range.lengths.includes(digits.length) && prefix >= range.from && prefix <= range.to;
  });
}

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

const CARD_DIGITS = /^\d{13,19}$/;

/** Whether the digits are a card number: an issuer's prefix, a length that issuer uses, and a valid check digit. */
export function isCardNumber(digits: string): boolean {
  return CARD_DIGITS.test(digits) && isIssued(digits) && passesLuhn(digits);
}

// Digit groups joined by single spaces or dashes (the separator makes the repetition unambiguous, so a run is
// scanned once), 13+ characters, from an issuer's first digit not after a digit. Leading with the digit and
// looking behind from there lets V8 skip to digits: several times faster than a leading lookbehind.
const DIGIT_RUN = /[2-6](?<!\d.)(?=[\d -]{12})\d*(?:[ -]\d+)*/g;
const GROUP_SEPARATOR = /[ -]/;
const ALPHANUMERIC = /[A-Za-z0-9]/;
const WORD_CHARACTER = /\w/;
// Before a card: a letter, digit or _ (a word), or . / + # @ - (a decimal, path, phone number, order number or id).
const CARD_GLUED_BEFORE = /[A-Za-z0-9_./+#@-]/;
const CONTINUES_TOKEN = /[./:+@#-]/;
// The usual ways of writing a card in groups, longest first: 4-4-4-4(-3), 4-6-5 (Amex) and 4-6-4 (Diners).
const CARD_GROUPINGS: readonly (readonly number[])[] = [
  [4, 4, 4, 4, 3],
  [4, 4, 4, 4],
  [4, 6, 5],
  [4, 6, 4],
];
const LONGEST_TAIL = 3;
const NEIGHBOUR_SCAN = 32;
const HEX_GROUP = /^[0-9a-fA-F]{4}$/;

/**
 * Whether the token one space away from `at` (before it when `step` is -1, after it when 1) belongs to a longer
 * number: it holds a digit, or it is a group of four hex digits as in a hex dump. "card", "Visa" or "exp" do not.
 */
function numberOneSpaceAway(text: string, at: number, step: -1 | 1): boolean {
  if (text.charAt(at) !== ' ') return false;
  let token = '';
  for (let i = at + step; token.length < NEIGHBOUR_SCAN && ALPHANUMERIC.test(text.charAt(i)); i += step) {
    token += text.charAt(i);
  }
  return HAS_DIGIT.test(token) || HEX_GROUP.test(token);
}

/**
 * How the text after a run joins it: inside a word, continuing the token (1.5, /path, :8080), beside another
 * number one space away (a hex dump's next group), or not at all.
 */
type RunEnd = 'in-word' | 'in-token' | 'beside-number' | 'apart';

function runEnd(text: string, end: number): RunEnd {
  const next = text.charAt(end);
  if (WORD_CHARACTER.test(next)) return 'in-word';
  if (CONTINUES_TOKEN.test(next) && ALPHANUMERIC.test(text.charAt(end + 1))) return 'in-token';
  return numberOneSpaceAway(text, end, 1) ? 'beside-number' : 'apart';
}

/** A run split into its digit groups, with where each starts and which separator precedes it. */
class DigitGroups {
  readonly groups: string[];
  private readonly starts: number[] = [];

  constructor(private readonly run: string) {
    this.groups = run.split(GROUP_SEPARATOR);
    let at = 0;
    for (const group of this.groups) {
      this.starts.push(at);
      at += group.length + 1;
    }
  }

  start(group: number): number {
    return this.starts[group] ?? this.run.length;
  }

  end(group: number): number {
    return this.start(group) + (this.groups[group]?.length ?? 0);
  }

  separatorBefore(group: number): string {
    return this.run.charAt(this.start(group) - 1);
  }

  /** The last group of the card that starts at group `first`, written whole or in a usual grouping; -1 if none. */
  cardFrom(first: number): number {
    const whole = this.groups[first] ?? '';
    if (whole.length >= 13 && isCardNumber(whole)) return first;
    const separator = this.separatorBefore(first + 1);
    for (const grouping of CARD_GROUPINGS) {
      let digits = '';
      let matched = 0;
      while (matched < grouping.length) {
        const group = this.groups[first + matched];
        if (group?.length !== grouping[matched]) break;
        if (matched > 0 && this.separatorBefore(first + matched) !== separator) break;
        digits += group;
        matched++;
      }
      if (matched === grouping.length && isCardNumber(digits)) return first + matched - 1;
    }
    return -1;
  }
}

/**
 * The run with its cards replaced, or null if it is part of a longer number. Each card starts the run or follows a
 * card after a space, and one short group may close the run (a CVV, the 12 of 12/29); any other group, a dash to
 * more digits or a token the last card runs into makes the run one longer number.
 */
function redactCardRun(run: string, end: RunEnd, counts: RedactionCounts): string | null {
  if (end === 'in-word' || end === 'beside-number') return null;
  const groups = new DigitGroups(run);
  const cards: (readonly [number, number])[] = [];
  for (let first = 0; ; ) {
    const last = groups.cardFrom(first);
    if (last < 0) return null;
    cards.push([groups.start(first), groups.end(last)]);
    const next = last + 1;
    if (next === groups.groups.length) {
      if (end === 'in-token') return null;
      break;
    }
    if (groups.separatorBefore(next) !== ' ') return null;
    if (next === groups.groups.length - 1 && (groups.groups[next]?.length ?? 0) <= LONGEST_TAIL) break;
    first = next;
  }
  let out = '';
  let copied = 0;
  for (const [from, to] of cards) {
    out += run.slice(copied, from) + redactionMarker('card_number');
    copied = to;
    count(counts, 'card_number');
  }
  return out + run.slice(copied);
}

const cardNumber: BuiltinDetector = {
  name: 'card_number',
  mayMatch: (text) => text.length >= 13,
  redact: (text, counts) =>
    replaceMatches(text, DIGIT_RUN, counts, (match) => {
      const start = match.index;
      if (gluedBefore(text, start, CARD_GLUED_BEFORE) || numberOneSpaceAway(text, start - 1, -1)) return null;
      return redactCardRun(match[0], runEnd(text, start + match[0].length), counts);
    }),
};

/** In the order they run: the specific api_key before bearer_token, so a key sent as a bearer token is named as a key. */
export const BUILTIN_DETECTORS: readonly BuiltinDetector[] = [apiKey, bearerToken, urlPassword, cardNumber];
