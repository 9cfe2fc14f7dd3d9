import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

const ISO_MICROSECONDS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * SQL text of a timestamptz expression written as the API writes times: ISO 8601 in UTC to the microsecond, a fixed
 * width that sorts as text and round-trips through cursors ("2026-12-02T16:24:35.123456Z"). For raw SQL strings.
 */
export function isoUtcText(expression: string): string {
  return `to_char(${expression} at time zone 'UTC', ${ISO_MICROSECONDS})`;
}

/** The same for Drizzle's `sql` template. */
export function isoUtc(value: SQLWrapper): SQL<string> {
  return sql<string>`to_char(${value} at time zone 'UTC', ${sql.raw(ISO_MICROSECONDS)})`;
}

/** For a value that may be null (an open span's end, an empty aggregate). */
export function isoUtcOrNull(value: SQLWrapper): SQL<string | null> {
  return sql<string | null>`to_char(${value} at time zone 'UTC', ${sql.raw(ISO_MICROSECONDS)})`;
}
