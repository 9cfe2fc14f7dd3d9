import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  addTestMember,
  createTestProject,
  injectAs,
  logIn,
  type TestProject,
  type TestSession,
  useTestApp,
} from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function adminOf(project: TestProject) {
  return logIn(app, project.email, project.password);
}

async function invite(admin: TestSession, projectId: string, body: Record<string, unknown>) {
  const response = await injectAs(app, admin, {
    method: 'POST',
    url: `/api/v1/invites?projectId=${projectId}`,
    payload: body,
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { token: string; url: string; invite: { id: string } };
}

describe('invites', () => {
  it('lets a new person join once with the role of the link, creating their account', async () => {
    const project = await createTestProject(handle);
    const admin = await adminOf(project);
    const {
      token,
      url,
      invite: created,
    } = await invite(admin, project.projectId, {
      role: 'editor',
      email: 'New.Person@example.test',
    });
    expect(url).toBe(`/invite/${token}`);

    const pending = await injectAs(app, admin, { url: `/api/v1/invites?projectId=${project.projectId}` });
    expect(pending.json().items).toEqual([
      expect.objectContaining({
        id: created.id,
        role: 'editor',
        email: 'new.person@example.test',
        createdBy: project.email,
      }),
    ]);
    expect(pending.body).not.toContain(token);

    const preview = await app.inject({ url: `/api/auth/invites/${token}` });
    expect(preview.json()).toMatchObject({ projectName: 'Test project', role: 'editor' });

    const email = `joiner-${uuidv7()}@example.test`;
    const accepted = await app.inject({
      method: 'POST',
      url: `/api/auth/invites/${token}/accept`,
      payload: { email, password: 'a good long password' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().projects).toEqual([expect.objectContaining({ id: project.projectId, role: 'editor' })]);
    expect(accepted.cookies.find((c) => c.name === 'promptlog_session')?.value).toBeTruthy();

    const again = await app.inject({
      method: 'POST',
      url: `/api/auth/invites/${token}/accept`,
      payload: { email: `second-${uuidv7()}@example.test`, password: 'a good long password' },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toMatch(/already used/);
    expect((await app.inject({ url: `/api/auth/invites/${token}` })).statusCode).toBe(404);
    // The refused second person got no account either: the whole acceptance is one transaction.
    const orphans = await handle.query<{ n: number }>(
      `select count(*)::int as n from users where email like 'second-%' and id not in (select user_id from project_members)`,
    );
    expect(orphans[0]?.n).toBe(0);

    const audit = await injectAs(app, admin, { url: `/api/v1/audit?projectId=${project.projectId}` });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['member.joined', 'member.invited']);
  });

  it('lets a logged-in user of another project accept with their session', async () => {
    const project = await createTestProject(handle);
    const elsewhere = await createTestProject(handle);
    const { token } = await invite(await adminOf(project), project.projectId, { role: 'viewer' });
    const user = await logIn(app, elsewhere.email, elsewhere.password);
    const accepted = await injectAs(app, user, {
      method: 'POST',
      url: `/api/auth/invites/${token}/accept`,
      payload: {},
    });
    expect(accepted.statusCode).toBe(200);
    expect(
      accepted
        .json()
        .projects.map((p: { role: string }) => p.role)
        .sort(),
    ).toEqual(['admin', 'viewer']);
  });

  it('refuses expired and revoked links, and an email that already has an account', async () => {
    const project = await createTestProject(handle);
    const admin = await adminOf(project);
    const expired = await invite(admin, project.projectId, { role: 'viewer', expiresInHours: 1 });
    await handle.query(`update invites set expires_at = now() - interval '1 minute' where id = $1`, [
      expired.invite.id,
    ]);
    const revoked = await invite(admin, project.projectId, { role: 'viewer' });
    const revoke = await injectAs(app, admin, {
      method: 'DELETE',
      url: `/api/v1/invites/${revoked.invite.id}?projectId=${project.projectId}`,
    });
    expect(revoke.statusCode).toBe(204);
    for (const { token } of [expired, revoked]) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/auth/invites/${token}/accept`,
        payload: { email: `late-${uuidv7()}@example.test`, password: 'a good long password' },
      });
      expect(response.statusCode).toBe(404);
    }

    const open = await invite(admin, project.projectId, { role: 'viewer' });
    const existing = await app.inject({
      method: 'POST',
      url: `/api/auth/invites/${open.token}/accept`,
      payload: { email: project.email, password: 'a good long password' },
    });
    expect(existing.statusCode).toBe(409);
    expect(existing.json().error.message).toMatch(/log in, then open the invite link again/);
    expect((await app.inject({ url: `/api/auth/invites/${open.token}` })).statusCode).toBe(200);
  });
});

describe('members and roles', () => {
  it('changes roles and removes members, but never the last admin', async () => {
    const project = await createTestProject(handle);
    const admin = await adminOf(project);
    const member = await addTestMember(handle, project.projectId, 'viewer');
    const url = (userId: string) => `/api/v1/members/${userId}?projectId=${project.projectId}`;

    const promoted = await injectAs(app, admin, {
      method: 'PATCH',
      url: url(member.userId),
      payload: { role: 'admin' },
    });
    expect(promoted.json()).toMatchObject({ email: member.email, role: 'admin' });
    const demoteSelf = await injectAs(app, admin, {
      method: 'PATCH',
      url: url(admin.userId),
      payload: { role: 'editor' },
    });
    expect(demoteSelf.statusCode).toBe(200);

    const demoteLast = await injectAs(app, await logIn(app, member.email, member.password), {
      method: 'PATCH',
      url: url(member.userId),
      payload: { role: 'viewer' },
    });
    expect(demoteLast.statusCode).toBe(409);
    expect(demoteLast.json().error.code).toBe('last_admin');

    const newAdmin = await logIn(app, member.email, member.password);
    expect((await injectAs(app, newAdmin, { method: 'DELETE', url: url(member.userId) })).statusCode).toBe(409);
    expect((await injectAs(app, newAdmin, { method: 'DELETE', url: url(admin.userId) })).statusCode).toBe(204);
    const members = await injectAs(app, newAdmin, { url: `/api/v1/members?projectId=${project.projectId}` });
    expect(members.json().items.map((m: { email: string }) => m.email)).toEqual([member.email]);
    // The removed admin's session no longer reaches the project.
    expect((await injectAs(app, admin, { url: `/api/v1/prompts?projectId=${project.projectId}` })).statusCode).toBe(
      404,
    );

    const audit = await injectAs(app, newAdmin, {
      url: `/api/v1/audit?projectId=${project.projectId}&action=member.role_changed`,
    });
    expect(audit.json().items.map((e: { details: { to: string } }) => e.details.to)).toEqual(['editor', 'admin']);
  });

  it("grants a viewer one prompt's logs and takes them back", async () => {
    const project = await createTestProject(handle);
    const admin = await adminOf(project);
    await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: {
        executions: ['granted', 'other'].map((promptId) => ({
          promptId,
          status: 'success',
          source: { type: 'api' },
          model: 'gpt-4o',
        })),
      },
    });
    const viewer = await addTestMember(handle, project.projectId, 'viewer');
    const session = await logIn(app, viewer.email, viewer.password);
    const grant = `/api/v1/members/${viewer.userId}/prompt-access/granted?projectId=${project.projectId}`;
    const list = () => injectAs(app, session, { url: `/api/v1/executions?projectId=${project.projectId}` });

    expect((await list()).statusCode).toBe(403);
    expect((await injectAs(app, admin, { method: 'PUT', url: grant })).statusCode).toBe(204);
    expect((await injectAs(app, admin, { method: 'PUT', url: grant })).statusCode).toBe(204);
    const page = await list();
    expect(page.json().items.map((e: { promptId: string }) => e.promptId)).toEqual(['granted']);
    const prompts = await injectAs(app, session, { url: `/api/v1/prompts?projectId=${project.projectId}` });
    expect(
      Object.fromEntries(prompts.json().items.map((p: { id: string; canViewLogs: boolean }) => [p.id, p.canViewLogs])),
    ).toEqual({
      granted: true,
      other: false,
    });

    const unknown = await injectAs(app, admin, {
      method: 'PUT',
      url: `/api/v1/members/${viewer.userId}/prompt-access/never-seen?projectId=${project.projectId}`,
    });
    expect(unknown.statusCode).toBe(404);

    expect((await injectAs(app, admin, { method: 'DELETE', url: grant })).statusCode).toBe(204);
    expect((await list()).statusCode).toBe(403);
    const audit = await injectAs(app, admin, { url: `/api/v1/audit?projectId=${project.projectId}` });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
      'prompt_access.revoked',
      'prompt_access.granted',
    ]);
  });
});
