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
