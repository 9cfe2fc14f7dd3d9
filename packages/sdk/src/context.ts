import { type AsyncLocalStorageClass, findAsyncLocalStorage } from './runtime.js';
import type { ExecutionContext } from './types.js';

export interface ContextStore {
  /**
   * `async` follows the callback through every await (AsyncLocalStorage); `sync` covers only the
   * synchronous part of the callback, which is where a wrapped client call starts.
   */
  readonly mode: 'async' | 'sync';
  run<T>(context: ExecutionContext, callback: () => T): T;
  current(): ExecutionContext | undefined;
}

/** `null` asks for the synchronous context even where AsyncLocalStorage exists. */
export function createContextStore(
  AsyncLocalStorage: AsyncLocalStorageClass | null = findAsyncLocalStorage() ?? null,
): ContextStore {
  if (AsyncLocalStorage) {
    const storage = new AsyncLocalStorage<ExecutionContext>();
    return {
      mode: 'async',
      run: (context, callback) => storage.run(mergeContexts(storage.getStore(), context), callback),
      current: () => storage.getStore(),
    };
  }
  let active: ExecutionContext | undefined;
  return {
    mode: 'sync',
    run(context, callback) {
      const outer = active;
      active = mergeContexts(outer, context);
      try {
        return callback();
      } finally {
        active = outer;
      }
    },
    current: () => active,
  };
}

/** Later contexts win field by field; metadata is merged key by key and tags are combined. */
export function mergeContexts(...contexts: (ExecutionContext | undefined)[]): ExecutionContext {
  const merged: ExecutionContext = {};
  for (const context of contexts) {
    if (!context) continue;
    const { metadata, tags, ...fields } = context;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) Object.assign(merged, { [key]: value });
    }
    if (metadata) merged.metadata = { ...merged.metadata, ...metadata };
    if (tags) merged.tags = [...new Set([...(merged.tags ?? []), ...tags])];
  }
  return merged;
}
