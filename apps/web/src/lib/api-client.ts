import type { CSRF_HEADER, ErrorBody, ErrorCode, ErrorIssue } from '@promptlog/contracts';
import { ERROR_STATUS } from '@promptlog/contracts/rules';

/**
 * One of the API's error codes; `http_error` for an answer without an error body (a proxy's 502, say) or with a code
 * this app does not know; `network_error` when no answer came.
 */
export type ApiErrorCode = ErrorCode | 'http_error' | 'network_error';

import type { ScopedUrl } from './api-url';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly issues: ErrorIssue[];

  constructor(status: number, code: ApiErrorCode, message: string, issues: ErrorIssue[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

type RequestOptions = { signal?: AbortSignal };
/** The session's own routes, or an `/api/v1` URL built by lib/api-url.ts with its project. */
export type ApiPath = ScopedUrl | `/api/auth/${string}` | '/api/health';

export const api = {
  get: <T>(path: ApiPath, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: ApiPath, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  patch: <T>(path: ApiPath, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  put: <T>(path: ApiPath, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  delete: <T>(path: ApiPath, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

// The session's CSRF token, from the latest Me the auth feature saw; sent with every change.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// A value import from the contracts would bring zod into the main bundle; the type keeps the name in step.
const CSRF_HEADER_NAME: typeof CSRF_HEADER = 'x-csrf-token';

async function request<T>(method: string, path: ApiPath, body: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Fastify rejects an empty body sent as JSON, so the content type goes only with a body.
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken && !SAFE_METHODS.has(method)) headers[CSRF_HEADER_NAME] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(
      0,
      'network_error',
      'Could not reach the Promptlog server. Check that it is running and try again.',
    );
  }

  const data = await readJson(response);
  if (!response.ok) throw toApiError(response, data);
  return trustContract<T>(data);
}

// The server validates every response against the shared contracts, so the body already has type T.
function trustContract<T>(data: unknown): T {
  return data as T;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const CSRF_FAILED_MESSAGE =
  'Your session changed since this page loaded (perhaps you logged in again in another tab). Reload the page and try again.';

function toApiError(response: Response, data: unknown): ApiError {
  if (isErrorBody(data)) {
    const { code, message, issues } = data.error;
    if (code === 'csrf_failed') return new ApiError(response.status, code, CSRF_FAILED_MESSAGE, issues ?? []);
    return new ApiError(response.status, isErrorCode(code) ? code : 'http_error', message, issues ?? []);
  }
  return new ApiError(response.status, 'http_error', fallbackMessage(response.status));
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please log in to continue.';
  if (status === 403) return 'You do not have access to this.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return `The server ran into a problem (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

function isErrorBody(data: unknown): data is ErrorBody {
  if (typeof data !== 'object' || data === null || !('error' in data)) return false;
  const error = data.error;
  if (typeof error !== 'object' || error === null) return false;
  if (!('code' in error) || !('message' in error)) return false;
  if (typeof error.code !== 'string' || typeof error.message !== 'string') return false;
  return !('issues' in error) || error.issues === undefined || Array.isArray(error.issues);
}

/**
 * Splits an error's issues into messages for known form fields and the rest.
 * Issue paths may arrive as "email", "body.email" or "/email"; the field is the last segment.
 */
export function fieldErrors<Field extends string>(
  error: unknown,
  fields: readonly Field[],
): { byField: Partial<Record<Field, string>>; other: ErrorIssue[] } {
  const byField: Partial<Record<Field, string>> = {};
  const other: ErrorIssue[] = [];
  if (!isApiError(error)) return { byField, other };
  for (const issue of error.issues) {
    const segment = issue.path.split(/[./]/).filter(Boolean).at(-1) ?? '';
    const field = fields.find((name) => name === segment);
    if (field && byField[field] === undefined) byField[field] = sentenceCase(issue.message);
    else if (!field) other.push(issue);
  }
  return { byField, other };
}

function sentenceCase(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
