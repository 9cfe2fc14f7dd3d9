import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { addTestMember, createTestProject, injectAs, logIn, type TestProject, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit } from '../audit/failing-audit';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function setUp() {
  const project = await createTestProject(handle);
  const admin = await logIn(app, project.email, project.password);
  const member = await addTestMember(handle, project.projectId, 'viewer');
  return { project, admin, member };
}

async function roleOf(projectId: string, userId: string): Promise<string | undefined> {
  const [row] = await handle.query<{ role: string }>(
    'select role from project_members where project_id = $1 and user_id = $2',
    [projectId, userId],
  );
  return row?.role;
}

async function grantsOf(projectId: string, userId: string): Promise<string[]> {
  const rows = await handle.query<{ prompt_id: string }>(
    'select prompt_id from prompt_access where project_id = $1 and user_id = $2',
    [projectId, userId],
  );
  return rows.map((row) => row.prompt_id);
}

async function pendingInvites(projectId: string): Promise<number> {
  const [row] = await handle.query<{ count: number }>(
    'select count(*)::int as count from invites where project_id = $1 and revoked_at is null',
    [projectId],
  );
  return row?.count ?? 0;
}

async function logPrompt(project: TestProject, promptId: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: project.auth,
    payload: { promptId, status: 'success', source: { type: 'api' }, model: 'm', startedAt: '2026-06-01T00:00:00Z' },
  });
  expect(response.statusCode).toBe(201);
}

describe('a member change whose audit event cannot be written is rolled back', () => {
  it('changeMemberRole: the role stays', async () => {
    const { project, admin, member } = await setUp();
    const change = () =>
      injectAs(app, admin, {
        method: 'PATCH',
        url: `/api/v1/members/${member.userId}?projectId=${project.projectId}`,
        payload: { role: 'editor' },
      });

    const failed = await withFailingAudit(handle, project.projectId, change);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await roleOf(project.projectId, member.userId)).toBe('viewer');
    expect(await auditActions(handle, project.projectId)).toEqual([]);

    expect((await change()).statusCode).toBe(200);
    expect(await roleOf(project.projectId, member.userId)).toBe('editor');
    expect(await auditActions(handle, project.projectId)).toEqual(['member.role_changed']);
  });

  it('removeMember: the member stays', async () => {
    const { project, admin, member } = await setUp();
    const remove = () =>
      injectAs(app, admin, {
        method: 'DELETE',
        url: `/api/v1/members/${member.userId}?projectId=${project.projectId}`,
      });

    const failed = await withFailingAudit(handle, project.projectId, remove);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await roleOf(project.projectId, member.userId)).toBe('viewer');

    expect((await remove()).statusCode).toBe(204);
    expect(await roleOf(project.projectId, member.userId)).toBeUndefined();
    expect(await auditActions(handle, project.projectId)).toEqual(['member.removed']);
  });

  it('setPromptAccess: neither a grant nor taking one back happens', async () => {
    const { project, admin, member } = await setUp();
    await logPrompt(project, 'granted');
    const url = `/api/v1/members/${member.userId}/prompt-access/granted?projectId=${project.projectId}`;

    const failedGrant = await withFailingAudit(handle, project.projectId, () =>
      injectAs(app, admin, { method: 'PUT', url }),
    );
    expect(failedGrant.statusCode).toBe(500);
    expect(failedGrant.json()).toEqual(SERVER_ERROR);
    expect(await grantsOf(project.projectId, member.userId)).toEqual([]);

    expect((await injectAs(app, admin, { method: 'PUT', url })).statusCode).toBe(204);
    const failedRevoke = await withFailingAudit(handle, project.projectId, () =>
      injectAs(app, admin, { method: 'DELETE', url }),
    );
    expect(failedRevoke.statusCode).toBe(500);
    expect(await grantsOf(project.projectId, member.userId)).toEqual(['granted']);
    expect(await auditActions(handle, project.projectId)).toEqual(['prompt_access.granted']);
  });

  it('inviteMember: no invite is created', async () => {
    const { project, admin } = await setUp();
    const failed = await withFailingAudit(handle, project.projectId, () =>
      injectAs(app, admin, {
        method: 'POST',
        url: `/api/v1/invites?projectId=${project.projectId}`,
        payload: { role: 'editor', email: 'someone@example.test' },
      }),
    );
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await pendingInvites(project.projectId)).toBe(0);
    expect(await auditActions(handle, project.projectId)).toEqual([]);
  });

  it('revokeInvite: the invite stays usable', async () => {
    const { project, admin } = await setUp();
    const created = await injectAs(app, admin, {
      method: 'POST',
      url: `/api/v1/invites?projectId=${project.projectId}`,
      payload: { role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const revoke = () =>
      injectAs(app, admin, {
        method: 'DELETE',
        url: `/api/v1/invites/${created.json().invite.id}?projectId=${project.projectId}`,
      });

    const failed = await withFailingAudit(handle, project.projectId, revoke);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await pendingInvites(project.projectId)).toBe(1);

    expect((await revoke()).statusCode).toBe(204);
    expect(await pendingInvites(project.projectId)).toBe(0);
    expect(await auditActions(handle, project.projectId)).toEqual(['invite.revoked', 'member.invited']);
  });
});
