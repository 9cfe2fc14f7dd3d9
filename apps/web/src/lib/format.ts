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

/**
 * A USD cost with enough significant digits to tell cheap calls apart ($0.00024, $0.0123, $1.25).
 * No price is "unpriced", never $0: a missing cost is not a free call.
 */
export function formatCost(costUsd: string | null | undefined, origin?: CostOrigin): string {
  if (costUsd === null || costUsd === undefined || costUsd === '')
    return origin === 'none' || !origin ? 'unpriced' : '—';
  const value = Number(costUsd);
  if (!Number.isFinite(value)) return costUsd;
  if (value === 0) return '$0.00';
  if (value >= 1) return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (value >= 0.01) return `$${trimZeros(value.toFixed(4), 2)}`;
  const digits = Math.min(12, Math.ceil(-Math.log10(value)) + 2);
  return `$${trimZeros(value.toFixed(digits), 2)}`;
}

function trimZeros(fixed: string, minDecimals: number): string {
  const [whole, fraction = ''] = fixed.split('.');
  let end = fraction.length;
  while (end > minDecimals && fraction[end - 1] === '0') end -= 1;
  return `${whole}.${fraction.slice(0, end)}`;
}

export const COST_ORIGIN_LABELS: Record<CostOrigin, string> = {
  provided: 'provided by the caller',
  catalog: 'priced from the model catalogue',
  custom: 'priced from a custom price',
  none: 'no price known for this model',
};

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
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

/** How long a project keeps its executions, from ProjectSummary.retentionDays (null keeps them). */
export function formatRetention(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'Executions are kept until deleted';
  return `Executions are kept for ${days === 1 ? '1 day' : `${integer.format(days)} days`}`;
}
