import { AppError } from '../../errors';

export interface ListPosition {
  startedAt: string;
  id: string;
}

/** Opaque keyset cursor: the (startedAt, id) of the last row served, startedAt to the microsecond. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.startedAt}|${position.id}`).toString('base64url');
}

const POSITION =
  /^((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Whether the timestamp names a real instant PostgreSQL stores (from the year 1), as the ones the API writes do. */
function isStoredInstant(millisecondsIso: string): boolean {
  const date = new Date(`${millisecondsIso}Z`);
  return !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.toISOString().startsWith(millisecondsIso);
}

export function decodeCursor(cursor: string): ListPosition {
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1] || !match[2] || !match[3] || !isStoredInstant(match[2])) {
    throw new AppError('validation_failed', 'Invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this API returned; start again without it' },
    ]);
  }
  return { startedAt: match[1], id: match[3] };
}
