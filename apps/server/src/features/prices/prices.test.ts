import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, logIn, type TestProject, useTestApp } from '../../test/harness';
import { finishRepricing } from '../pricing/test-repricing';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function logUnpriced(project: TestProject, overrides: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: project.auth,
    payload: {
      promptId: 'internal',
      status: 'success',
      source: { type: 'api' },
      model: 'acme-internal-llm-v2',
      provider: 'acme',
      startedAt: '2026-06-01T00:00:00Z',
      usage: { inputTokens: 3000, outputTokens: 1000, cacheReadTokens: 1000 },
      ...overrides,
    },
  });
  return response.json().id as string;
}

const read = (project: TestProject, id: string) =>
  app.inject({ url: `/api/v1/executions/${id}`, headers: project.auth }).then((r) => r.json());

/** Walks the re-pricing a price change queued to its end; answers how many executions it re-priced. */
async function repricedBy(project: TestProject, change: { json(): { repricing: { id: string } } }): Promise<number> {
  expect(await finishRepricing(handle, project.projectId)).not.toContain('failed');
  const job = await app.inject({
    url: `/api/v1/prices/repricing/${change.json().repricing.id}`,
    headers: project.auth,
  });
  expect(job.json()).toMatchObject({ state: 'done' });
  return job.json().repriced;
}

/** Prices are a project setting: only an admin's session may change them. */
async function adminSession(project: TestProject) {
  const session = await logIn(app, project.email, project.password);
  return { cookies: session.cookies, headers: session.headers };
}

describe('custom prices', () => {
  it('shows an unknown model as unpriced, never $0', async () => {
    const project = await createTestProject(handle);
    const record = await read(project, await logUnpriced(project));
    expect(record.costUsd).toBeNull();
    expect(record.costOrigin).toBe('none');
  });

  it('re-prices matching executions from the effective date, leaving provided costs alone', async () => {
    const project = await createTestProject(handle);
    const before = await logUnpriced(project, { startedAt: '2026-04-01T00:00:00Z' });
    const after = await logUnpriced(project);
    const provided = await logUnpriced(project, { costUsd: '1.5' });

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/prices',
      ...(await adminSession(project)),
      payload: {
        model: 'acme-internal-llm',
        match: 'prefix',
        effectiveFrom: '2026-05-01T00:00:00Z',
        inputPerMillion: '2',
        outputPerMillion: '8',
        cacheReadPerMillion: '0.5',
      },
    });
    expect(created.statusCode).toBe(201);
    // The change commits with its re-pricing queued; the executions are re-priced after, in the background.
    expect(created.json().repricing).toMatchObject({ state: 'queued', processed: 0, repriced: 0, total: null });
    expect(await read(project, after)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect(await repricedBy(project, created)).toBe(1);

    // (3000 - 1000) × 2 + 1000 × 0.5 + 1000 × 8 = 4000 + 500 + 8000 = 12500 → 12500 / 1e6
    expect(await read(project, after)).toMatchObject({ costUsd: '0.0125', costOrigin: 'custom' });
    expect(await read(project, before)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect(await read(project, provided)).toMatchObject({ costUsd: '1.5', costOrigin: 'provided' });

    const newlyLogged = await read(project, await logUnpriced(project));
    expect(newlyLogged).toMatchObject({ costUsd: '0.0125', costOrigin: 'custom' });

    const list = await app.inject({ url: '/api/v1/prices', headers: project.auth });
    expect(list.json().items).toEqual([expect.objectContaining({ model: 'acme-internal-llm', inputPerMillion: '2' })]);

    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/prices/${created.json().price.id}`,
      ...(await adminSession(project)),
    });
    expect(removed.statusCode).toBe(200);
    // The one priced on saving and the one logged after it.
    expect(await repricedBy(project, removed)).toBe(2);
    expect(await read(project, after)).toMatchObject({ costUsd: null, costOrigin: 'none' });
  });

  it('keeps one project’s prices away from another', async () => {
    const owner = await createTestProject(handle);
    const other = await createTestProject(handle);
    await app.inject({
      method: 'POST',
      url: '/api/v1/prices',
      ...(await adminSession(owner)),
      payload: { model: 'acme-internal-llm-v2', inputPerMillion: 1, outputPerMillion: 1 },
    });
    await finishRepricing(handle, owner.projectId);
    expect((await read(other, await logUnpriced(other))).costOrigin).toBe('none');
    const list = await app.inject({ url: '/api/v1/prices', headers: other.auth });
    expect(list.json().items).toEqual([]);
  });

  it('counts before saving exactly what saving re-prices, and changes a price in place', async () => {
    const project = await createTestProject(handle);
    const session = await adminSession(project);
    const before = await logUnpriced(project, { startedAt: '2026-04-01T00:00:00Z' });
    const after = await logUnpriced(project);
    await logUnpriced(project, { costUsd: '1.5' });
    const failed = await logUnpriced(project, { status: 'error', usage: undefined });
    const price = {
      model: 'acme-internal-llm-v2',
      effectiveFrom: '2026-05-01T00:00:00Z',
      inputPerMillion: '2',
      outputPerMillion: '8',
    };
    const preview = (body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/prices/preview', ...session, payload: body });

    // The execution from April is before the price, the provided cost is kept: two of four change.
    const counted = await preview(price);
    expect(counted.statusCode, counted.body).toBe(200);
    expect(counted.json()).toEqual({ repricedExecutions: 2, checkedExecutions: 2, complete: true });
    expect(await read(project, after)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect((await app.inject({ url: '/api/v1/prices', headers: project.auth })).json().items).toEqual([]);

    const created = await app.inject({ method: 'POST', url: '/api/v1/prices', ...session, payload: price });
    expect(await repricedBy(project, created)).toBe(2);
    // (3000 × 2 + 1000 × 8) / 1e6; the failed call reported no tokens, so it costs nothing at a known price.
    expect(await read(project, after)).toMatchObject({ costUsd: '0.014', costOrigin: 'custom' });
    expect(await read(project, failed)).toMatchObject({ costUsd: '0', costOrigin: 'custom' });
    const id = created.json().price.id;

    // Saving the same price again would change nothing.
    expect((await preview({ ...price, priceId: id })).json()).toMatchObject({ repricedExecutions: 0, complete: true });
    const earlier = { ...price, effectiveFrom: '2026-01-01T00:00:00Z', outputPerMillion: '4' };
    expect((await preview({ ...earlier, priceId: id })).json()).toEqual({
      repricedExecutions: 2,
      checkedExecutions: 3,
      complete: true,
    });

    const changed = await app.inject({ method: 'PUT', url: `/api/v1/prices/${id}`, ...session, payload: earlier });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ price: { id, outputPerMillion: '4' }, repricing: { state: 'queued' } });
    expect(await repricedBy(project, changed)).toBe(2);
    // (3000 × 2 + 1000 × 4) / 1e6, now from January on
    expect(await read(project, before)).toMatchObject({ costUsd: '0.01', costOrigin: 'custom' });
    expect(await read(project, after)).toMatchObject({ costUsd: '0.01', costOrigin: 'custom' });

    // Narrowing it to another model hands its executions back: they are unpriced again.
    const narrowed = { ...earlier, model: 'acme-internal-llm-v3' };
    expect((await preview({ ...narrowed, priceId: id })).json()).toMatchObject({
      repricedExecutions: 3,
      complete: true,
    });
    const moved = await app.inject({ method: 'PUT', url: `/api/v1/prices/${id}`, ...session, payload: narrowed });
    expect(await repricedBy(project, moved)).toBe(3);
    expect(await read(project, failed)).toMatchObject({ costUsd: null, costOrigin: 'none' });
  });

  it('answers 404 for a price of another project, when changing or previewing in its place', async () => {
    const owner = await createTestProject(handle);
    const other = await createTestProject(handle);
    const price = { model: 'acme-internal-llm-v2', inputPerMillion: '1', outputPerMillion: '1' };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/prices',
      ...(await adminSession(owner)),
      payload: price,
    });
    const session = await adminSession(other);
    const id = created.json().price.id;
    const changed = await app.inject({ method: 'PUT', url: `/api/v1/prices/${id}`, ...session, payload: price });
    expect(changed.statusCode).toBe(404);
    const previewed = await app.inject({
      method: 'POST',
      url: '/api/v1/prices/preview',
      ...session,
      payload: { ...price, priceId: id },
    });
    expect(previewed.statusCode).toBe(404);
  });

  it('names a bad price field in a 400', async () => {
    const project = await createTestProject(handle);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/prices',
      ...(await adminSession(project)),
      payload: { model: 'x', inputPerMillion: 'cheap', outputPerMillion: 1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues).toEqual([expect.objectContaining({ path: 'inputPerMillion' })]);
  });
});
