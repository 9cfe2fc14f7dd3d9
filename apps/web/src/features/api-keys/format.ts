import type { ApiKeyScope, ApiKeySummary } from '@promptlog/contracts';
import { SCOPE_DESCRIPTIONS } from '@promptlog/contracts/rules';
import { executionCurlExample } from '../../lib/curl-example';

export const SCOPE_LABELS: Record<ApiKeyScope, string> = { ingest: 'Ingest', read: 'Read' };

/** "Ingest + Read", in the order the contract lists the scopes. */
export function scopesLabel(scopes: readonly ApiKeyScope[]): string {
  const order = Object.keys(SCOPE_DESCRIPTIONS);
  return [...new Set(scopes)]
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((scope) => SCOPE_LABELS[scope])
    .join(' + ');
}

export type KeyStatus = 'active' | 'expired' | 'revoked';

export function keyStatus(key: Pick<ApiKeySummary, 'revokedAt' | 'expiresAt'>, now: number): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Active keys first, then by creation, newest first. */
export function sortKeys(keys: readonly ApiKeySummary[], now: number): ApiKeySummary[] {
  const rank: Record<KeyStatus, number> = { active: 0, expired: 1, revoked: 2 };
  return [...keys].sort(
    (a, b) => rank[keyStatus(a, now)] - rank[keyStatus(b, now)] || b.createdAt.localeCompare(a.createdAt),
  );
}

/** A key stops working at the end of the chosen day, in the reader's time zone; '' means never. */
export function expiryFromDate(date: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [, year, month, day] = match;
  const end = new Date(Number(year), Number(month) - 1, Number(day), 23, 59, 59, 999);
  return Number.isNaN(end.getTime()) ? undefined : end.toISOString();
}

/** `<input type="date">` value for a day in the reader's time zone. */
export function localDateInput(time: number): string {
  const value = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/** A first request the new key can make: logging an execution, or listing prompts for a read-only key. */
export function apiKeyExample(origin: string, key: string, scopes: readonly ApiKeyScope[]): string {
  if (scopes.includes('ingest')) return executionCurlExample(origin, key);
  return [`curl ${origin}/api/v1/prompts \\`, `  -H "Authorization: Bearer ${key}"`].join('\n');
}
