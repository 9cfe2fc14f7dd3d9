import { isCardNumber } from '../builtin-rules';
import { ALPHANUMERIC, BASE64, BASE64URL, DIGITS, HEX, LOWER, type SeededRandom, UPPER } from './random';

/**
 * A bare number with an issuer's prefix, a card length and a valid check digit is a card number as far as its
 * digits tell; about 1 in 40 random 16-digit numbers are. Such values belong to the secrets corpus, so the ids,
 * EANs and phone numbers here are drawn again until they are not one.
 */
function unlessCardNumber(make: () => string): string {
  for (;;) {
    const value = make();
    if (!isCardNumber(value)) return value;
  }
}

// A blob that happens to begin with a provider's key prefix (sk-, AKIA, ghp_ …, about 1 in 250,000 base64url
// blobs) cannot be told from a key; like card-shaped numbers, those are drawn again.
const KEY_PREFIX = /^(?:sk-|[sr]k_|AIza|A[KS]IA|gh[pousr]_|github_pat_|xox|hf_|gsk_|xai-|pl_)/;

function unlessKeyPrefixed(make: () => string): string {
  for (;;) {
    const value = make();
    if (!KEY_PREFIX.test(value)) return value;
  }
}

const EARLIEST = Date.UTC(2015, 0, 1);
const LATEST = Date.UTC(2026, 11, 31);

export function instant(r: SeededRandom): number {
  return r.int(EARLIEST, LATEST);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

// --- Identifiers -----------------------------------------------------------------------------------------------

export function hex(r: SeededRandom, length: number): string {
  return unlessCardNumber(() => r.string(length, HEX));
}

export function uuidV4(r: SeededRandom): string {
  const h = r.string(32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${r.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20)}`;
}

export function uuidV7(r: SeededRandom, ms = instant(r)): string {
  const time = ms.toString(16).padStart(12, '0');
  const h = r.string(20, HEX);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${h.slice(0, 3)}-${r.pick(['8', '9', 'a', 'b'])}${h.slice(3, 6)}-${h.slice(6, 18)}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulid(r: SeededRandom, ms = instant(r)): string {
  let time = '';
  for (let rest = ms, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD.charAt(rest % 32) + time;
  return time + r.string(16, CROCKFORD);
}

export function base64Blob(r: SeededRandom, bytes: number, alphabet: 'base64' | 'base64url' = 'base64'): string {
  const length = Math.ceil((bytes * 4) / 3);
  return unlessKeyPrefixed(() => {
    if (alphabet === 'base64url') return r.string(length, BASE64URL);
    const body = r.string(length, BASE64);
    return body + '='.repeat((4 - (length % 4)) % 4);
  });
}

/** Twitter and Discord ids: milliseconds since the service's epoch, shifted left 22 bits, then worker and sequence. */
export function snowflake(r: SeededRandom, ms = instant(r)): string {
  const epoch = r.pick([1288834974657, 1420070400000]);
  return unlessCardNumber(() => ((BigInt(ms - epoch) << 22n) | BigInt(r.int(0, 4194303))).toString());
}

/** An unsigned 64-bit id in decimal, as Datadog trace ids and some databases' keys are written. */
export function uint64Decimal(r: SeededRandom): string {
  return unlessCardNumber(() => ((BigInt(r.next()) << 32n) | BigInt(r.next())).toString());
}

export function providerId(r: SeededRandom): string {
  return r.pick([
    () => `chatcmpl-${r.string(29, ALPHANUMERIC)}`,
    () => `resp_${r.string(48, HEX)}`,
    () => `call_${r.string(24, ALPHANUMERIC)}`,
    () => `msg_01${r.string(22, ALPHANUMERIC)}`,
    () => `toolu_01${r.string(22, ALPHANUMERIC)}`,
    () => `req_01${r.string(22, ALPHANUMERIC)}`,
    () => `file-${r.string(22, ALPHANUMERIC)}`,
    () => `asst_${r.string(24, ALPHANUMERIC)}`,
    () => `thread_${r.string(24, ALPHANUMERIC)}`,
    () => `batch_${r.string(32, HEX)}`,
    () => `ch_3${r.string(23, ALPHANUMERIC)}`,
    () => `pi_3${r.string(23, ALPHANUMERIC)}`,
    () => `cus_${r.string(14, ALPHANUMERIC)}`,
    () => `evt_1${r.string(23, ALPHANUMERIC)}`,
    () => `price_1${r.string(23, ALPHANUMERIC)}`,
    // Stripe publishable keys are public by design, and no detector claims them.
    () => `pk_${r.pick(['live', 'test'])}_51${r.string(96, ALPHANUMERIC)}`,
    () => `i-0${r.string(16, HEX)}`,
    () => `arn:aws:iam::${r.number(12)}:role/${r.pick(['lambda-exec', 'ecs-task', 'ci-deploy'])}`,
    () => `arn:aws:s3:::${r.pick(['logs', 'assets', 'backups'])}-${r.number(12)}/${r.string(8, LOWER)}.json.gz`,
    () => `sha256:${r.string(64, HEX)}`,
    () =>
      `ghcr.io/${r.pick(['acme', 'promptlog', 'octo-org'])}/${r.pick(['api', 'worker', 'web'])}@sha256:${r.string(64, HEX)}`,
    () => `AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=${r.string(64, HEX)}`,
  ])();
}

// --- Order, tracking and product numbers ---------------------------------------------------------------------

export function orderNumber(r: SeededRandom): string {
  return r.pick([
    () => `${r.int(111, 114)}-${r.number(7)}-${r.number(7)}`, // Amazon
    () => `#${r.int(1001, 99999)}`, // Shopify
    () => `ORD-${r.int(2015, 2026)}-${pad(r.int(1, 999999), 6)}`,
    () => `INV-${r.int(2015, 2026)}${pad(r.int(1, 12))}-${pad(r.int(1, 99999), 5)}`,
    () => `PO${r.number(8)}`,
    () => `${r.number(2)}-${r.number(5)}-${r.number(5)}`, // eBay
    () => `SO-${r.string(3, UPPER)}-${r.number(6)}`,
  ])();
}

export function trackingNumber(r: SeededRandom): string {
  return r.pick([
    () => `1Z${r.string(6, `${UPPER}${DIGITS}`)}${r.number(2)}${r.string(8, DIGITS)}`, // UPS
    () =>
      `1Z ${r.string(3, `${UPPER}${DIGITS}`)} ${r.string(3, `${UPPER}${DIGITS}`)} ${r.number(2)} ${r.string(4, DIGITS)} ${r.string(4, DIGITS)}`,
    () => r.number(12), // FedEx Express
    () => unlessCardNumber(() => r.string(15, DIGITS)), // FedEx Ground
    () => r.string(20, DIGITS), // FedEx
    () => `96${r.string(20, DIGITS)}`, // FedEx Ground 96
    () => `${r.pick(['9400', '9205', '9270', '9361', '9405'])}${r.string(r.int(16, 18), DIGITS)}`, // USPS
    () =>
      `${r.pick(['9400', '9205', '9361'])} ${r.string(4, DIGITS)} ${r.string(4, DIGITS)} ${r.string(4, DIGITS)} ${r.string(4, DIGITS)} ${r.string(2, DIGITS)}`,
    () => `420${r.string(5, DIGITS)}9400${r.string(18, DIGITS)}`, // USPS with the ZIP routing code
    () => r.number(10), // DHL Express
    () => `JD${r.string(16, DIGITS)}`, // DHL eCommerce
    () => `${r.string(2, UPPER)}${r.string(9, DIGITS)}${r.pick(['GB', 'DE', 'CN', 'US', 'FR'])}`, // UPU S10
  ])();
}

function ean13(r: SeededRandom, prefix: string): string {
  const body = prefix + r.string(12 - prefix.length, DIGITS);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}

export function productCode(r: SeededRandom): string {
  return r.pick([
    () => unlessCardNumber(() => ean13(r, String(r.int(400, 440)))), // German EAN-13
    () => unlessCardNumber(() => ean13(r, String(r.int(300, 379)))), // French EAN-13
    () => ean13(r, r.pick(['0', '50', '54', '76', '80', '87', '978', '979'])),
    () => `978-${r.int(0, 9)}-${r.number(2)}-${r.number(6)}-${r.int(0, 9)}`, // ISBN-13
    () => r.number(12), // UPC-A
    () => `SKU-${r.string(4, UPPER)}-${r.number(4)}`,
    () => `B0${r.string(8, `${UPPER}${DIGITS}`)}`, // ASIN
  ])();
}

// --- Phone numbers ------------------------------------------------------------------------------------------

function nationalNumber(r: SeededRandom, country: string): string {
  switch (country) {
    case '1':
      return `${r.int(201, 989)}${r.int(200, 999)}${r.string(4, DIGITS)}`;
    case '49':
      return r.pick([`15${r.int(1, 9)}${r.string(8, DIGITS)}`, `30${r.string(8, DIGITS)}`, `89${r.string(7, DIGITS)}`]);
    case '44':
      return r.pick([`7${r.string(9, DIGITS)}`, `20${r.string(8, DIGITS)}`]);
    case '33':
      return `${r.pick(['6', '7', '1'])}${r.string(8, DIGITS)}`;
    case '34':
      return `6${r.string(8, DIGITS)}`;
    case '91':
      return `${r.int(7, 9)}${r.string(9, DIGITS)}`;
    case '86':
      return `1${r.int(3, 9)}${r.string(9, DIGITS)}`;
    default:
      return `${r.int(1, 9)}${r.string(r.int(7, 9), DIGITS)}`;
  }
}

export function phoneNumber(r: SeededRandom): string {
  const country = r.pick(['1', '49', '44', '33', '34', '39', '31', '91', '86', '81', '55', '61']);
  const national = nationalNumber(r, country);
  const us = nationalNumber(r, '1');
  return r.pick([
    () => `+${country}${national}`,
    () => `+${country} ${national.slice(0, 3)} ${national.slice(3)}`,
    () => `(${us.slice(0, 3)}) ${us.slice(3, 6)}-${us.slice(6)}`,
    () => `${us.slice(0, 3)}-${us.slice(3, 6)}-${us.slice(6)}`,
    () => `${us.slice(0, 3)}.${us.slice(3, 6)}.${us.slice(6)}`,
    () => `+1 ${us.slice(0, 3)} ${us.slice(3, 6)} ${us.slice(6)}`,
    () => `+1-${us.slice(0, 3)}-${us.slice(3, 6)}-${us.slice(6)}`,
    () => `+49 ${r.pick(['30', '89', '151', '160', '176'])} ${r.string(r.int(7, 8), DIGITS)}`,
    () => `0${r.pick(['30', '89', '151', '176'])} ${r.string(r.int(7, 8), DIGITS)}`,
    () => `+33 ${r.int(1, 7)} ${r.number(2)} ${r.number(2)} ${r.number(2)} ${r.number(2)}`,
    () => `0${r.int(1, 7)} ${r.number(2)} ${r.number(2)} ${r.number(2)} ${r.number(2)}`,
    () => `+44 20 ${r.string(4, DIGITS)} ${r.string(4, DIGITS)}`,
    () => `+44 7${r.string(3, DIGITS)} ${r.string(6, DIGITS)}`,
    () => `0044 20 ${r.string(4, DIGITS)} ${r.string(4, DIGITS)}`,
    () => `+34 6${r.string(2, DIGITS)} ${r.string(2, DIGITS)} ${r.string(2, DIGITS)} ${r.string(2, DIGITS)}`,
    () => `+39 06 ${r.string(4, DIGITS)} ${r.string(4, DIGITS)}`,
    // WhatsApp and some SMS APIs write E.164 without the "+".
    () => unlessCardNumber(() => `${country}${nationalNumber(r, country)}`),
  ])();
}

// --- Times --------------------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function isoTimestamp(r: SeededRandom, ms = instant(r)): string {
  const iso = new Date(ms).toISOString();
  return r.pick([
    () => iso,
    () => iso.replace('Z', `${r.string(3, DIGITS)}Z`),
    () => iso.slice(0, 19),
    () => `${iso.slice(0, 19)}${r.pick(['+02:00', '-05:00', '+05:30', '+09:00'])}`,
    () => iso.replace('T', ' ').slice(0, 23),
    () => `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${r.string(6, DIGITS)}`,
    () => iso.slice(0, 10),
  ])();
}

export function timestamp(r: SeededRandom, ms = instant(r)): string {
  const date = new Date(ms);
  const day = pad(date.getUTCDate());
  const month = pad(date.getUTCMonth() + 1);
  const year = date.getUTCFullYear();
  const time = date.toISOString().slice(11, 19);
  return r.weighted<() => string>([
    [6, () => isoTimestamp(r, ms)],
    [2, () => String(Math.floor(ms / 1000))],
    [3, () => String(ms)], // epoch milliseconds: 13 digits
    [1, () => `${ms}${r.string(3, DIGITS)}`], // microseconds
    [1, () => `${ms}${r.string(6, DIGITS)}`], // nanoseconds, as OpenTelemetry writes them
    [1, () => `${WEEKDAYS[date.getUTCDay()]}, ${day} ${MONTHS[date.getUTCMonth()]} ${year} ${time} +0000`],
    [1, () => `[${day}/${MONTHS[date.getUTCMonth()]}/${year}:${time} +0000]`],
    [1, () => `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${time}`],
    [1, () => `${day}/${month}/${year}`],
    [1, () => `${month}/${day}/${year} ${time}`],
    [1, () => `${day}.${month}.${year}`],
    [1, () => `${year}${month}${day}T${time.replaceAll(':', '')}Z`],
    [1, () => `${year}${month}${day}${time.replaceAll(':', '')}`],
    [1, () => `${year}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`],
  ])();
}

export function duration(r: SeededRandom): string {
  const ms = r.logNormal(120, 1.5);
  return r.pick([
    () => `${Math.round(ms)}ms`,
    () => `${(ms / 1000).toFixed(3)}s`,
    () => `${Math.round(ms * 1e6)}`,
    () => `PT${Math.floor(ms / 60000)}M${((ms % 60000) / 1000).toFixed(1)}S`,
    () => `${(ms / 1000).toFixed(2)} seconds`,
  ])();
}

// --- Network, versions, numbers -----------------------------------------------------------------------------

export function ipAddress(r: SeededRandom): string {
  const v4 = () => `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  const group = () => r.int(0, 65535).toString(16);
  return r.pick([
    v4,
    () => `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    () => `192.168.${r.int(0, 255)}.${r.int(1, 254)}`,
    () => `${v4()}:${r.int(1024, 65535)}`,
    () => `${v4()}/${r.pick([8, 16, 24, 32])}`,
    () => `2001:db8:${group()}:${group()}::${group()}`,
    () => `${Array.from({ length: 8 }, group).join(':')}`,
    () => `[2001:db8::${group()}]:${r.int(1024, 65535)}`,
    () => `::ffff:${v4()}`,
  ])();
}

export function version(r: SeededRandom): string {
  const semver = `${r.int(0, 24)}.${r.int(0, 40)}.${r.int(0, 30)}`;
  return r.pick([
    () => semver,
    () => `v${semver}`,
    () => `${semver}-${r.pick(['rc', 'beta', 'alpha'])}.${r.int(1, 9)}`,
    () => `${semver}+build.${r.number(r.int(3, 16))}`,
    () => `${r.int(100, 130)}.0.${r.int(4000, 6999)}.${r.int(10, 250)}`, // Chrome
    () => `3.${r.int(8, 13)}.${r.int(0, 12)}`,
    () => `^${semver}`,
    () => `${r.int(1, 5)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.number(r.int(10, 18))}`,
  ])();
}

export function decimal(r: SeededRandom): string {
  return r.pick([
    () => r.logNormal(40, 2).toFixed(2),
    () => String(r.float() * r.pick([1, 100, 1e6])),
    () => `0.${r.string(r.int(12, 19), DIGITS)}`,
    () => `${r.number(r.int(1, 6))}.${r.string(r.int(10, 17), DIGITS)}`,
    () => `${r.number(r.int(13, 17))}.${r.string(r.int(1, 6), DIGITS)}`,
    () => `-${r.number(r.int(13, 19))}`, // a signed 64-bit hash code
    () => `${(r.float() * 10).toFixed(3)}e${r.pick(['-', '+', ''])}${r.int(1, 30)}`,
    () => `${(r.float() * 180 - 90).toFixed(7)},${(r.float() * 360 - 180).toFixed(7)}`,
    () => `${r.int(1, 99)}.${r.int(0, 9)}%`,
  ])();
}

/** The amount with two decimals and its thousands grouped, as en-US (1,234.56) or de-DE (1.234,56) write it. */
function groupedAmount(amount: number, thousands: ',' | '.'): string {
  const [whole = '0', cents = '00'] = amount.toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, thousands);
  return `${grouped}${thousands === ',' ? '.' : ','}${cents}`;
}

export function money(r: SeededRandom): string {
  const amount = r.logNormal(45, 1.6);
  return r.pick([
    () => `$${groupedAmount(amount, ',')}`,
    () => `${groupedAmount(amount, ',')} USD`,
    () => `€${amount.toFixed(2).replace('.', ',')}`,
    () => `${groupedAmount(amount, '.')} €`,
    () => `£${amount.toFixed(2)}`,
    () => `¥${groupedAmount(amount * 150, ',').slice(0, -3)}`,
    () => `${Math.round(amount * 100)}`, // cents, as payment APIs send amounts
    () => `${Math.round(amount * 1e6)}`, // micros
  ])();
}

/** A count or size as it appears in logs and JSON: mostly small, sometimes terabytes in bytes. */
export function integer(r: SeededRandom): string {
  return unlessCardNumber(() => String(Math.round(r.logNormal(r.pick([3, 50, 1200, 4e6, 3e12]), 1.2))));
}

// --- Banking (out of scope for redaction, yet number-heavy) ------------------------------------------------

function ibanBody(r: SeededRandom, country: string): string {
  switch (country) {
    case 'DE':
      return r.string(18, DIGITS);
    case 'GB':
    case 'IE':
      return `${r.pick(['NWBK', 'BARC', 'LOYD', 'HBUK', 'AIBK', 'BOFI'])}${r.string(14, DIGITS)}`;
    case 'FR':
      return `${r.string(10, DIGITS)}${r.string(11, `${UPPER}${DIGITS}`)}${r.string(2, DIGITS)}`;
    case 'NL':
      return `${r.pick(['ABNA', 'RABO', 'INGB'])}${r.string(10, DIGITS)}`;
    case 'ES':
      return r.string(20, DIGITS);
    case 'IT':
      return `${r.string(1, UPPER)}${r.string(10, DIGITS)}${r.string(12, `${UPPER}${DIGITS}`)}`;
    case 'PL':
      return r.string(24, DIGITS);
    case 'CH':
      return r.string(17, DIGITS);
    default:
      return r.string(16, DIGITS);
  }
}

function ibanCheckDigits(country: string, body: string): string {
  const rearranged = `${body}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of rearranged) remainder = (remainder * 10 + Number(digit)) % 97;
  return pad(98 - remainder);
}

export function iban(r: SeededRandom): string {
  const country = r.pick(['DE', 'GB', 'FR', 'NL', 'ES', 'IT', 'IE', 'PL', 'CH', 'BE']);
  const body = ibanBody(r, country);
  const compact = `${country}${ibanCheckDigits(country, body)}${body}`;
  return r.chance(0.6) ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact;
}

export function maskedCard(r: SeededRandom): string {
  const last4 = r.string(4, DIGITS);
  return r.pick([
    () => `**** **** **** ${last4}`,
    () => `XXXX-XXXX-XXXX-${last4}`,
    () => `${r.pick(['4', '5'])}${r.string(5, DIGITS)}******${last4}`,
    () => `${r.pick(['Visa', 'Mastercard', 'Amex'])} ending in ${last4}`,
    () => `•••• ${last4}`,
  ])();
}

// --- Text around values -------------------------------------------------------------------------------------

export function hostname(r: SeededRandom): string {
  return r.pick([
    () =>
      `${r.pick(['api', 'www', 'cdn', 'auth', 'db', 'cache', 'mq'])}.${r.pick(['example.com', 'acme.io', 'internal', 'svc.cluster.local', 'eu-west-1.rds.amazonaws.com'])}`,
    () => 'localhost',
    () => `${r.pick(['db', 'redis', 'postgres', 'rabbitmq'])}-${r.int(0, 3)}`,
  ])();
}

export function person(r: SeededRandom): string {
  return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
}

export function email(r: SeededRandom): string {
  return `${r.pick(FIRST_NAMES).toLowerCase()}.${r.pick(LAST_NAMES).toLowerCase()}${r.chance(0.3) ? r.int(1, 99) : ''}@${r.pick(['example.com', 'acme-support.com', 'mail.de', 'gmail.com', 'outlook.fr'])}`;
}

const FIRST_NAMES = 'Maria James Aiko Lukas Fatima Chen Olga Diego Priya Noah Émilie Jürgen Søren Zoë'.split(' ');
const LAST_NAMES = "Lopez Smith Tanaka Müller Haddad Wang Ivanova García Sharma Keller Dubois Nowak O'Brien".split(' ');

/** Any of the values above, for text that mixes them. */
export function anyValue(r: SeededRandom): string {
  return r.weighted<(r: SeededRandom) => string>([
    [3, (r) => hex(r, r.pick([7, 8, 12, 16, 32, 40, 64]))],
    [2, uuidV4],
    [2, (r) => uuidV7(r)],
    [1, (r) => ulid(r)],
    [2, (r) => base64Blob(r, r.int(12, 48), r.pick(['base64', 'base64url'] as const))],
    [1, (r) => snowflake(r)],
    [1, uint64Decimal],
    [3, providerId],
    [3, orderNumber],
    [3, trackingNumber],
    [2, productCode],
    [3, phoneNumber],
    [4, (r) => timestamp(r)],
    [1, duration],
    [2, ipAddress],
    [2, version],
    [2, decimal],
    [3, money],
    [3, integer],
    [1, iban],
    [1, maskedCard],
    [1, email],
  ])(r);
}
