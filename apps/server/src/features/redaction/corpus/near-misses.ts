import { ALPHANUMERIC, BASE64, BASE64URL, DIGITS, HEX, LOWER, type SeededRandom, UPPER } from './random';
import { cardDigits } from './secrets';

const BASE32 = `${UPPER}234567`;
const WORDS = [
  'learn',
  'grid',
  'column',
  'header',
  'compatible',
  'estimators',
  'pipeline',
  'button',
  'primary',
  'cell',
  'theme',
  'dark',
  'report',
];

/** Digits that pass as a card on their own (a Visa, Mastercard or Amex number), to hide inside longer tokens. */
function cardShaped(r: SeededRandom): string {
  return r.pick([
    () => cardDigits(r, '4', 16),
    () => cardDigits(r, r.pick(['51', '55', '2221']), 16),
    () => cardDigits(r, r.pick(['34', '37']), 15),
    () => cardDigits(r, '62', 19),
  ])();
}

function groupedInFours(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * Text a careless detector would take for a secret: a key prefix or card digits inside a longer token (a base64
 * blob, a hex string, a version, a path, an id), "bearer" in prose and code, URLs and URL-like text without a
 * password, grouped numbers longer than a card.
 */
export function nearMiss(r: SeededRandom): string {
  const card = cardShaped(r);
  return r.pick([
    // Key prefixes inside base64, base64url and identifiers.
    () => `${r.string(r.int(8, 40), BASE64URL)}-sk-${r.string(r.int(20, 60), BASE64URL)}`,
    () => `${r.string(r.int(8, 40), BASE64)}+AKIA${r.string(16, BASE32)}${r.string(r.int(4, 20), BASE64)}`,
    () => `${r.string(r.int(8, 40), BASE64)}/ASIA${r.string(16, BASE32)}/${r.string(r.int(4, 20), BASE64)}==`,
    () => `${r.string(r.int(8, 40), BASE64)}/ghp_${r.string(36, ALPHANUMERIC)}+${r.string(8, BASE64)}`,
    () => `${r.string(r.int(8, 40), BASE64URL)}_hf_${r.string(34, ALPHANUMERIC)}`,
    () => `${r.string(12, HEX)}.AIza${r.string(35, BASE64URL)}`,
    () => `xsk-${r.string(r.int(20, 40), ALPHANUMERIC)}`,
    () => `my_sk-${r.string(r.int(20, 40), ALPHANUMERIC)}`,
    () => `task-${r.string(8, LOWER)}-${r.number(r.int(4, 12))}-${r.string(12, ALPHANUMERIC)}`,
    () => `risk-management-${r.int(2015, 2026)}-q${r.int(1, 4)}-report-v${r.int(1, 30)}`,
    () => `sk-${Array.from({ length: r.int(3, 6) }, () => r.pick(WORDS)).join('-')}-${r.int(1, 99)}`,
    () => `pl_${Array.from({ length: r.int(4, 8) }, () => r.pick(WORDS)).join('_')}`,
    () => `x-gsk_${r.string(52, ALPHANUMERIC)}`,
    () => `v2.xai-${r.string(80, ALPHANUMERIC)}`,
    () => `ANTHROPIC_API_KEY=sk-ant-...`,
    // Card digits that continue a longer number or id.
    () => `${r.string(r.int(4, 20), HEX)}${card}${r.string(r.int(4, 20), HEX)}`,
    () => `${card}${r.pick(['abc', 'f00d', '_x', 'Z'])}`,
    () => `v1.${card}`,
    () => `0.${card}`,
    () => `${card}.${r.number(r.int(1, 6))}`,
    () => `${card}.json`,
    () => `ID-${card}`,
    () => `/orders/${card}/items`,
    () => `#${card}`,
    () => `+${card}`,
    () => `${card}-${r.number(4)}`,
    () => `${card}:${r.int(1024, 65535)}`,
    () => `${card}@${r.pick(['host', 'example.com'])}`,
    () => `${r.number(3)}-${card}`,
    // The group before starts with a digit no issuer uses, so the whole run is no card either.
    () => `${r.pick(['0', '1', '7', '8', '9'])}${r.string(3, DIGITS)} ${groupedInFours(card)}`,
    () => `${groupedInFours(card)} ${r.string(4, DIGITS)} ${r.string(4, DIGITS)}`,
    () => `${r.pick(['a1b2', 'ff00', '9c3e'])} ${groupedInFours(cardDigits(r, '4', 16))}`,
    () => `${groupedInFours(cardDigits(r, '4', 16))} ${r.pick(['a1b2', 'beef', '0x7f'])}`,
    // "Bearer" that does not introduce a token.
    () => `the bearer ${r.pick(['well-being', 'instruments', 'of-record', 'bonds-market'])} clause`,
    () =>
      `Authorization: Bearer ${r.pick(['YOUR_ACCESS_TOKEN', 'YOUR_PERSONAL_ACCESS_TOKEN_HERE', 'this.accessToken', 'process.env.API_TOKEN', 'self.access_token'])}`,
    () => `Authorization: Bearer ${r.pick([`\${token}`, '{{token}}', '<token>', '$ACCESS_TOKEN', '***', '%TOKEN%'])}`,
    () => `"Authorization": "Bearer " + ${r.pick(['token', 'session.token', 'getToken()'])}`,
    () => `Bearer access-token-\${${r.pick(['id', 'user.id'])}}`,
    // URLs and URL-like text with no password in them.
    () => `${r.pick(['a', 'C', 'x'])}://${r.string(4, LOWER)}:${r.string(6, LOWER)}@${r.string(5, LOWER)}`,
    () =>
      `postgres://app:${r.pick(['***', '****', 'xxxx', '$DB_PASSWORD', '%DB_PASSWORD%', `\${DB_PASSWORD}`])}@db:5432/app`,
    () => `http://${r.string(6, LOWER)}:${r.int(1024, 65535)}/path@${r.string(4, LOWER)}`,
    () => `https://${r.string(6, LOWER)}.com/a:b@c`,
    () => `mailto:${r.string(5, LOWER)}:${r.string(3, LOWER)}@example.com`,
    () => `git@github.com:${r.string(6, LOWER)}/${r.string(8, LOWER)}.git`,
    () => `ssh://git@github.com:22/${r.string(6, LOWER)}/${r.string(8, LOWER)}.git`,
    () => `http://localhost:${r.int(1024, 65535)}@ is not a host`,
  ])();
}
