import { ERROR_STATUS, type ErrorCode, type ErrorIssue } from '@promptlog/contracts';

export type { ErrorCode };

/** A failure the client can fix; services throw it and the error handler turns it into a 4xx. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    /** Sent as Retry-After with a 429 or 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}

/** The SQLSTATE of a database error, also when drizzle has wrapped the driver's error. */
export function postgresErrorCode(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  return cause ? postgresErrorCode(cause) : undefined;
}

/** The database's own message, without the query and parameters drizzle wraps around it. */
export function postgresErrorMessage(error: unknown): string {
  for (let at: unknown = error; at instanceof Error; at = at.cause) {
    if (typeof (at as { code?: unknown }).code === 'string') return at.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Postgres data exceptions (22xxx) and check violations mean the input was wrong, not the server. */
export function isClientDataError(error: unknown): boolean {
  const code = postgresErrorCode(error);
  return typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '23514');
}

// node-postgres reports a lost or unobtainable connection by message only, without a code.
const CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused)/;

/** The database is down, restarting or out of connections: the request may succeed if retried later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = postgresErrorCode(error);
  if (code !== undefined && (/^(08|57P)/.test(code) || ['53300', 'ECONNREFUSED', 'ECONNRESET'].includes(code))) {
    return true;
  }
  return messagesOf(error).some((message) => CONNECTION_LOST.test(message));
}

function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  for (let at: unknown = error; at instanceof Error && messages.length < 5; at = at.cause) messages.push(at.message);
  return messages;
}

export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const LOAD_RETRY_AFTER_SECONDS = 2;

/** When the database is away (a passing failure on the server's side): what to tell the client and when to retry. */
export function temporaryUnavailability(error: unknown): { message: string; retryAfterSeconds: number } | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  return { message: 'The database is unavailable; retry later', retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS };
}
