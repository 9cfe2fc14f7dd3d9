/**
 * What the SDK needs from its host runtime, looked up at call time so that the module loads unchanged
 * on Node, Bun, Deno and edge runtimes that have only web APIs.
 */

interface AsyncLocalStorageInstance<T> {
  run<R>(store: T, callback: () => R): R;
  getStore(): T | undefined;
}
export type AsyncLocalStorageClass = new <T>() => AsyncLocalStorageInstance<T>;

interface RuntimeGlobals {
  process?: {
    env?: Record<string, string | undefined>;
    getBuiltinModule?: (id: string) => unknown;
  };
  Deno?: { unrefTimer?: (id: number) => void; refTimer?: (id: number) => void };
  AsyncLocalStorage?: AsyncLocalStorageClass;
}

/** The optional, runtime-specific globals; typed here once because no lib declares them all. */
function runtimeGlobals(): RuntimeGlobals {
  return globalThis as unknown as RuntimeGlobals;
}

export function readEnv(name: string): string | undefined {
  try {
    const value = runtimeGlobals().process?.env?.[name];
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Lets the process exit while the timer is pending (Node, Bun, Deno); a no-op elsewhere. */
export function unrefTimer(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') {
    timer.unref();
  } else if (typeof timer === 'number') {
    runtimeGlobals().Deno?.unrefTimer?.(timer);
  }
}

/** AsyncLocalStorage where the runtime has it (a global on some edge runtimes, node:async_hooks elsewhere). */
export function findAsyncLocalStorage(): AsyncLocalStorageClass | undefined {
  const globals = runtimeGlobals();
  if (typeof globals.AsyncLocalStorage === 'function') return globals.AsyncLocalStorage;
  try {
    const hooks = globals.process?.getBuiltinModule?.('node:async_hooks');
    if (typeof hooks === 'object' && hooks !== null && 'AsyncLocalStorage' in hooks) {
      const candidate = hooks.AsyncLocalStorage;
      if (typeof candidate === 'function') return candidate as AsyncLocalStorageClass;
    }
  } catch {
    // A runtime that refuses the lookup falls back to the synchronous context.
  }
  return undefined;
}

/** Makes an unref'd timer keep the process alive again (Node, Bun); a no-op elsewhere. */
export function refTimer(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'ref' in timer && typeof timer.ref === 'function') {
    timer.ref();
  } else if (typeof timer === 'number') {
    runtimeGlobals().Deno?.refTimer?.(timer);
  }
}
