import { AppError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor of a list paged by a time-ordered id (UUIDv7): the last row's id, opaque to the client. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/** The id a cursor from encodeIdCursor holds; anything else is a 400 on `cursor`. */
export function decodeIdCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!UUID.test(id)) {
    throw new AppError('validation_failed', 'Invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this API returned; start again without it' },
    ]);
  }
  return id;
}
