import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, injectAs, logIn, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit } from '../audit/failing-audit';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function viewsOf(projectId: string) {
  return handle.query<{ name: string; state: string }>(
    'select name, state from saved_views where project_id = $1 order by name',
    [projectId],
  );
}

/** A project whose prompt has run, its admin logged in, and one saved view. */
async function projectWithView() {
  const project = await createTestProject(handle);
  const logged = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: project.auth,
    payload: { promptId: 'alpha', status: 'success', source: { type: 'api' }, model: 'gpt-4o' },
  });
  expect(logged.statusCode).toBe(201);
  const admin = await logIn(app, project.email, project.password);
  const q = `projectId=${project.projectId}`;
  const saved = await injectAs(app, admin, {
    method: 'POST',
    url: `/api/v1/views?${q}`,
    payload: { name: 'Errors', promptId: 'alpha', state: 'status=error' },
  });
  expect(saved.statusCode).toBe(201);
  return { projectId: project.projectId, admin, q, viewId: saved.json().id as string };
}

describe('a view change whose audit event cannot be written is rolled back', () => {
  it('createView: no view is saved', async () => {
    const { projectId, admin, q } = await projectWithView();
    const create = () =>
      injectAs(app, admin, {
        method: 'POST',
        url: `/api/v1/views?${q}`,
        payload: { name: 'Slow', promptId: 'alpha', state: 'range=24h' },
      });

    const failed = await withFailingAudit(handle, projectId, create);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await viewsOf(projectId)).toEqual([{ name: 'Errors', state: 'status=error' }]);
    expect(await auditActions(handle, projectId)).toEqual(['view.created']);

    expect((await create()).statusCode).toBe(201);
    expect(await auditActions(handle, projectId)).toEqual(['view.created', 'view.created']);
  });

  it('updateView: the name and state stay as they were', async () => {
    const { projectId, admin, q, viewId } = await projectWithView();
    for (const payload of [{ name: 'Failures' }, { state: 'status=success' }]) {
      const failed = await withFailingAudit(handle, projectId, () =>
        injectAs(app, admin, { method: 'PATCH', url: `/api/v1/views/${viewId}?${q}`, payload }),
      );
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toEqual(SERVER_ERROR);
    }
    expect(await viewsOf(projectId)).toEqual([{ name: 'Errors', state: 'status=error' }]);
    expect(await auditActions(handle, projectId)).toEqual(['view.created']);
  });

  it('deleteView: the view is still there', async () => {
    const { projectId, admin, q, viewId } = await projectWithView();
    const remove = () => injectAs(app, admin, { method: 'DELETE', url: `/api/v1/views/${viewId}?${q}` });

    const failed = await withFailingAudit(handle, projectId, remove);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await viewsOf(projectId)).toEqual([{ name: 'Errors', state: 'status=error' }]);

    expect((await remove()).statusCode).toBe(204);
    expect(await viewsOf(projectId)).toEqual([]);
    expect((await auditActions(handle, projectId)).sort()).toEqual(['view.created', 'view.deleted']);
  });
});
