import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function ingest(project: TestProject, promptIds: string[]): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: promptIds.map((promptId) => ({
        promptId,
        status: 'error',
        source: { type: 'api' },
        model: 'gpt-4o',
      })),
    },
  });
  expect(response.statusCode).toBe(200);
}

describe('GET /api/v1/prompts/:promptId', () => {
  it('answers a prompt seen in the project with its summary', async () => {
    const project = await createTestProject(handle);
    await ingest(project, ['summarize', 'summarize', 'classify']);

    const response = await app.inject({ url: '/api/v1/prompts/summarize', headers: project.auth });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: 'summarize',
      runs24h: 2,
      errors24h: 2,
      errorRate24h: 1,
      versions: [],
      canViewLogs: true,
    });
    expect(response.json().lastRunAt).toEqual(expect.any(String));
  });

  it('answers a prompt never seen with a 404 naming it', async () => {
    const project = await createTestProject(handle);
    await ingest(project, ['summarize']);

    const response = await app.inject({ url: '/api/v1/prompts/no-such-thing', headers: project.auth });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'No prompt no-such-thing in this project' },
    });
  });

  it("does not find another project's prompt", async () => {
    const owner = await createTestProject(handle);
    const other = await createTestProject(handle);
    await ingest(owner, ['private-prompt']);

    const response = await app.inject({ url: '/api/v1/prompts/private-prompt', headers: other.auth });

    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
