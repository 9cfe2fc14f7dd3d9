import type { ErrorIssue } from '@promptlog/contracts';

export type ErrorCode =
  | 'validation_failed'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'setup_complete'
  | 'csrf_failed'
  | 'too_many_attempts'
  | 'last_admin'
  | 'unavailable';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  setup_complete: 409,
  csrf_failed: 403,
  too_many_attempts: 429,
  last_admin: 409,
  unavailable: 503,
};

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
    this.statusCode = STATUS_BY_CODE[code];
  }
}

/** The SQLSTATE of a database error, also when drizzle has wrapped the driver's error. */
export function postgresErrorCode(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  return cause ? postgresErrorCode(cause) : undefined;
}

/** Postgres data exceptions (22xxx) and check violations mean the input was wrong, not the server. */
export function isClientDataError(error: unknown): boolean {
  const code = postgresErrorCode(error);
  return typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '23514');
}

/** The database is down, restarting or out of connections: the request may succeed if retried later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = postgresErrorCode(error);
  if (code === undefined) return false;
  return /^(08|57P)/.test(code) || code === '53300' || code === 'ECONNREFUSED' || code === 'ECONNRESET';
}
