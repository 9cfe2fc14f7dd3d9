import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { createContextStore, mergeContexts } from './context.js';

describe('mergeContexts', () => {
  it('lets later contexts win, merges metadata and combines tags', () => {
    expect(
      mergeContexts({ promptId: 'outer', promptVersion: 1, metadata: { a: 1, b: 1 }, tags: ['x'] }, undefined, {
        promptId: 'inner',
        metadata: { b: 2 },
        tags: ['x', 'y'],
        inputs: { q: 1 },
      }),
    ).toEqual({ promptId: 'inner', promptVersion: 1, metadata: { a: 1, b: 2 }, tags: ['x', 'y'], inputs: { q: 1 } });
  });
});

describe('createContextStore', () => {
  it('with AsyncLocalStorage, follows the callback through awaits and nests', async () => {
    const store = createContextStore(AsyncLocalStorage);
    expect(store.mode).toBe('async');
    const seen = await store.run({ promptId: 'outer' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return store.run({ promptVersion: 2 }, async () => {
        await Promise.resolve();
        return store.current();
      });
    });
    expect(seen).toEqual({ promptId: 'outer', promptVersion: 2 });
    expect(store.current()).toBeUndefined();
  });

  it('without it, covers only the synchronous part of the callback', async () => {
    const store = createContextStore(null);
    expect(store.mode).toBe('sync');
    const seen: unknown[] = [];
    await store.run({ promptId: 'sync' }, async () => {
      seen.push(store.current());
      await Promise.resolve();
      seen.push(store.current());
    });
    expect(seen).toEqual([{ promptId: 'sync' }, undefined]);
    expect(() =>
      store.run({ promptId: 'throws' }, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(store.current()).toBeUndefined();
  });

  it('finds AsyncLocalStorage on Node by itself', () => {
    expect(createContextStore().mode).toBe('async');
  });
});
