import type { BuiltinRedactionRule } from '@promptlog/contracts';
import { paragraph } from './prose';
import { ALPHANUMERIC, BASE64URL, DIGITS, HEX, LOWER, SeededRandom, UPPER } from './random';
import { hostname, isoTimestamp, person, uuidV4 } from './values';

export interface SecretSample {
  /** The secret in realistic surroundings. */
  readonly text: string;
  /** What must be gone from the redacted text. */
  readonly secret: string;
  readonly rule: BuiltinRedactionRule;
  /** What the secret is and where it sits, for messages: "Anthropic key in an env file". */
  readonly kind: string;
}

export interface SecretCorpusOptions {
  readonly seed: number;
  readonly count: number;
}

// --- API keys, in every format the api_key detector claims ----------------------------------------------------

const BASE32 = `${UPPER}234567`;

const API_KEYS: readonly (readonly [string, (r: SeededRandom) => string])[] = [
  ['OpenAI legacy key', (r) => `sk-${r.string(20, ALPHANUMERIC)}T3BlbkFJ${r.string(20, ALPHANUMERIC)}`],
  ['OpenAI project key', (r) => `sk-proj-${r.string(74, BASE64URL)}T3BlbkFJ${r.string(74, BASE64URL)}`],
  ['OpenAI service account key', (r) => `sk-svcacct-${r.string(58, BASE64URL)}T3BlbkFJ${r.string(58, BASE64URL)}`],
  ['OpenAI admin key', (r) => `sk-admin-${r.string(58, BASE64URL)}T3BlbkFJ${r.string(58, BASE64URL)}`],
  ['Anthropic key', (r) => `sk-ant-api03-${r.string(93, BASE64URL)}AA`],
  ['Anthropic admin key', (r) => `sk-ant-admin01-${r.string(93, BASE64URL)}AA`],
  ['OpenRouter key', (r) => `sk-or-v1-${r.string(64, HEX)}`],
  ['DeepSeek key', (r) => `sk-${r.string(32, HEX)}`],
  ['Google API key', (r) => `AIza${r.string(35, BASE64URL)}`],
  ['AWS access key id', (r) => `AKIA${r.string(16, BASE32)}`],
  ['AWS temporary access key id', (r) => `ASIA${r.string(16, BASE32)}`],
  ['GitHub token', (r) => `gh${r.pick(['p', 'o', 'u', 's', 'r'])}_${r.string(36, ALPHANUMERIC)}`],
  ['GitHub fine-grained token', (r) => `github_pat_${r.string(22, ALPHANUMERIC)}_${r.string(59, ALPHANUMERIC)}`],
  ['Slack bot token', (r) => `xoxb-${r.number(12)}-${r.number(13)}-${r.string(24, ALPHANUMERIC)}`],
  ['Slack user token', (r) => `xoxp-${r.number(12)}-${r.number(12)}-${r.number(13)}-${r.string(32, HEX)}`],
  ['Slack app token', (r) => `xox${r.pick(['a', 'r', 's'])}-2-${r.number(12)}-${r.string(40, ALPHANUMERIC)}`],
  ['Stripe secret key', (r) => `sk_${r.pick(['live', 'test'])}_51${r.string(r.int(22, 97), ALPHANUMERIC)}`],
  ['Stripe restricted key', (r) => `rk_${r.pick(['live', 'test'])}_51${r.string(r.int(22, 97), ALPHANUMERIC)}`],
  ['Hugging Face token', (r) => `hf_${r.string(34, `${UPPER}${LOWER}`)}`],
  ['Groq key', (r) => `gsk_${r.string(52, ALPHANUMERIC)}`],
  ['xAI key', (r) => `xai-${r.string(80, ALPHANUMERIC)}`],
  ['Promptlog key', (r) => `pl_${r.string(43, BASE64URL)}`],
];

const API_KEY_PLACES: readonly (readonly [string, string])[] = [
  ['an env file', 'OPENAI_API_KEY={secret}\nLOG_LEVEL=info'],
  ['a shell export', 'export GH_TOKEN="{secret}"'],
  ['a JSON string', '{"api_key": "{secret}", "model": "gpt-4o-mini"}'],
  ['YAML', 'provider:\n  api_key: {secret}\n  timeout: 30'],
  ['a header', 'x-api-key: {secret}\r\nContent-Type: application/json'],
  ['a Python call', "client = OpenAI(api_key='{secret}', timeout=20)"],
  ['a query string', 'GET https://api.example.com/v1/search?key={secret}&q=shoes'],
  ['prose', 'My key is {secret}, please check why it fails.'],
  ['parentheses', 'rotate the old key ({secret}) tomorrow'],
  ['backticks', 'Use `{secret}` for staging.'],
  ['JSON encoded twice, after an escaped newline', '{"arguments":"{\\"text\\":\\"config:\\\\n{secret}\\"}"}'],
  ['Chinese text', '密钥：{secret}，请勿泄露。'],
  ['a log line', '{time} INFO using key={secret} for org {uuid}'],
  ['HTML', '<input type="password" value="{secret}">'],
  ['a Markdown table', '| prod | {secret} | active |'],
  ['key:value without a space', 'key:{secret}'],
  ['a line of its own', '{secret}'],
  ['a TSV row', 'prod\t{secret}\t{time}'],
  ['a sentence end', 'The key is {secret}.'],
];

// --- Bearer tokens --------------------------------------------------------------------------------------------

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

const BEARER_TOKENS: readonly (readonly [string, (r: SeededRandom) => string])[] = [
  [
    'JWT',
    (r) =>
      `${base64url(JSON.stringify({ alg: r.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }))}.${base64url(
        JSON.stringify({ sub: uuidV4(r), iat: 1715950000 + r.int(0, 9e7), scope: 'read write' }),
      )}.${r.string(43, BASE64URL)}`,
  ],
  ['opaque hex token', (r) => r.string(r.pick([32, 40, 64]), HEX)],
  ['opaque base64url token', (r) => r.string(r.int(24, 64), BASE64URL)],
  ['Google OAuth access token', (r) => `ya29.${r.string(r.int(120, 200), BASE64URL)}`],
  ['base64 token with padding', (r) => `${r.string(42, ALPHANUMERIC)}==`],
];

const BEARER_PLACES: readonly (readonly [string, string])[] = [
  ['an Authorization header', 'Authorization: Bearer {secret}\r\nAccept: */*'],
  ['a lower-case header', 'authorization: bearer {secret}'],
  ['an upper-case header', 'AUTHORIZATION: BEARER {secret}'],
  ['JSON headers', '{"headers": {"Authorization": "Bearer {secret}", "Accept": "application/json"}}'],
  ['a curl command', "curl -H 'Authorization: Bearer {secret}' https://api.example.com/v1/me"],
  ['a Python dict', 'headers = {"Authorization": "Bearer {secret}"}'],
  ['a proxy header', 'Proxy-Authorization: Bearer {secret}'],
  ['a JSON token field', '{"token": "Bearer {secret}", "expires_in": 3600}'],
  ['an HTTP request dump', 'GET /v1/runs HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer {secret}\r\n\r\n'],
  ['an escaped request dump', 'GET /v1/runs HTTP/1.1\\r\\nAuthorization: Bearer {secret}\\r\\nHost: api.example.com'],
  ['a log line', '{time} DEBUG outgoing request Authorization=Bearer {secret} status=200'],
  ['a tab after the scheme', 'Authorization: Bearer\t{secret}'],
];

// --- Passwords in URLs ----------------------------------------------------------------------------------------

const URL_SCHEMES = [
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mongodb',
  'mongodb+srv',
  'https',
  'http',
  'ftp',
  'sftp',
  'smtp',
  'ldap',
  'clickhouse',
  'nats',
];
const PASSWORD_CHARACTERS = `${ALPHANUMERIC}-._~!$&*+,;=`;

function urlPassword(r: SeededRandom): string {
  return r.weighted<() => string>([
    [6, () => r.string(r.int(10, 32), ALPHANUMERIC)],
    [3, () => r.string(r.int(10, 32), PASSWORD_CHARACTERS)],
    [2, () => `${r.string(6, ALPHANUMERIC)}%40${r.string(6, ALPHANUMERIC)}%2F${r.string(4, ALPHANUMERIC)}`],
    // Not encoded, as people paste them: the password runs to the last '@'.
    [1, () => `${r.string(5, ALPHANUMERIC)}@${r.string(5, ALPHANUMERIC)}:${r.string(6, ALPHANUMERIC)}`],
  ])();
}

function urlWithPassword(r: SeededRandom, password: string): string {
  const scheme = r.pick(URL_SCHEMES);
  const user = r.pick(['app', 'admin', 'svc_orders', 'deploy', 'first.last', 'user%40corp.com', '']);
  const host = r.pick([hostname(r), '10.0.3.14', '[2001:db8::5]', 'db']);
  const port = r.chance(0.6) ? `:${r.pick([5432, 3306, 6379, 5672, 27017, 443, 21])}` : '';
  const rest = r.pick(['', '/app', '/0', '/%2F', '/orders?sslmode=require', '/?authSource=admin&retryWrites=true']);
  return `${scheme}://${user}:${password}@${host}${port}${rest}`;
}

/** A URL or form body carrying a secret as a named parameter, as APIs, JDBC drivers and signed links do. */
function urlWithSecretParameter(r: SeededRandom, secret: string): string {
  const host = hostname(r);
  return r.pick([
    () => `jdbc:postgresql://${host}:5432/app?user=app&password=${secret}&ssl=true`,
    () => `https://${host}/v1/me?access_token=${secret}`,
    () => `https://${host}/oauth/callback?state=${r.string(12, ALPHANUMERIC)}&id_token=${secret}`,
    () => `https://acct.blob.core.windows.net/reports/${uuidV4(r)}.pdf?sv=2022-11-02&sp=r&sig=${secret}`,
    () => `https://${host}/export.csv?X-Amz-Expires=900&X-Amz-Signature=${secret}`,
    () => `grant_type=client_credentials&client_id=${r.string(10, LOWER)}&client_secret=${secret}`,
  ])();
}

const URL_PLACES: readonly (readonly [string, string])[] = [
  ['an env file', 'DATABASE_URL={url}\nPORT=3000'],
  ['a JSON string', '{"dsn": "{url}", "pool": 10}'],
  ['YAML', 'cache:\n  url: {url}\n  ttl: 60'],
  ['a Python call', 'engine = create_engine("{url}", pool_pre_ping=True)'],
  ['a log line', '{time} INFO connecting to {url} (attempt 1/5)'],
  ['a shell command', "psql '{url}' -c 'select 1'"],
  ['TOML', '[database]\nurl = "{url}"'],
  ['XML', '<property name="url">{url}</property>'],
  ['prose', 'The broker is at {url} now, the old one is gone.'],
  ['Japanese text', '接続先は{url}です。'],
];

// --- Card numbers ---------------------------------------------------------------------------------------------

/** Issuer prefixes and lengths, written out independently of the detector's table so each checks the other. */
const CARD_PREFIXES: readonly (readonly [string, readonly string[], readonly number[]])[] = [
  ['Visa', ['4'], [16, 19]],
  ['Mastercard', ['51', '52', '53', '54', '55', '2221', '2300', '2500', '2720'], [16]],
  ['American Express', ['34', '37'], [15]],
  ['Discover', ['6011', '644', '645', '646', '647', '648', '649', '65'], [16, 17, 18, 19]],
  ['Diners Club', ['36', '38', '300', '301', '302', '303', '304', '305'], [14, 15, 16, 17, 18, 19]],
  ['JCB', ['3528', '3550', '3589'], [16, 17, 18, 19]],
  ['UnionPay', ['62'], [16, 17, 18, 19]],
  ['Maestro', ['5018', '5020', '5038', '5893', '6304', '6759', '6761', '6762', '6763'], [16, 17, 18, 19]],
];

/** `body` with the Luhn check digit appended. */
export function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = body.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

export function cardDigits(r: SeededRandom, prefix: string, length: number): string {
  return withCheckDigit(prefix + r.string(length - prefix.length - 1, DIGITS));
}

/** The usual ways of writing a card of this length: 4-4-4-4, 4-4-4-4-3, 4-6-5 and 4-6-4, with spaces or dashes. */
function groupings(length: number): readonly (readonly number[])[] {
  if (length === 16) return [[4, 4, 4, 4]];
  if (length === 19) return [[4, 4, 4, 4, 3]];
  if (length === 15) return [[4, 6, 5]];
  if (length === 14) return [[4, 6, 4]];
  return [];
}

function written(r: SeededRandom, digits: string): string {
  const options = groupings(digits.length);
  if (options.length === 0 || r.chance(0.4)) return digits;
  const separator = r.pick([' ', '-']);
  const groups: string[] = [];
  let at = 0;
  for (const size of r.pick(options)) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  return groups.join(separator);
}

const CARD_PLACES: readonly (readonly [string, string])[] = [
  ['a label', 'card: {secret}'],
  ['a sentence with expiry and CVV', 'Card number {secret}, exp 12/29, CVV 123.'],
  ['a JSON string', '{"card_number": "{secret}", "exp": "12/29"}'],
  ['a CSV row', '{name},{secret},12/29,123'],
  ['a log line', '{time} INFO charging card {secret} for $12.00'],
  ['German text', 'Kartennummer: {secret}'],
  ['Chinese text', '卡号：{secret}'],
  ['a CVV after it', '{secret} 123'],
  ['an expiry after it', '{secret} 12/29'],
  ['a Markdown table', '| Visa | {secret} | {name} |'],
  ['JSON encoded twice, after an escaped newline', '{"text":"card:\\n{secret}"}'],
  ['parentheses', 'Pay with ({secret}) today'],
  ['a sentence end', 'Please charge {secret}.'],
  ['a query string', 'POST /pay?cc={secret}&exp=1229'],
  ['HTML', '<input name="cc" value="{secret}">'],
  ['a TSV row', '{name}\t{secret}\t12/29'],
];

// --- Samples --------------------------------------------------------------------------------------------------

function place(r: SeededRandom, template: string, slots: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, slot: string) => {
    if (slot === 'time') return isoTimestamp(r);
    if (slot === 'uuid') return uuidV4(r);
    if (slot === 'name') return person(r);
    return slots[slot] ?? whole;
  });
}

type SampleMaker = (r: SeededRandom) => SecretSample;

const SAMPLE_MAKERS: readonly SampleMaker[] = [
  ...API_KEYS.map(
    ([name, make]): SampleMaker =>
      (r) => {
        const [where, template] = r.pick(API_KEY_PLACES);
        const secret = make(r);
        return { text: place(r, template, { secret }), secret, rule: 'api_key', kind: `${name} in ${where}` };
      },
  ),
  ...BEARER_TOKENS.map(
    ([name, make]): SampleMaker =>
      (r) => {
        const [where, template] = r.pick(BEARER_PLACES);
        const secret = make(r);
        return { text: place(r, template, { secret }), secret, rule: 'bearer_token', kind: `${name} in ${where}` };
      },
  ),
  (r) => {
    const [name, make] = r.pick(API_KEYS);
    const [where, template] = r.pick(BEARER_PLACES);
    const secret = make(r);
    return {
      text: place(r, template, { secret }),
      secret,
      rule: 'api_key',
      kind: `${name} sent as a bearer token in ${where}`,
    };
  },
  ...[0, 1, 2].map(
    (): SampleMaker => (r) => {
      const [where, template] = r.pick(URL_PLACES);
      const secret = urlPassword(r);
      const url = urlWithPassword(r, secret);
      return {
        text: place(r, template, { url }),
        secret,
        rule: 'url_password',
        kind: `password in ${url} in ${where}`,
      };
    },
  ),
  ...[0, 1, 2].map(
    (): SampleMaker => (r) => {
      const [where, template] = r.pick(URL_PLACES);
      const secret = r.chance(0.3) ? r.string(40, HEX) : r.string(r.int(16, 48), BASE64URL);
      const url = urlWithSecretParameter(r, secret);
      return {
        text: place(r, template, { url }),
        secret,
        rule: 'url_password',
        kind: `secret parameter in ${url} in ${where}`,
      };
    },
  ),
  ...CARD_PREFIXES.flatMap(([issuer, prefixes, lengths]) =>
    prefixes.flatMap((prefix) =>
      lengths.map(
        (length): SampleMaker =>
          (r) => {
            const [where, template] = r.pick(CARD_PLACES);
            const secret = written(r, cardDigits(r, prefix, length));
            return {
              text: place(r, template, { secret }),
              secret,
              rule: 'card_number',
              kind: `${issuer} ${prefix}… (${length} digits) in ${where}`,
            };
          },
      ),
    ),
  ),
];

/**
 * Real-format secrets of every kind the built-in detectors claim, each in realistic surroundings (env files,
 * JSON, headers, logs, prose in several languages, sometimes with a paragraph of ordinary text around it). The
 * formats take turns, so any `count` of a few hundred or more covers every one.
 */
export function* generateSecretSamples({ seed, count }: SecretCorpusOptions): Generator<SecretSample> {
  const r = new SeededRandom(seed);
  for (let i = 0; i < count; i++) {
    const maker = SAMPLE_MAKERS[i % SAMPLE_MAKERS.length];
    if (maker === undefined) return;
    const sample = maker(r);
    if (!r.chance(0.25)) {
      yield sample;
      continue;
    }
    yield { ...sample, text: `${paragraph(r, 2)}\n${sample.text}\n${paragraph(r, 1)}` };
  }
}
