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

async function keysOf(projectId: string) {
  return handle.query<{ label: string; revoked: boolean }>(
    'select label, revoked_at is not null as revoked from api_keys where project_id = $1 order by created_at, id',
    [projectId],
  );
}

describe('an API key change whose audit event cannot be written is rolled back', () => {
  it('issueApiKey: no key is created', async () => {
    const project = await createTestProject(handle);
    const admin = await logIn(app, project.email, project.password);
    const create = () =>
      injectAs(app, admin, {
        method: 'POST',
        url: `/api/v1/api-keys?projectId=${project.projectId}`,
        payload: { label: 'ci', scopes: ['ingest'] },
      });

    const failed = await withFailingAudit(handle, project.projectId, create);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await keysOf(project.projectId)).toEqual([{ label: 'test', revoked: false }]);
    expect(await auditActions(handle, project.projectId)).toEqual([]);

    expect((await create()).statusCode).toBe(201);
    expect(await auditActions(handle, project.projectId)).toEqual(['api_key.created']);
  });

  it('revokeApiKey: the key keeps working', async () => {
    const project = await createTestProject(handle);
    const admin = await logIn(app, project.email, project.password);
    const [key] = await handle.query<{ id: string }>('select id from api_keys where project_id = $1', [
      project.projectId,
    ]);
    const revoke = () =>
      injectAs(app, admin, { method: 'DELETE', url: `/api/v1/api-keys/${key?.id}?projectId=${project.projectId}` });

    const failed = await withFailingAudit(handle, project.projectId, revoke);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await keysOf(project.projectId)).toEqual([{ label: 'test', revoked: false }]);
    expect((await app.inject({ url: '/api/v1/prices', headers: project.auth })).statusCode).toBe(200);

    expect((await revoke()).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/prices', headers: project.auth })).statusCode).toBe(401);
    expect(await auditActions(handle, project.projectId)).toEqual(['api_key.revoked']);
  });
});
