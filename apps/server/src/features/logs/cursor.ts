import { DEFAULT_EXECUTION_SORT, EXECUTION_SORTS, type ExecutionSort } from '@promptlog/contracts';
import { AppError } from '../../errors';

/**
 * Where a list stands in its order: the sort, the last row's value of the sort key (its startedAt to the microsecond
 * for a time sort; null for a row without the value, which sorts last) and its id.
 */
export interface ListPosition {
  sort: ExecutionSort;
  value: string | null;
  id: string;
}

/** Opaque keyset cursor: `sort|value|id`, the value empty for null. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.sort}|${position.value ?? ''}|${position.id}`).toString('base64url');
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\d{3}Z$/;
const VALUES: Record<string, RegExp> = {
  latency: /^\d{1,10}$/,
  tokens: /^\d{1,11}$/,
  cost: /^\d{1,40}(\.\d{1,40})?$/,
};

/** Whether the timestamp names a real instant PostgreSQL stores (from the year 1), as the ones the API writes do. */
function isStoredInstant(millisecondsIso: string): boolean {
  const date = new Date(`${millisecondsIso}Z`);
  return !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.toISOString().startsWith(millisecondsIso);
}

export function sortKeyOf(sort: ExecutionSort): string {
  return sort.slice(0, sort.lastIndexOf('_'));
}

function isValidValue(key: string, value: string | null): boolean {
  if (key === 'time') {
    const instant = value === null ? null : INSTANT.exec(value);
    return Boolean(instant?.[1] && isStoredInstant(instant[1]));
  }
  return value === null || Boolean(VALUES[key]?.test(value));
}

function parse(text: string): ListPosition | undefined {
  const parts = text.split('|');
  // A cursor of the first API (`startedAt|id`) is a position in the default order.
  const [name, rawValue, id] = parts.length === 2 ? [DEFAULT_EXECUTION_SORT, ...parts] : parts;
  const sort = EXECUTION_SORTS.find((candidate) => candidate === name);
  if (parts.length > 3 || !sort || rawValue === undefined || !id || !ID.test(id)) return undefined;
  const value = rawValue === '' ? null : rawValue;
  return isValidValue(sortKeyOf(sort), value) ? { sort, value, id } : undefined;
}

/** The position a cursor names, refused when it is not one this API returned or belongs to another sort. */
export function decodeCursor(cursor: string, sort: ExecutionSort): ListPosition {
  const position = parse(Buffer.from(cursor, 'base64url').toString());
  if (!position) {
    throw new AppError('validation_failed', 'Invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this API returned; start again without it' },
    ]);
  }
  if (position.sort !== sort) {
    throw new AppError('validation_failed', 'The cursor belongs to another sort', [
      { path: 'cursor', message: `continues the sort ${position.sort}, not ${sort}; start again without it` },
    ]);
  }
  return position;
}
