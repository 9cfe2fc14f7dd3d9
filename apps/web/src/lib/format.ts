import type { CostOrigin } from '@promptlog/contracts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count such as 12,345, or an em dash when it is unknown. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : integer.format(value);
}

export function formatTokens(input: number | null | undefined, output: number | null | undefined): string {
  if ((input === null || input === undefined) && (output === null || output === undefined)) return '—';
  return `${formatCount(input)} / ${formatCount(output)}`;
}

/** Significant digits of a cost under $1: enough to tell cheap calls apart ($0.000241 from $0.000245). */
const COST_SIGNIFICANT_DIGITS = 3;
/** executions.cost_usd keeps 15 decimals; nothing finer exists to show. */
const COST_MAX_DECIMALS = 15;

/**
 * A USD cost, the one format of every table, drawer, tile and chart: cents from $1 ($1,234.50), else three
 * significant digits ($0.123, $0.0045, $0.0000124). Rounded half-up from the decimal digits themselves, so the
 * exact string of a row and the number a chart draws from it read the same. No price is "unpriced", never $0.
 */
export function formatCost(costUsd: string | number | null | undefined, origin?: CostOrigin): string {
  if (costUsd === null || costUsd === undefined || costUsd === '')
    return origin === 'none' || !origin ? 'unpriced' : '—';
  const parsed = parseDecimal(String(costUsd));
  if (!parsed) return String(costUsd);
  const { negative, whole, fraction } = parsed;
  let places = 2;
  if (/^0*$/.test(whole)) {
    const firstDigit = fraction.search(/[1-9]/);
    if (firstDigit >= 0) places = Math.min(COST_MAX_DECIMALS, Math.max(2, firstDigit + COST_SIGNIFICANT_DIGITS));
  }
  let rounded = roundHalfUp(whole, fraction, places);
  // 0.9996 rounds to 1.000, which reads in cents like every other amount from $1.
  if (places > 2 && !/^0*$/.test(rounded.whole)) rounded = roundHalfUp(rounded.whole, rounded.fraction, 2);
  const shown = places > 2 ? rounded.fraction.replace(/0+$/, '').padEnd(2, '0') : rounded.fraction;
  const isZero = /^0*$/.test(rounded.whole + shown);
  return `${negative && !isZero ? '−' : ''}$${groupThousands(rounded.whole)}.${shown}`;
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** A decimal (as the API sends, or as JavaScript prints a number, 1.2e-7 included) as sign, whole and fraction digits. */
function parseDecimal(text: string): { negative: boolean; whole: string; fraction: string } | null {
  const match = DECIMAL.exec(text.trim());
  if (!match || (!match[2] && !match[3])) return null;
  const digits = `${match[2] ?? ''}${match[3] ?? ''}`;
  const point = (match[2] ?? '').length + Number(match[4] ?? 0);
  const padded = point < 0 ? '0'.repeat(-point) + digits : digits.padEnd(point, '0');
  const at = Math.max(point, 0);
  return {
    negative: match[1] === '-',
    whole: padded.slice(0, at).replace(/^0+(?=\d)/, '') || '0',
    fraction: padded.slice(at),
  };
}

function roundHalfUp(whole: string, fraction: string, places: number): { whole: string; fraction: string } {
  const kept = fraction.padEnd(places, '0').slice(0, places);
  if ((fraction[places] ?? '0') < '5') return { whole, fraction: kept };
  const carried = incrementDigits(`${whole}${kept}`);
  return { whole: carried.slice(0, carried.length - places) || '0', fraction: carried.slice(carried.length - places) };
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+$)/g, ',');
}

export const COST_ORIGIN_LABELS: Record<CostOrigin, string> = {
  provided: 'provided by the caller',
  catalog: 'priced from the model catalogue',
  custom: 'priced from a custom price',
  none: 'no price known for this model',
};

/** 840 ms, 1.23 s, 12.3 s, then whole seconds in minutes (and hours): "1 min 0 s", "1 h 2 min 5 s". */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  // Thresholds where rounding would print "10.00 s" or "60.0 s" move on to the next unit instead.
  if (seconds < 9.995) return `${seconds.toFixed(2)} s`;
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const [hours, minutes, rest] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  return hours > 0 ? `${hours} h ${minutes} min ${rest} s` : `${minutes} min ${rest} s`;
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  const percent = rate * 100;
  if (percent === 0) return '0%';
  if (percent < 0.1) return '<0.1%';
  return `${percent < 10 ? percent.toFixed(1).replace(/\.0$/, '') : Math.round(percent)}%`;
}

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)} ${units[unit]}`;
}

const relative = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto', style: 'short' });

/** "just now", "5 min ago", "3 hr ago", "yesterday", "12 days ago", then the date. */
export function formatRelativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((now - time) / 1000);
  // A clock a little ahead of the reader's is "just now"; a time far in the future is shown as it is.
  if (seconds < 0) return seconds > -60 ? 'just now' : formatDateTime(iso);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 30) return relative.format(-days, 'day');
  return formatDate(iso);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const date = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The absolute time in the reader's zone, e.g. "23 Nov 2026, 13:05:09". */
export function formatDateTime(iso: string): string {
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? iso : dateTime.format(value);
}

export function formatDate(iso: string): string {
  const value = new Date(iso);
  return Number.isNaN(value.getTime()) ? iso : date.format(value);
}

const dayTime = new Intl.DateTimeFormat('en-GB', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A compact timestamp for table rows: the time today, the day and time this year, else everything. */
export function formatTimestamp(iso: string, now: number = Date.now()): string {
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return iso;
  const today = new Date(now);
  if (today.toDateString() === value.toDateString()) return time.format(value);
  return today.getFullYear() === value.getFullYear() ? dayTime.format(value) : dateTime.format(value);
}

/** `<input type="datetime-local">` speaks local time without a zone; the URL and API speak ISO. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}T${pad(value.getHours())}:${pad(value.getMinutes())}`;
}

export function localInputToIso(local: string): string | undefined {
  if (!local) return undefined;
  const value = new Date(local);
  return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
}

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_MONTH_YEAR = /^(\d{1,2}) ([a-z]{3,9})\.? (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const YEAR_MONTH_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A typed local date and time as an ISO instant: the app's own format ("23 Nov 2026, 13:05", seconds optional,
 * "Sept" or "September" too) or "2026-11-23 13:05"; a date alone is its midnight. '' for nothing typed, null for
 * text that is not a date (or a day its month does not have).
 */
export function parseDateTimeInput(text: string): string | null {
  const typed = text.trim().replace(/\s+/g, ' ').toLowerCase();
  if (typed === '') return '';
  const written = DAY_MONTH_YEAR.exec(typed);
  const numeric = YEAR_MONTH_DAY.exec(typed);
  let fields: { year: string; month: number; day: string; time: (string | undefined)[] };
  if (written) {
    const [, day = '', month = '', year = '', ...time] = written;
    fields = { year, month: MONTH_NAMES.findIndex((name) => name.startsWith(month)), day, time };
  } else if (numeric) {
    const [, year = '', month = '', day = '', ...time] = numeric;
    fields = { year, month: Number(month) - 1, day, time };
  } else {
    return null;
  }
  const [year, day] = [Number(fields.year), Number(fields.day)];
  const [hour, minute, second] = fields.time.map((part) => Number(part ?? 0));
  const value = new Date(year, fields.month, day, hour, minute, second);
  const fits =
    fields.month >= 0 &&
    value.getFullYear() === year &&
    value.getMonth() === fields.month &&
    value.getDate() === day &&
    value.getHours() === hour &&
    value.getMinutes() === minute &&
    value.getSeconds() === second;
  return fits ? value.toISOString() : null;
}

/** How long a project keeps its executions, from ProjectSummary.retentionDays (null keeps them). */
export function formatRetention(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'Executions are kept until deleted';
  return `Executions are kept for ${days === 1 ? '1 day' : `${integer.format(days)} days`}`;
}
