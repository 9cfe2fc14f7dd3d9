import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, injectAs, logIn, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit, withFailingAuditOf } from '../audit/failing-audit';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

describe('a project change whose audit event cannot be written is rolled back', () => {
  it('addProject: no project, membership or key is left behind', async () => {
    const home = await createTestProject(handle);
    const session = await logIn(app, home.email, home.password);
    const name = `Audited ${uuidv7()}`;
    const create = () => injectAs(app, session, { method: 'POST', url: '/api/v1/projects', payload: { name } });

    const failed = await withFailingAuditOf(handle, { action: 'project.created', target: name }, create);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await handle.query('select id from projects where name = $1', [name])).toEqual([]);
    const me = await injectAs(app, session, { url: '/api/auth/me' });
    expect(me.json().projects.map((p: { id: string }) => p.id)).toEqual([home.projectId]);

    const created = await create();
    expect(created.statusCode).toBe(201);
    expect(await auditActions(handle, created.json().project.id)).toEqual(['api_key.created', 'project.created']);
  });

  it('renameProject: the name stays', async () => {
    const project = await createTestProject(handle);
    const admin = await logIn(app, project.email, project.password);
    const rename = () =>
      injectAs(app, admin, {
        method: 'PATCH',
        url: `/api/v1/projects/${project.projectId}`,
        payload: { name: 'Renamed' },
      });

    const failed = await withFailingAudit(handle, project.projectId, rename);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    const [row] = await handle.query<{ name: string }>('select name from projects where id = $1', [project.projectId]);
    expect(row?.name).toBe('Test project');
    expect(await auditActions(handle, project.projectId)).toEqual([]);

    expect((await rename()).statusCode).toBe(200);
    expect(await auditActions(handle, project.projectId)).toEqual(['settings.renamed']);
  });
});
