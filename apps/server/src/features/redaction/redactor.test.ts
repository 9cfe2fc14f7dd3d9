import { BUILTIN_REDACTION_RULES, type CustomRedactionRule, type RedactionSettings } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../lib/secrets';
import { isCardNumber } from './builtin-rules';
import { BASE64, DIGITS, HEX, SeededRandom } from './corpus/random';
import { withCheckDigit } from './corpus/secrets';
import { compileRedactor, type RedactionCounts, redactionSettingsIssues, validateCustomRule } from './redactor';

const ALL_BUILTINS: RedactionSettings = { builtins: [...BUILTIN_REDACTION_RULES], custom: [] };

/** Key material built at run time, so no secret-shaped literal sits in the source for scanners to flag. */
function fake(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(i * 7 + 3) % alphabet.length];
  return out;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A Luhn-valid number of `length` digits that starts with `prefix`, built at run time like `fake`. */
function card(prefix: string, length: number): string {
  return withCheckDigit(prefix + fake(length - prefix.length - 1, '0123456789'));
}

/** The digits in groups of the given sizes, joined by `separator`. */
function grouped(digits: string, sizes: readonly number[], separator = ' '): string {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  return groups.join(separator);
}

function redact(text: string, settings: RedactionSettings = ALL_BUILTINS) {
  const counts: RedactionCounts = {};
  return { text: compileRedactor(settings).redactText(text, counts), counts };
}

function rule(name: string, pattern: string, caseInsensitive = false): CustomRedactionRule {
  return { name, pattern, caseInsensitive };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('api_key', () => {
  const keys = {
    'OpenAI legacy': `sk-${fake(48)}`,
    'OpenAI project': `sk-proj-${fake(40, 'abcXYZ_-0123456789')}`,
    Anthropic: `sk-ant-api03-${fake(93)}AA`,
    OpenRouter: `sk-or-v1-${fake(64, '0123456789abcdef')}`,
    Google: `AIza${fake(35, 'ABCdef_-0123456789')}`,
    'AWS access key': `AKIA${fake(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    'AWS temporary key': `ASIA${fake(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    'GitHub classic': `ghp_${fake(36)}`,
    'GitHub OAuth': `gho_${fake(36)}`,
    'GitHub fine-grained': `github_pat_${fake(22)}_${fake(59)}`,
    Slack: `xoxb-${fake(12, '0123456789')}-${fake(13, '0123456789')}-${fake(24)}`,
    'Stripe live': `sk_live_${fake(24)}`,
    'Stripe restricted': `rk_live_${fake(24)}`,
    'Stripe test': `sk_test_${fake(24)}`,
    'Hugging Face': `hf_${fake(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
    Groq: `gsk_${fake(52)}`,
    xAI: `xai-${fake(80)}`,
    Promptlog: randomToken('pl_'),
  };

  it.each(Object.entries(keys))('replaces a %s key wherever it sits in the text', (_, key) => {
    expect(redact(`export KEY=${key}\nthen "${key}", and (${key}).`)).toEqual({
      text: 'export KEY=[REDACTED:api_key]\nthen "[REDACTED:api_key]", and ([REDACTED:api_key]).',
      counts: { api_key: 3 },
    });
  });

  it.each([
    'pip install sk-learn',
    'the task-list is long',
    'scikit-learn, also sk-learn-compatible-estimators-for-pipelines',
    `AKIA${fake(15, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')} is one short`,
    'ghp_tooshort and hf_tooshort and gsk_short and xai-short',
    `my_sk-${fake(30)} is part of a longer word`,
    `pl_${fake(20)} is not a Promptlog key`,
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('api_key stands alone', () => {
  const key = `sk-proj-${fake(40)}`;

  it.each([
    [
      'after an escaped newline in JSON encoded twice',
      `{"text":"config:\\n${key}"}`,
      '{"text":"config:\\n[REDACTED:api_key]"}',
    ],
    ['between full-width punctuation', `密钥：${key}，`, '密钥：[REDACTED:api_key]，'],
    ['at the end of a sentence', `The key is ${key}.`, 'The key is [REDACTED:api_key].'],
    ['after a colon', `key:${key}`, 'key:[REDACTED:api_key]'],
  ])('replaces a key %s', (_, text, expected) => {
    expect(redact(text)).toEqual({ text: expected, counts: { api_key: 1 } });
  });

  it.each([
    ['inside a base64url blob', `${fake(20, BASE64URL)}-sk-${fake(40)}`],
    ['inside a base64 blob, after +', `${fake(20)}+AKIA${fake(16, BASE32)}${fake(8)}`],
    ['inside a base64 blob, after /', `${fake(20)}/ghp_${fake(36)}/${fake(8)}==`],
    ['after a dot', `${fake(12, 'abcdef0123456789')}.AIza${fake(35, BASE64URL)}`],
    ['after a dash', `x-gsk_${fake(52)}`],
    ['after a letter', `xsk-${fake(30)}`],
    ['followed by a base64 character', `AKIA${fake(16, BASE32)}+${fake(8)}`],
    ['a CSS class of hyphenated words', 'class="sk-datagrid-column-header-cell-12"'],
    ['a snake_case name as long as a key', 'pl_trainer_callbacks_model_checkpoint_per_step'],
    ['an AWS-like id that is not base32', `AKIA${fake(16, 'ABCDEFGH0189')}`],
    ['a placeholder', 'ANTHROPIC_API_KEY=sk-ant-...'],
    ['a word with a hyphen and digits', 'risk-management-2024-q3-report-v12 and task-queue-2024-05-17-retry'],
  ])('leaves a prefix %s alone', (_, text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('bearer_token', () => {
  it('replaces the token but keeps the scheme, whatever its case', () => {
    const jwt = `eyJ${fake(20)}.eyJ${fake(30)}.${fake(43, 'abcXYZ0123456789_-')}`;
    expect(redact(`Authorization: Bearer ${jwt}\nauthorization: bearer abc123def456==`)).toEqual({
      text: 'Authorization: Bearer [REDACTED:bearer_token]\nauthorization: bearer [REDACTED:bearer_token]',
      counts: { bearer_token: 2 },
    });
  });

  it.each(['Bearer', 'Bearer ', 'Send a Bearer token', 'Bearer abc1234', 'The bearer instruments were signed'])(
    'leaves %j alone',
    (text) => {
      expect(redact(text)).toEqual({ text, counts: {} });
    },
  );

  it('names a provider key sent as a bearer token an api_key', () => {
    const key = `sk-proj-${fake(40)}`;
    expect(redact(`Authorization: Bearer ${key}`)).toEqual({
      text: 'Authorization: Bearer [REDACTED:api_key]',
      counts: { api_key: 1 },
    });
  });
});

describe('bearer_token is a scheme followed by a token', () => {
  it.each([
    [
      'a JSON header',
      `{"Authorization": "Bearer ${fake(32, BASE64URL)}"}`,
      '{"Authorization": "Bearer [REDACTED:bearer_token]"}',
    ],
    [
      'a tab after the scheme',
      `Authorization: Bearer\t${fake(40, '0123456789abcdef')}`,
      'Authorization: Bearer\t[REDACTED:bearer_token]',
    ],
    ['a long token of letters only', `Bearer ${fake(30, 'abcdefghijKLMNOPQRST')}`, 'Bearer [REDACTED:bearer_token]'],
  ])('replaces the token in %s', (_, text, expected) => {
    expect(redact(text)).toEqual({ text: expected, counts: { bearer_token: 1 } });
  });

  it.each([
    'Authorization: Bearer YOUR_API_KEY',
    'Authorization: Bearer YOUR_PERSONAL_ACCESS_TOKEN_HERE',
    'Authorization: Bearer this.accessToken',
    'Authorization: Bearer process.env.API_TOKEN',
    'the bearer well-being clause',
    `Authorization: \`Bearer \${token}\``,
    `Bearer access-token-\${id}`,
    '"Authorization": "Bearer " + token',
    'Authorization: Bearer {{token}}',
    'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
    '{"token_type":"Bearer","expires_in":3600}',
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('url_password', () => {
  it.each([
    ['postgres://app:s3cr3t@db.internal:5432/app', 'postgres://app:[REDACTED:url_password]@db.internal:5432/app'],
    ['redis://:hunter22@cache:6379/0', 'redis://:[REDACTED:url_password]@cache:6379/0'],
    ['amqp://svc:p@ss:w0rd@mq.example.com', 'amqp://svc:[REDACTED:url_password]@mq.example.com'],
    ['"https://bob:pw@example.com/x"', '"https://bob:[REDACTED:url_password]@example.com/x"'],
  ])('replaces only the password in %s', (text, expected) => {
    expect(redact(text)).toEqual({ text: expected, counts: { url_password: 1 } });
  });

  it.each([
    'https://example.com:8443/path?q=1',
    'https://bob@example.com/profile',
    'write to maria.keller@acme-support.com',
    'mailto:maria:x@example.com',
    'see https://example.com/a:b@c',
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('url_password in query parameters and form fields named for a secret', () => {
  const marker = '[REDACTED:url_password]';
  it.each([
    [
      'jdbc:postgresql://db:5432/app?user=app&password=hunter22&ssl=true',
      `jdbc:postgresql://db:5432/app?user=app&password=${marker}&ssl=true`,
      1,
    ],
    [
      'GET https://api.example.com/v1/me?access_token=ya29.a0AfH6SMC7x-Qz',
      `GET https://api.example.com/v1/me?access_token=${marker}`,
      1,
    ],
    [
      'https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&se=2026-12-05&sp=r&sig=Kq4%2BzX9wT3vL0pQ%3D',
      `https://acct.blob.core.windows.net/c/f.pdf?sv=2022-11-02&se=2026-12-05&sp=r&sig=${marker}`,
      1,
    ],
    [
      'https://b.s3.amazonaws.com/k?X-Amz-Expires=900&X-Amz-Signature=9f86d081884c7d659a2feaa0c55ad015&X-Amz-Security-Token=IQoJb3JpZ2lu',
      `https://b.s3.amazonaws.com/k?X-Amz-Expires=900&X-Amz-Signature=${marker}&X-Amz-Security-Token=${marker}`,
      2,
    ],
    [
      'grant_type=client_credentials&client_secret=8c1f0e2d9b',
      `grant_type=client_credentials&client_secret=${marker}`,
      1,
    ],
    ['Open https://app.example.com/reset?token=Zm9vYmFy123.', `Open https://app.example.com/reset?token=${marker}.`, 1],
    ['(see /callback?TOKEN=abcd1234)', `(see /callback?TOKEN=${marker})`, 1],
  ])('replaces the value in %s', (text, expected, replaced) => {
    expect(redact(text)).toEqual({ text: expected, counts: { url_password: replaced } });
  });

  it.each([
    'https://api.example.com/v1/models?tokenizer=cl100k_base&max_tokens=256',
    'https://example.com/search?q=password+reset&page=2',
    'https://example.com/items?passage=3&signal=on&secretary=bob',
    'https://example.com/reset?token=',
    'https://example.com/reset?token=abc',
    'https://api.example.com/v1/me?access_token={{access_token}}',
    `https://api.example.com/v1/me?access_token=\${ACCESS_TOKEN}`,
    'https://api.example.com/v1/me?access_token=$ACCESS_TOKEN',
    'https://api.example.com/v1/me?api_key=<your key>',
    'https://api.example.com/v1/me?api_key=***',
    'https://api.example.com/v1/me?api_key=:apiKey',
    'the password=hunter22 is not in a URL',
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });

  it('counts a key the api_key rule already replaced once, under that rule', () => {
    expect(redact('https://example.com/v1?api_key=sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2')).toEqual({
      text: 'https://example.com/v1?api_key=[REDACTED:api_key]',
      counts: { api_key: 1 },
    });
  });
});

describe('url_password needs a scheme, a password and a host', () => {
  it.each([
    [
      'mongodb+srv://app:s3cr3tPassw0rd@cluster0.abcd.mongodb.net/db',
      'mongodb+srv://app:[REDACTED:url_password]@cluster0.abcd.mongodb.net/db',
    ],
    ['jdbc:postgresql://app:pw123456@db:5432/app', 'jdbc:postgresql://app:[REDACTED:url_password]@db:5432/app'],
    ['redis://:hunter22@[2001:db8::5]:6379', 'redis://:[REDACTED:url_password]@[2001:db8::5]:6379'],
    ['postgres://app:$uperSecret1@db/app', 'postgres://app:[REDACTED:url_password]@db/app'],
  ])('replaces the password in %s', (text, expected) => {
    expect(redact(text)).toEqual({ text: expected, counts: { url_password: 1 } });
  });

  it.each([
    'git@github.com:org/repo.git',
    'ssh://git@github.com:22/org/repo.git',
    'http://host:8080/path@x',
    'a://b:c@d',
    'C://Users:admin@host',
    'postgres://app:***@db:5432/app',
    'postgres://app:xxxx@db:5432/app',
    'postgres://app:$DB_PASSWORD@db:5432/app',
    'redis://:%REDIS_PASSWORD%@cache:6379',
    `postgres://app:\${DB_PASSWORD}@db:5432/app`,
    'http://localhost:3000@ is not a host',
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('data that holds no secret', () => {
  // The defect that made the built-ins precise: 300 KB of random hex came back with 24 card numbers redacted.
  it.each([
    ['hex', HEX],
    ['base64', BASE64],
    ['digits', DIGITS],
  ])('leaves 300 KB of random %s as it is', (_, alphabet) => {
    const text = new SeededRandom(300).string(300_000, alphabet);
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('card_number', () => {
  it.each([
    ['4111111111111111', '[REDACTED:card_number]'],
    ['card 4111 1111 1111 1111, exp 12/29', 'card [REDACTED:card_number], exp 12/29'],
    ['5500-0000-0000-0004', '[REDACTED:card_number]'],
    ['Amex 3782 822463 10005.', 'Amex [REDACTED:card_number].'],
    ['19 digits: 6200000000000000000', '19 digits: [REDACTED:card_number]'],
    ['with its CVV: 4111 1111 1111 1111 123', 'with its CVV: [REDACTED:card_number] 123'],
  ])('replaces the card in %j', (text, expected) => {
    expect(redact(text)).toEqual({ text: expected, counts: { card_number: 1 } });
  });

  it('counts two cards in one grouped run', () => {
    expect(redact('4111 1111 1111 1111 5500 0000 0000 0004')).toEqual({
      text: '[REDACTED:card_number] [REDACTED:card_number]',
      counts: { card_number: 2 },
    });
  });

  it.each([
    'order id 2024051700012345', // 16 digits that fail the Luhn check
    '4111111111111112',
    '94111111111111111', // a valid card number inside a longer run of digits
    '00004111111111111111',
    'p = 0.4111111111111111', // the fraction of a float
    '2025-05-01T12:30:45.123Z 0190a3c2-7b1e-7c3a-9f2d-4e5b6c7d8e9f',
    'call +1 415 555 0100 ext 1234',
    '4111 1111 1111',
    'EAN 4006381333932', // 13 digits that pass the Luhn check: a barcode, not a Visa number (no longer issued at 13)
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('card_number is a standalone issuer number', () => {
  it.each([
    ['Visa, 16 digits', card('4', 16)],
    ['Visa, 19 digits', card('4', 19)],
    ['Mastercard 51', card('51', 16)],
    ['Mastercard 55', card('55', 16)],
    ['Mastercard 2221', card('2221', 16)],
    ['Mastercard 2720', card('2720', 16)],
    ['Amex 34', card('34', 15)],
    ['Amex 37', card('37', 15)],
    ['Discover 6011', card('6011', 16)],
    ['Discover 644, 19 digits', card('644', 19)],
    ['Discover 65', card('65', 16)],
    ['Diners 36, 14 digits', card('36', 14)],
    ['Diners 300', card('300', 14)],
    ['Diners 38, 16 digits', card('38', 16)],
    ['JCB 3528', card('3528', 16)],
    ['JCB 3589, 19 digits', card('3589', 19)],
    ['UnionPay 62', card('62', 16)],
    ['UnionPay 62, 19 digits', card('62', 19)],
    ['Maestro 6759', card('6759', 16)],
  ])('replaces a %s number', (_, digits) => {
    expect(redact(`pay with ${digits} now`)).toEqual({
      text: 'pay with [REDACTED:card_number] now',
      counts: { card_number: 1 },
    });
  });

  it.each([
    ['4-4-4-4 with spaces', grouped(card('4', 16), [4, 4, 4, 4])],
    ['4-4-4-4 with dashes', grouped(card('51', 16), [4, 4, 4, 4], '-')],
    ['4-4-4-4-3', grouped(card('62', 19), [4, 4, 4, 4, 3])],
    ['4-6-5 (Amex)', grouped(card('37', 15), [4, 6, 5])],
    ['4-6-4 (Diners)', grouped(card('36', 14), [4, 6, 4], '-')],
  ])('replaces a card written %s', (_, written) => {
    expect(redact(`{"card":"${written}"}`)).toEqual({
      text: '{"card":"[REDACTED:card_number]"}',
      counts: { card_number: 1 },
    });
  });

  it.each([
    ['after =', `cc=${card('4', 16)}&exp=1229`, 'cc=[REDACTED:card_number]&exp=1229'],
    ['in a TSV row', `Maria\t${card('55', 16)}\t12/29`, 'Maria\t[REDACTED:card_number]\t12/29'],
    ['after an escaped newline', `card:\\n${card('4', 16)}`, 'card:\\n[REDACTED:card_number]'],
    ['after a full-width colon', `卡号：${card('62', 16)}`, '卡号：[REDACTED:card_number]'],
    ['before an expiry date', `${card('4', 16)} 12/29`, '[REDACTED:card_number] 12/29'],
    ['in parentheses, ending a sentence', `(${card('34', 15)}).`, '([REDACTED:card_number]).'],
  ])('replaces a card %s', (_, text, expected) => {
    expect(redact(text)).toEqual({ text: expected, counts: { card_number: 1 } });
  });

  const visa = card('4', 16);
  it.each([
    ['inside a hex string', `ab${visa}cd`],
    ['glued to a word', `${visa}_x and x_${visa}`],
    ['as a version', `v1.${visa} and 1.2.${visa}`],
    ['as a decimal', `0.${visa} and ${visa}.25`],
    ['in an IP-like string', `10.0.${visa}`],
    ['in a path', `/orders/${visa}/items and ${visa}.json`],
    ['as an id', `ID-${visa}, #${visa}, ${visa}-7, 123-${visa}`],
    ['as a phone number', `+${card('49', 13)}`],
    ['before a port or host', `${visa}:8080 and ${visa}@host`],
    ['after another number', `1234 ${grouped(visa, [4, 4, 4, 4])}`],
    ['followed by more groups', `${grouped(visa, [4, 4, 4, 4])} 1234 5678`],
    ['followed by a group of four', `${grouped(visa, [4, 4, 4, 4])} 1234`],
    ['in a hex dump', `00000010: ${grouped(visa, [4, 4, 4, 4])} a1b2 beef 0042 7f00  ..Az..`],
    ['after a hex group', `beef ${grouped(visa, [4, 4, 4, 4])}`],
    ['with mixed separators', `${visa.slice(0, 4)} ${visa.slice(4, 8)}-${visa.slice(8, 12)} ${visa.slice(12)}`],
    ['in an unusual grouping', grouped(visa, [4, 4, 4, 2, 2])],
    ['in an IBAN', `GB82 WEST ${grouped(card('36', 14), [4, 4, 4, 2])}`],
  ])('leaves a card-shaped number %s alone', (_, text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });

  it('takes only digits for a card number', () => {
    expect(isCardNumber(visa)).toBe(true);
    expect(isCardNumber(`4${'abcdef0123456789'.slice(0, 15)}`)).toBe(false);
    expect(isCardNumber(` ${visa}`)).toBe(false);
  });

  it.each([
    ['no issuer starts with 9', card('9', 16)],
    ['no issuer starts with 1', card('1', 16)],
    ['Mastercard 2-series ends at 2720', card('2721', 16)],
    ['and starts at 2221', card('2220', 16)],
    ['Visa has no 15-digit numbers', card('4', 15)],
    ['Amex has no 16-digit numbers', card('37', 16)],
    ['Mastercard has no 19-digit numbers', card('55', 19)],
    ['Diners 14 digits begin 300-305, 36 or 38', card('306', 14)],
    ['an epoch in milliseconds', String(Date.UTC(2024, 4, 17, 12, 30, 45, 123))],
    ['an epoch in nanoseconds', `${Date.UTC(2024, 4, 17)}000123`],
  ])('leaves a Luhn-valid number alone when %s', (_, text) => {
    expect(redact(text)).toEqual({ text, counts: {} });
  });
});

describe('redacting an execution payload', () => {
  const apiKey = `sk-proj-${fake(40)}`;
  const execution = {
    inputs: {
      customer: 'Maria Lopez',
      accounts: [
        { label: 'primary', card: '4111 1111 1111 1111' },
        ['nested', ['deeper', `postgres://app:s3cr3t@db:5432/app`]],
      ],
      attempts: 3,
      vip: true,
      note: null,
    },
    request: {
      messages: [
        { role: 'system', content: 'You are a support assistant.' },
        { role: 'user', content: `My key is ${apiKey}, please check it` },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Also this header: Authorization: Bearer abc123.def456.ghi789' },
            { type: 'image_url', image_url: { url: 'https://cdn.example.com/a.png' } },
          ],
        },
      ],
      parameters: { temperature: 0.3 },
    },
    toolCalls: [
      { round: 0, name: 'charge', arguments: { card: '5500000000000004', amount: 1299 } },
      {
        round: 1,
        name: 'http_get',
        arguments: JSON.stringify({ url: 'https://svc:hunter22@api.example.com/x', key: apiKey }),
      },
    ],
    output: 'Done.',
  };

  it('redacts every string value, object or JSON text alike, and counts per rule', () => {
    const counts: RedactionCounts = {};
    const result = compileRedactor(ALL_BUILTINS).redact(execution, counts);
    expect(result).toEqual({
      ...execution,
      inputs: {
        ...execution.inputs,
        accounts: [
          { label: 'primary', card: '[REDACTED:card_number]' },
          ['nested', ['deeper', 'postgres://app:[REDACTED:url_password]@db:5432/app']],
        ],
      },
      request: {
        ...execution.request,
        messages: [
          execution.request.messages[0],
          { role: 'user', content: 'My key is [REDACTED:api_key], please check it' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Also this header: Authorization: Bearer [REDACTED:bearer_token]' },
              { type: 'image_url', image_url: { url: 'https://cdn.example.com/a.png' } },
            ],
          },
        ],
      },
      toolCalls: [
        { round: 0, name: 'charge', arguments: { card: '[REDACTED:card_number]', amount: 1299 } },
        {
          round: 1,
          name: 'http_get',
          arguments: '{"url":"https://svc:[REDACTED:url_password]@api.example.com/x","key":"[REDACTED:api_key]"}',
        },
      ],
    });
    expect(counts).toEqual({ api_key: 2, bearer_token: 1, url_password: 2, card_number: 2 });
  });

  it('never mutates the input and shares the parts that did not change', () => {
    const frozen = deepFreeze(structuredClone(execution));
    const result = compileRedactor(ALL_BUILTINS).redact(frozen, {});
    expect(frozen).toEqual(execution);
    expect(result).not.toBe(frozen);
    expect(result.request.parameters).toBe(frozen.request.parameters);
    expect(result.request.messages[0]).toBe(frozen.request.messages[0]);
    expect(result.output).toBe(frozen.output);
  });

  it('returns the very same value when nothing matched', () => {
    const clean = { messages: [{ role: 'user', content: 'hello' }], n: 1 };
    const counts: RedactionCounts = {};
    expect(compileRedactor(ALL_BUILTINS).redact(clean, counts)).toBe(clean);
    expect(counts).toEqual({});
  });

  it('leaves object keys alone', () => {
    const value = { [apiKey]: 'x', nested: { [`Bearer ${fake(20)}`]: apiKey } };
    expect(compileRedactor(ALL_BUILTINS).redact(value, {})).toEqual({
      [apiKey]: 'x',
      nested: { [`Bearer ${fake(20)}`]: '[REDACTED:api_key]' },
    });
  });

  it('adds to the counts it is given', () => {
    const counts: RedactionCounts = { api_key: 1 };
    const redactor = compileRedactor(ALL_BUILTINS);
    redactor.redact([apiKey], counts);
    redactor.redact({ a: apiKey }, counts);
    expect(counts).toEqual({ api_key: 3 });
  });

  it('applies only the built-ins that are on', () => {
    const counts: RedactionCounts = {};
    const result = compileRedactor({ builtins: ['card_number'], custom: [] }).redact(execution, counts);
    expect(result.request.messages[1]).toEqual(execution.request.messages[1]);
    expect(counts).toEqual({ card_number: 2 });
  });

  it('does nothing when no rule is on', () => {
    const redactor = compileRedactor({ builtins: [], custom: [] });
    const counts: RedactionCounts = {};
    expect(redactor.active).toBe(false);
    expect(redactor.redact(execution, counts)).toBe(execution);
    expect(counts).toEqual({});
  });
});

describe('custom rules', () => {
  it('replace what they match, after the built-ins, case-insensitively when asked', () => {
    const settings: RedactionSettings = {
      builtins: ['card_number'],
      custom: [rule('employee_id', 'EMP-\\d{6}'), rule('codename', 'project (?:falcon|osprey)', true)],
    };
    expect(redact('EMP-123456 and emp-654321 work on Project FALCON, card 4111111111111111', settings)).toEqual({
      text: '[REDACTED:employee_id] and emp-654321 work on [REDACTED:codename], card [REDACTED:card_number]',
      counts: { employee_id: 1, codename: 1, card_number: 1 },
    });
  });

  it('find matches at the right place in text with characters outside the BMP', () => {
    expect(redact('😀 secret 😀secret!', { builtins: [], custom: [rule('word', 'secret')] }).text).toBe(
      '😀 [REDACTED:word] 😀[REDACTED:word]!',
    );
  });

  it('never match inside or across a marker that a built-in or an earlier rule inserted', () => {
    const key = `sk-proj-${fake(40)}`;
    const settings: RedactionSettings = {
      builtins: ['api_key'],
      custom: [
        rule('password', 'hunter2'),
        rule('any_word', 'api|REDACTED|password|key'),
        rule('assignment', 'token=\\S+'),
        rule('brackets', '\\[[^\\]]*\\]'),
      ],
    };
    expect(redact(`token=${key} hunter2 [REDACTED:old]`, settings)).toEqual({
      text: 'token=[REDACTED:api_key] [REDACTED:password] [REDACTED:old]',
      counts: { api_key: 1, password: 1 },
    });
  });

  it('match each stretch between markers on its own, so ^ and $ match next to a marker', () => {
    const settings: RedactionSettings = { builtins: [], custom: [rule('pin', 'PIN\\d{4}'), rule('ref', '^ref-\\d+$')] };
    expect(redact('PIN1234ref-42', settings).text).toBe('[REDACTED:pin][REDACTED:ref]');
    expect(redact('ref-42 x', settings).text).toBe('ref-42 x');
  });

  it('skip empty matches from a pattern saved before validation refused them', () => {
    expect(redact('bab', { builtins: [], custom: [rule('a', 'a*')] })).toEqual({
      text: 'b[REDACTED:a]b',
      counts: { a: 1 },
    });
  });

  it('run in linear time even for a pattern that makes a backtracking engine hang', () => {
    const settings: RedactionSettings = { builtins: [], custom: [rule('evil', '(a+)+$')] };
    const text = `${'a'.repeat(50_000)}!`;
    expect(redact(text, settings)).toEqual({ text, counts: {} });
  });
});

describe('built-in patterns on adversarial input', () => {
  it.each([
    ['a+', 'a+'.repeat(50_000)],
    ['://a:', '://a:'.repeat(20_000)],
    ['sk-', 'sk-'.repeat(30_000)],
    ['Bearer ', 'Bearer '.repeat(20_000)],
    ['1 ', '1 '.repeat(50_000)],
    ['123-', '123-'.repeat(25_000)],
  ])('finish on %j repeated', (_, text) => {
    expect(redact(`${text}!`).text.length).toBeGreaterThan(0);
  });
});

describe('compileRedactor', () => {
  it('returns the cached redactor for equal settings', () => {
    const custom = [rule('ticket', 'TCK-\\d+')];
    const first = compileRedactor({ builtins: ['api_key', 'card_number'], custom });
    const second = compileRedactor({ builtins: ['card_number', 'api_key'], custom: custom.map((r) => ({ ...r })) });
    expect(second).toBe(first);
    expect(compileRedactor({ builtins: ['api_key'], custom })).not.toBe(first);
  });

  it('throws on a pattern that was not validated', () => {
    expect(() => compileRedactor({ builtins: [], custom: [rule('bad', '(a')] })).toThrow(/missing closing \)/);
  });
});

describe('validateCustomRule', () => {
  it.each(['sk_[a-z]{10}', '(?i)acme-\\d+', '\\bEMP-\\d{6}\\b', '\\Qa.b', '^ref-\\d+$'])('accepts %s', (pattern) => {
    expect(validateCustomRule(rule('r', pattern))).toBeNull();
  });

  it.each([
    ['(abc', 'is not valid RE2: missing closing )'],
    ['[a-', 'is not valid RE2: missing closing ]'],
    ['a{2000}', 'is not valid RE2: invalid repeat count: {2000}'],
    ['(\\w+) \\1', 'uses a backreference (\\1), which RE2 does not support (it keeps matching linear-time)'],
    ['foo(?=bar)', 'uses a lookahead, which RE2 does not support (it keeps matching linear-time)'],
    ['(?<!x)y', 'uses a lookbehind, which RE2 does not support (it keeps matching linear-time)'],
  ])('rejects %s', (pattern, message) => {
    expect(validateCustomRule(rule('r', pattern))).toBe(message);
  });

  it.each(['a*', 'x?', 'foo|', '\\b', '(?m)^', '\\Q'])('rejects %s, which matches an empty string', (pattern) => {
    expect(validateCustomRule(rule('r', pattern))).toMatch(/^matches an empty string, so it would redact everywhere/);
  });

  it('reports each bad pattern at its place in the settings', () => {
    expect(
      redactionSettingsIssues({ custom: [rule('ok', 'ok-\\d+'), rule('bad', '(a'), rule('empty', 'a*', true)] }),
    ).toEqual([
      { path: 'redaction.custom.1.pattern', message: 'is not valid RE2: missing closing )' },
      { path: 'redaction.custom.2.pattern', message: expect.stringMatching(/^matches an empty string/) },
    ]);
  });
});
