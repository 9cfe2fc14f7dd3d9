import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function ingest(project: TestProject, calls: { promptId: string; model: string; times: number }[]) {
  const executions = calls.flatMap(({ promptId, model, times }) =>
    Array.from({ length: times }, () => ({ promptId, model, status: 'success', source: { type: 'api' } })),
  );
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions },
  });
  expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
  await foldRollupDeltas(handle);
}

async function suggest(project: TestProject, query: string) {
  const response = await app.inject({ url: `/api/v1/suggestions?field=model&${query}`, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { value: string; calls: number }[]).map((item) => `${item.value} ×${item.calls}`);
}

describe('GET /api/v1/suggestions', () => {
  it("offers one prompt's models, most called first, starting with the typed text in any case", async () => {
    const project = await createTestProject(handle);
    const stranger = await createTestProject(handle);
    await ingest(project, [
      { promptId: 'reply', model: 'gpt-4o-mini', times: 3 },
      { promptId: 'reply', model: 'GPT-4.1', times: 1 },
      { promptId: 'reply', model: 'claude-sonnet-4', times: 2 },
      { promptId: 'summary', model: 'gpt-5', times: 4 },
    ]);
    await ingest(stranger, [{ promptId: 'reply', model: 'gpt-secret', times: 5 }]);

    expect(await suggest(project, 'promptId=reply')).toEqual(['gpt-4o-mini ×3', 'claude-sonnet-4 ×2', 'GPT-4.1 ×1']);
    expect(await suggest(project, 'promptId=reply&prefix=Gp')).toEqual(['gpt-4o-mini ×3', 'GPT-4.1 ×1']);
    expect(await suggest(project, 'promptId=reply&prefix=gpt&limit=1')).toEqual(['gpt-4o-mini ×3']);
    expect(await suggest(project, 'promptId=reply&prefix=%25')).toEqual([]);
    expect(await suggest(project, 'promptId=nothing-logged')).toEqual([]);
  });

  it("offers the whole project's models without a prompt", async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      { promptId: 'reply', model: 'gpt-4o-mini', times: 1 },
      { promptId: 'summary', model: 'gpt-5', times: 2 },
    ]);
    expect(await suggest(project, 'prefix=gpt')).toEqual(['gpt-5 ×2', 'gpt-4o-mini ×1']);
  });

  it('reads the rollups, so a model stays offered after retention deleted its executions', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [{ promptId: 'reply', model: 'gpt-4o-mini', times: 2 }]);
    await handle.query('delete from executions where project_id = $1', [project.projectId]);
    expect(await suggest(project, 'promptId=reply')).toEqual(['gpt-4o-mini ×2']);
  });

  it('refuses a field without suggestions and a limit out of range, naming the parameter', async () => {
    const project = await createTestProject(handle);
    for (const [query, path] of [
      ['field=tag', 'field'],
      ['field=model&limit=51', 'limit'],
    ]) {
      const response = await app.inject({ url: `/api/v1/suggestions?${query}`, headers: project.auth });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.issues[0].path).toBe(path);
    }
  });
});
