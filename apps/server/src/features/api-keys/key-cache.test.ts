import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestProject, injectAs, logIn, type TestProject, useTestApp } from '../../test/harness';
import { ApiKeyCache } from './key-cache';
import { createApiKey } from './service';

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  project = await createTestProject(handle);
});

const caches: ApiKeyCache[] = [];
afterEach(async () => {
  for (const cache of caches.splice(0)) await cache.stop();
});

/** A started cache over the test database that counts the key lookups it sends. */
async function countingCache(now: () => number = Date.now): Promise<{ cache: ApiKeyCache; lookups: () => number }> {
  let lookups = 0;
  const counting: DatabaseHandle = {
    ...handle,
    query: ((...args: Parameters<DatabaseHandle['query']>) => {
      lookups += 1;
      return handle.query(...(args as [string]));
    }) as DatabaseHandle['query'],
  };
  const cache = new ApiKeyCache(counting, { ttlMs: 30_000, maxEntries: 100 }, now);
  await cache.start();
  caches.push(cache);
  return { cache, lookups: () => lookups };
}

/** Waits until `check` holds, as a change made elsewhere reaches this process by notification. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the change never reached the cache');
    await sleep(20);
  }
}

async function newKey(options: { expiresAt?: string } = {}) {
  return createApiKey(handle.db, project.projectId, { label: `cached-${Date.now()}`, ...options });
}

describe('the API key cache', () => {
  it('reads a key once and answers the next requests from memory', async () => {
    const { key } = await newKey();
    const { cache, lookups } = await countingCache();
    const found = await Promise.all([cache.find(key), cache.find(key)]);
    await cache.find(key);
    expect(found.map((k) => k?.projectId)).toEqual([project.projectId, project.projectId]);
    expect(lookups()).toBe(2); // the two sent at once both read; the third was answered from memory
    expect(await cache.find('pl_unknown')).toBeNull();
    expect(await cache.find('pl_unknown')).toBeNull();
    expect(lookups()).toBe(4); // refusals are never kept
  });

  it('forgets a key revoked by another process once the notification arrives', async () => {
    const { id, key } = await newKey();
    const { cache } = await countingCache();
    expect(await cache.find(key)).not.toBeNull();
    await handle.query('update api_keys set revoked_at = now() where project_id = $1 and id = $2', [
      project.projectId,
      id,
    ]);
    await eventually(async () => (await cache.find(key)) === null);
  });

  it('reads the project storage settings and custom prices again after another process changed them', async () => {
    const { key } = await newKey();
    const { cache } = await countingCache();
    expect((await cache.find(key))?.storage.payloadPolicy).toBe('all');
    await handle.query(`update projects set payload_policy = 'metadata_only' where id = $1`, [project.projectId]);
    await eventually(async () => (await cache.find(key))?.storage.payloadPolicy === 'metadata_only');

    expect((await cache.find(key))?.customPrices).toEqual([]);
    await handle.query(
      `insert into custom_prices (project_id, id, model, match, effective_from, input_per_million, output_per_million)
       values ($1, gen_random_uuid(), 'cache-test-model', 'exact', now(), 1, 2)`,
      [project.projectId],
    );
    await eventually(async () => (await cache.find(key))?.customPrices.length === 1);
  });

  it('refuses a key from memory once its expiry has passed', async () => {
    const { key } = await newKey({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    let now = Date.now();
    const { cache, lookups } = await countingCache(() => now);
    expect(await cache.find(key)).not.toBeNull();
    now += 61_000;
    // The entry is dropped and the key read again: the database, at its own time, still has it active.
    await cache.find(key);
    expect(lookups()).toBe(2);
  });

  it('trusts an entry for ttlMs at most', async () => {
    const { key } = await newKey();
    let now = Date.now();
    const { cache, lookups } = await countingCache(() => now);
    await cache.find(key);
    now += 29_000;
    await cache.find(key);
    expect(lookups()).toBe(1);
    now += 2_000;
    await cache.find(key);
    expect(lookups()).toBe(2);
  });

  it('does not keep what a lookup read before the cache was told to forget', async () => {
    const { key } = await newKey();
    const { cache, lookups } = await countingCache();
    const reading = cache.find(key);
    cache.forget();
    expect(await reading).not.toBeNull();
    await cache.find(key);
    expect(lookups()).toBe(2);
  });

  it('reads every time once it stopped listening', async () => {
    const { key } = await newKey();
    const { cache, lookups } = await countingCache();
    await cache.stop();
    await cache.find(key);
    await cache.find(key);
    expect(lookups()).toBe(2);
  });
});

describe('a key in use', () => {
  it('follows the storage policy and prices an admin changes in the app from its very next request', async () => {
    const target = await createTestProject(handle);
    const admin = await logIn(app, target.email, target.password);
    const logAndRead = async () => {
      const logged = await app.inject({
        method: 'POST',
        url: '/api/v1/executions',
        headers: target.auth,
        payload: {
          promptId: 'cached-key',
          status: 'success',
          source: { type: 'api' },
          model: 'acme-internal-llm-v2',
          inputs: { question: 'private' },
          usage: { inputTokens: 3000, outputTokens: 1000 },
        },
      });
      expect(logged.statusCode, logged.body).toBe(201);
      return (await app.inject({ url: `/api/v1/executions/${logged.json().id}`, headers: target.auth })).json();
    };

    expect(await logAndRead()).toMatchObject({ inputs: { question: 'private' }, costOrigin: 'none' });

    const policy = { method: 'PATCH', url: '/api/v1/settings', payload: { payloadPolicy: 'metadata_only' } } as const;
    expect((await injectAs(app, admin, policy)).statusCode).toBe(200);
    expect(await logAndRead()).toMatchObject({ payload: 'omitted_by_policy' });

    const price = await injectAs(app, admin, {
      method: 'POST',
      url: '/api/v1/prices',
      payload: { model: 'acme-internal-llm', match: 'prefix', inputPerMillion: '2', outputPerMillion: '8' },
    });
    expect(price.statusCode, price.body).toBeLessThan(300);
    expect(await logAndRead()).toMatchObject({ costUsd: '0.014', costOrigin: 'custom' });
  });
});
