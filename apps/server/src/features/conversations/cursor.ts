import { AppError } from '../../errors';

/** Opaque keyset cursor: the time (to the microsecond, as the API writes it) and key of the last row served. */
export function encodePosition(at: string, key: string): string {
  return Buffer.from(`${at}|${key}`).toString('base64url');
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor's time and key; a key that must be an execution id is checked as one. */
export function decodePosition(cursor: string, key: 'uuid' | 'text'): { at: string; key: string } {
  const text = Buffer.from(cursor, 'base64url').toString();
  const split = text.indexOf('|');
  const at = text.slice(0, split);
  const rest = text.slice(split + 1);
  const valid =
    split > 0 &&
    INSTANT.test(at) &&
    !Number.isNaN(Date.parse(at)) &&
    Number(at.slice(0, 4)) >= 1 &&
    rest.length > 0 &&
    !rest.includes('\u0000') &&
    (key === 'text' || UUID.test(rest));
  if (!valid) {
    throw new AppError('validation_failed', 'Invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this API returned; start again without it' },
    ]);
  }
  return { at, key: rest };
}
