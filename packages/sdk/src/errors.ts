export type PromptlogErrorKind =
  /** No API key: nothing is sent. */
  | 'not_configured'
  /** The server could not be reached or kept failing (network, 408, 429, 5xx) until the retries ran out. */
  | 'delivery_failed'
  /** The server refused the API key (401, 403). */
  | 'unauthorized'
  /** The server answered with a status the SDK does not retry (e.g. 404 for a wrong base URL). */
  | 'http'
  /** The server rejected one record as invalid; the others in its batch were stored. */
  | 'rejected'
  /** A record is over the server's size limit per record, so it was not sent. */
  | 'record_too_large'
  /** A record could not be serialised to JSON (a cycle, a BigInt). */
  | 'invalid_record'
  /** The queue was full, so its oldest record was dropped. */
  | 'queue_overflow'
  /** Completing a pending execution failed, or its pending record was never stored. */
  | 'completion_failed'
  /** A record was logged after shutdown(). */
  | 'closed'
  /** A wrapper could not read a provider call; the call itself was not affected. */
  | 'wrapper';

/** Reported to `onError`; the SDK never throws into the application. */
export class PromptlogError extends Error {
  override readonly name = 'PromptlogError';
  constructor(
    readonly kind: PromptlogErrorKind,
    message: string,
    readonly details: { status?: number; executionIds?: string[]; cause?: unknown } = {},
  ) {
    super(message);
  }
}

export type ErrorHandler = (error: PromptlogError) => void;

/** Warns once per kind of problem, so a server that is down does not flood the application's log. */
export function warnOncePerKind(): ErrorHandler {
  const warned = new Set<PromptlogErrorKind>();
  return (error) => {
    if (warned.has(error.kind)) return;
    warned.add(error.kind);
    console.warn(`[promptlog] ${error.message} (further "${error.kind}" problems are not shown)`);
  };
}

/** An error as one line of text, with its cause (fetch puts the network error there). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
