import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, logIn, type TestProject, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit } from '../audit/failing-audit';
import { finishRepricing, pendingRepricing } from '../pricing/test-repricing';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function logUnpriced(project: TestProject): Promise<string> {
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
      usage: { inputTokens: 3000, outputTokens: 1000 },
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

const costOf = (project: TestProject, id: string) =>
  app
    .inject({ url: `/api/v1/executions/${id}`, headers: project.auth })
    .then((r) => r.json() as { costUsd: string | null; costOrigin: string });

const pricesOf = (project: TestProject) =>
  app.inject({ url: '/api/v1/prices', headers: project.auth }).then((r) => r.json().items as { id: string }[]);

async function adminSession(project: TestProject) {
  const session = await logIn(app, project.email, project.password);
  return { cookies: session.cookies, headers: session.headers };
}

const price = { model: 'acme-internal-llm', match: 'prefix', inputPerMillion: '2', outputPerMillion: '8' };

describe('a price change whose audit event cannot be written is rolled back, its re-pricing job included', () => {
  it('setCustomPrice: no price, executions keep their cost', async () => {
    const project = await createTestProject(handle);
    const id = await logUnpriced(project);
    const session = await adminSession(project);
    const create = () => app.inject({ method: 'POST', url: '/api/v1/prices', ...session, payload: price });

    const failed = await withFailingAudit(handle, project.projectId, create);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await pricesOf(project)).toEqual([]);
    expect(await costOf(project, id)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect(await auditActions(handle, project.projectId)).toEqual([]);
    expect(await pendingRepricing(handle, project.projectId)).toBe(0);

    const created = await create();
    expect(created.statusCode).toBe(201);
    expect(await finishRepricing(handle, project.projectId)).toEqual(['done']);
    expect(await costOf(project, id)).toMatchObject({ costUsd: '0.014', costOrigin: 'custom' });
    expect(await auditActions(handle, project.projectId)).toEqual(['price.created']);
  });

  it('changeCustomPrice: the price and the costs stay as they were', async () => {
    const project = await createTestProject(handle);
    const id = await logUnpriced(project);
    const session = await adminSession(project);
    const created = await app.inject({ method: 'POST', url: '/api/v1/prices', ...session, payload: price });
    await finishRepricing(handle, project.projectId);
    const priceId = created.json().price.id;
    const change = () =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/prices/${priceId}`,
        ...session,
        payload: { ...price, outputPerMillion: '4' },
      });

    const failed = await withFailingAudit(handle, project.projectId, change);
    expect(failed.statusCode).toBe(500);
    expect(await pricesOf(project)).toEqual([expect.objectContaining({ id: priceId, outputPerMillion: '8' })]);
    expect(await costOf(project, id)).toMatchObject({ costUsd: '0.014', costOrigin: 'custom' });
    expect(await pendingRepricing(handle, project.projectId)).toBe(0);

    expect((await change()).json()).toMatchObject({ repricing: { state: 'queued', action: 'updated' } });
    expect(await finishRepricing(handle, project.projectId)).toEqual(['done', 'done']);
    // 3000 × 2 + 1000 × 4 = 10,000 per million
    expect(await costOf(project, id)).toMatchObject({ costUsd: '0.01', costOrigin: 'custom' });
    expect(await auditActions(handle, project.projectId)).toEqual(['price.updated', 'price.created']);
  });

  it('removeCustomPrice: the price stays, executions keep its cost', async () => {
    const project = await createTestProject(handle);
    const id = await logUnpriced(project);
    const session = await adminSession(project);
    const created = await app.inject({ method: 'POST', url: '/api/v1/prices', ...session, payload: price });
    expect(created.statusCode).toBe(201);
    await finishRepricing(handle, project.projectId);
    const remove = () => app.inject({ method: 'DELETE', url: `/api/v1/prices/${created.json().price.id}`, ...session });

    const failed = await withFailingAudit(handle, project.projectId, remove);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await pricesOf(project)).toEqual([expect.objectContaining({ id: created.json().price.id })]);
    expect(await costOf(project, id)).toMatchObject({ costUsd: '0.014', costOrigin: 'custom' });

    expect(await pendingRepricing(handle, project.projectId)).toBe(0);

    expect((await remove()).json()).toMatchObject({ repricing: { state: 'queued', action: 'deleted' } });
    expect(await finishRepricing(handle, project.projectId)).toEqual(['done', 'done']);
    expect(await costOf(project, id)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect(await auditActions(handle, project.projectId)).toEqual(['price.deleted', 'price.created']);
  });
});
