import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, logIn, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit } from '../audit/failing-audit';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

describe('a settings change whose audit events cannot be written is rolled back', () => {
  it('updateProjectSettings: every setting stays as it was', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    const settings = () =>
      app.inject({ url: `/api/v1/settings?projectId=${project.projectId}`, cookies: session.cookies });
    const before = (await settings()).json();
    const change = () =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/settings?projectId=${project.projectId}`,
        cookies: session.cookies,
        headers: session.headers,
        payload: { name: 'Renamed', retentionDays: 7, payloadPolicy: 'metadata_only' },
      });

    const failed = await withFailingAudit(handle, project.projectId, change);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect((await settings()).json()).toEqual(before);
    expect(await auditActions(handle, project.projectId)).toEqual([]);

    expect((await change()).json()).toMatchObject({
      name: 'Renamed',
      retentionDays: 7,
      payloadPolicy: 'metadata_only',
    });
    expect((await auditActions(handle, project.projectId)).sort()).toEqual([
      'settings.payload_policy_changed',
      'settings.renamed',
      'settings.retention_changed',
    ]);
  });
});
