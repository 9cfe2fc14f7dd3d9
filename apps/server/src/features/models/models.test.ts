import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, logBatch, logIn, type TestProject, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';
import { finishRepricing } from '../pricing/test-repricing';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function ingest(project: TestProject, executions: Record<string, unknown>[]) {
  await logBatch(app, project, executions);
  await foldRollupDeltas(handle);
}

async function models(project: TestProject) {
  const response = await app.inject({ url: '/api/v1/models', headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as { model: string; [key: string]: unknown }[];
}

const call = { promptId: 'reply', source: { type: 'api' }, startedAt: '2026-11-01T10:00:00Z' };
const mini = { ...call, model: 'gpt-4o-mini', provider: 'openai' };
const house = { ...call, model: 'house-llm-7', provider: 'in-house' };

describe('GET /api/v1/models', () => {
  it('lists every model seen with its calls, exact spend and catalogue price, or none', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      // gpt-4o-mini: (600 × 0.15 + 400 × 0.075 + 200 × 0.6) = 240 per million → $0.00024
      { ...mini, status: 'success', usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400 } },
      { ...mini, status: 'success', startedAt: '2026-10-02T00:00:00Z', usage: { inputTokens: 0, outputTokens: 1 } },
      // Failed before any token: $0 at the model's price, not an unpriced call.
      { ...mini, status: 'error', error: { type: 'timeout', message: 'slow' } },
      { ...mini, status: 'pending' },
      { ...house, status: 'success', usage: { inputTokens: 10, outputTokens: 10 } },
    ]);

    expect(await models(project)).toEqual([
      {
        model: 'gpt-4o-mini',
        calls: 4,
        unpricedCalls: 0,
        // 0.00024 + 1 × 0.6 / 1e6
        costUsd: '0.0002406',
        price: {
          source: 'catalog',
          ref: 'catalog:openai/gpt-4o-mini',
          customPriceId: null,
          pattern: null,
          match: null,
          effectiveFrom: null,
          inputPerMillion: '0.15',
          outputPerMillion: '0.6',
          cacheReadPerMillion: '0.075',
          cacheWritePerMillion: null,
          reasoningPerMillion: '0.6',
          tiered: false,
        },
      },
      { model: 'house-llm-7', calls: 1, unpricedCalls: 1, costUsd: null, price: null },
    ]);
  });

  it('shows the custom price that applies now, by exact name or prefix, and the re-priced spend', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      { ...house, status: 'success', usage: { inputTokens: 1000, outputTokens: 1000 } },
      { ...house, model: 'house-llm-8', status: 'success', usage: { inputTokens: 1000, outputTokens: 0 } },
    ]);
    const admin = await logIn(app, project.email, project.password);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/prices',
      cookies: admin.cookies,
      headers: admin.headers,
      payload: { model: 'house-llm-', match: 'prefix', inputPerMillion: '2', outputPerMillion: '8' },
    });
    expect(created.statusCode, created.body).toBe(201);
    await finishRepricing(handle, project.projectId);
    await foldRollupDeltas(handle);

    const listed = await models(project);
    // 1,000 × 2 + 1,000 × 8 = 10,000 per million; 1,000 × 2 = 2,000 per million
    expect(listed.map((item) => [item.model, item.costUsd, item.unpricedCalls])).toEqual([
      ['house-llm-7', '0.01', 0],
      ['house-llm-8', '0.002', 0],
    ]);
    expect(listed[0]?.price).toMatchObject({
      source: 'custom',
      customPriceId: created.json().price.id,
      pattern: 'house-llm-',
      match: 'prefix',
      inputPerMillion: '2',
      outputPerMillion: '8',
      cacheReadPerMillion: null,
      reasoningPerMillion: '8',
    });
  });

  it('reads the rollups, so models stay listed after retention deleted their executions', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [{ ...house, status: 'success' }]);
    await handle.query('delete from executions where project_id = $1', [project.projectId]);
    expect((await models(project)).map((item) => [item.model, item.calls])).toEqual([['house-llm-7', 1]]);
  });

  it('lists only the project’s own models', async () => {
    const project = await createTestProject(handle);
    const other = await createTestProject(handle);
    await ingest(other, [{ ...house, status: 'success' }]);
    expect(await models(project)).toEqual([]);
  });
});
