import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { addTestMember, createTestProject, logIn, type TestProject, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit } from '../audit/failing-audit';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function inviteTo(project: TestProject): Promise<string> {
  const admin = await logIn(app, project.email, project.password);
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/invites?projectId=${project.projectId}`,
    cookies: admin.cookies,
    headers: admin.headers,
    payload: { role: 'editor' },
  });
  expect(response.statusCode).toBe(201);
  return response.json().token;
}

const members = (projectId: string) =>
  handle.query<{ user_id: string }>('select user_id from project_members where project_id = $1', [projectId]);

describe('accepting an invite whose audit event cannot be written is rolled back', () => {
  it('joinByInvite: a logged-in user does not join and the link stays usable', async () => {
    const project = await createTestProject(handle);
    const token = await inviteTo(project);
    const other = await createTestProject(handle);
    const user = await logIn(app, other.email, other.password);
    const accept = () =>
      app.inject({
        method: 'POST',
        url: `/api/auth/invites/${token}/accept`,
        cookies: user.cookies,
        headers: user.headers,
        payload: {},
      });

    const failed = await withFailingAudit(handle, project.projectId, accept);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await members(project.projectId)).toHaveLength(1);
    expect((await app.inject({ url: `/api/auth/invites/${token}` })).statusCode).toBe(200);

    expect((await accept()).statusCode).toBe(200);
    expect(await members(project.projectId)).toHaveLength(2);
    expect(await auditActions(handle, project.projectId)).toEqual(['member.joined', 'member.invited']);
  });

  it('signUpByInvite: no account, membership or session is left and the link stays usable', async () => {
    const project = await createTestProject(handle);
    await addTestMember(handle, project.projectId, 'viewer');
    const token = await inviteTo(project);
    const email = `newcomer-${uuidv7()}@example.test`;
    const accept = () =>
      app.inject({
        method: 'POST',
        url: `/api/auth/invites/${token}/accept`,
        payload: { email, password: 'a good long password' },
      });

    const failed = await withFailingAudit(handle, project.projectId, accept);
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(failed.cookies.find((c) => c.name === 'promptlog_session')).toBeUndefined();
    expect(await handle.query('select id from users where email = $1', [email])).toEqual([]);
    expect(await members(project.projectId)).toHaveLength(2);
    expect((await app.inject({ url: `/api/auth/invites/${token}` })).statusCode).toBe(200);

    const accepted = await accept();
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().projects).toEqual([expect.objectContaining({ id: project.projectId, role: 'editor' })]);
    expect(await auditActions(handle, project.projectId)).toEqual(['member.joined', 'member.invited']);
  });
});
