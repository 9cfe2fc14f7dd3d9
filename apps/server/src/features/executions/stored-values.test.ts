import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

describe('reading rows stored by earlier versions', () => {
  it('answers a negative latency, written before start and end were checked, as stored instead of failing', async () => {
    const project = await createTestProject(handle);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: { promptId: 'old', status: 'success', source: { type: 'api' }, model: 'm', latencyMs: 40 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();
    await handle.query('update executions set latency_ms = -1500 where project_id = $1 and id = $2', [
      project.projectId,
      id,
    ]);

    const detail = await app.inject({ url: `/api/v1/executions/${id}`, headers: project.auth });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().latencyMs).toBe(-1500);
    const list = await app.inject({ url: '/api/v1/executions?promptId=old', headers: project.auth });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((item: { latencyMs: number }) => item.latencyMs)).toEqual([-1500]);
  });
});
