import type { ErrorIssue } from '@promptlog/contracts';

export type ErrorCode =
  | 'validation_failed'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'setup_complete';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  setup_complete: 409,
};

/** A failure the client can fix; services throw it and the error handler turns it into a 4xx. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.statusCode = STATUS_BY_CODE[code];
  }
}

/** Postgres data exceptions (22xxx) and check violations mean the input was wrong, not the server. */
export function isClientDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '23514');
}
