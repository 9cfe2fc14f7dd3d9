import { isObject } from './mapping.js';

export type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Calls `onSettled` with the result of a provider SDK's APIPromise when the application reads it
 * (await, then, withResponse), never earlier: reading it ourselves would consume a body the
 * application may want through `asResponse()`. Our callback is attached first, so the record exists
 * before the application's code continues. The promise object itself is returned unchanged.
 */
export function observeWhenRead<T>(promise: T, onSettled: (settlement: Settlement) => void): T {
  const settle = (settlement: Settlement) => {
    try {
      onSettled(settlement);
    } catch {
      // Recording must never surface as an unhandled rejection in the application.
    }
  };
  if (isObject(promise) && typeof promise.parse === 'function') {
    const parse = promise.parse;
    let observed = false;
    Object.defineProperty(promise, 'parse', {
      configurable: true,
      writable: true,
      value(this: unknown, ...args: unknown[]) {
        const parsed: unknown = Reflect.apply(parse, this, args);
        if (!observed && isThenable(parsed)) {
          observed = true;
          parsed.then(
            (value) => settle({ ok: true, value }),
            (error) => settle({ ok: false, error }),
          );
        }
        return parsed;
      },
    });
  } else if (isThenable(promise)) {
    promise.then(
      (value) => settle({ ok: true, value }),
      (error) => settle({ ok: false, error }),
    );
  }
  return promise;
}

export type StreamEnd =
  | { reason: 'completed' }
  /** The application stopped reading (break, return) before the stream's end. */
  | { reason: 'stopped' }
  | { reason: 'cancelled' }
  | { reason: 'failed'; error: unknown };

export interface StreamObserver {
  onItem(item: unknown): void;
  onEnd(end: StreamEnd): void;
}

/**
 * Observes the items of a provider SDK's Stream as the application reads them, by wrapping the
 * function the stream reads them through: the object stays the same, so `for await`, `tee()` and
 * `toReadableStream()` keep working and each item is still read once, by the application.
 */
export function observeIteration(stream: unknown, observer: StreamObserver): boolean {
  if (!isObject(stream) || !isAsyncIterable(stream)) return false;
  const signal = abortSignalOf(stream);
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener('abort', cancelUnread);
    try {
      observer.onEnd(how);
    } catch {
      // See observeWhenRead.
    }
  };
  const cancelUnread = () => end({ reason: 'cancelled' });
  if (signal?.aborted) {
    cancelUnread();
    return true;
  }
  signal?.addEventListener('abort', cancelUnread, { once: true });

  // Both SDKs' Stream reads through its own `iterator` function (`tee()` calls it directly), so
  // that is the one to wrap when it exists; otherwise the async iterator itself.
  const property = typeof stream.iterator === 'function' ? 'iterator' : Symbol.asyncIterator;
  const iterate: unknown = Reflect.get(stream, property);
  if (typeof iterate !== 'function') return false;
  let observed = false;
  Object.defineProperty(stream, property, {
    configurable: true,
    writable: true,
    value(this: unknown, ...args: unknown[]) {
      const source: AsyncIterator<unknown> = Reflect.apply(iterate, this, args);
      if (observed) return source;
      observed = true;
      // From here the iterator sees every way the read ends, including an abort (a quiet end).
      signal?.removeEventListener('abort', cancelUnread);
      const iterator: AsyncIterableIterator<unknown> = {
        async next() {
          let result: IteratorResult<unknown>;
          try {
            result = await source.next();
          } catch (error) {
            end(isAbortError(error) ? { reason: 'cancelled' } : { reason: 'failed', error });
            throw error;
          }
          if (result.done) end(signal?.aborted ? { reason: 'cancelled' } : { reason: 'completed' });
          else if (!ended) {
            try {
              observer.onItem(result.value);
            } catch {
              // See observeWhenRead.
            }
          }
          return result;
        },
        async return(value?: unknown) {
          end({ reason: 'stopped' });
          return (await source.return?.(value)) ?? { done: true, value };
        },
        async throw(error?: unknown) {
          end({ reason: 'stopped' });
          if (source.throw) return source.throw(error);
          throw error;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  });
  return true;
}

/**
 * Observes the events of an emitter that announces everything through one `_emit(event, ...args)`
 * method (the Anthropic SDK's MessageStream). Unlike adding an `error` listener, this leaves the
 * emitter's own handling of unobserved errors exactly as it was.
 */
export function observeEmits(emitter: unknown, onEvent: (event: string, args: unknown[]) => void): boolean {
  if (!isObject(emitter) || typeof emitter._emit !== 'function') return false;
  const emit = emitter._emit;
  Object.defineProperty(emitter, '_emit', {
    configurable: true,
    writable: true,
    value(this: unknown, event: unknown, ...args: unknown[]) {
      try {
        if (typeof event === 'string') onEvent(event, args);
      } catch {
        // See observeWhenRead.
      }
      return Reflect.apply(emit, this, [event, ...args]);
    },
  });
  return true;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return isObject(value) && typeof value.then === 'function';
}

function isAsyncIterable(value: object): value is AsyncIterable<unknown> {
  return Symbol.asyncIterator in value && typeof Reflect.get(value, Symbol.asyncIterator) === 'function';
}

function abortSignalOf(stream: Record<string, unknown>): AbortSignal | undefined {
  const controller = stream.controller;
  return controller instanceof AbortController ? controller.signal : undefined;
}

function isAbortError(error: unknown): boolean {
  return isObject(error) && (error.name === 'AbortError' || error.constructor.name === 'APIUserAbortError');
}
