import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  addTestMember,
  createTestProject,
  injectAs,
  logIn,
  type TestProject,
  type TestSession,
  useTestApp,
} from '../../test/harness';
import { createApiKey } from '../api-keys/service';
import { MAX_VIEWS_PER_PROMPT } from './service';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

/** A project whose prompts alpha and beta have run, with its admin logged in. */
async function projectWithPrompts(): Promise<{ project: TestProject; admin: TestSession; q: string }> {
  const project = await createTestProject(handle);
  for (const promptId of ['alpha', 'beta']) {
    const logged = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: { promptId, status: 'success', source: { type: 'api' }, model: 'gpt-4o' },
    });
    expect(logged.statusCode).toBe(201);
  }
  return { project, admin: await logIn(app, project.email, project.password), q: `projectId=${project.projectId}` };
}

async function member(project: TestProject, role: 'viewer' | 'editor' | 'admin', granted: string[] = []) {
  const { email, password } = await addTestMember(handle, project.projectId, role, granted);
  return logIn(app, email, password);
}

const save = (session: TestSession, q: string, payload: Record<string, unknown>) =>
  injectAs(app, session, { method: 'POST', url: `/api/v1/views?${q}`, payload });

const names = (response: { json: () => { items: { name: string }[] } }) => response.json().items.map((v) => v.name);

describe('saved views', () => {
  it('saves, lists, renames, replaces and deletes a view of a prompt', async () => {
    const { admin, q } = await projectWithPrompts();
    const created = await save(admin, q, {
      name: '  Errors this month ',
      promptId: 'alpha',
      state: '?status=error&range=30d&status=cancelled&q=&meta.region=eu',
    });
    expect(created.statusCode).toBe(201);
    const view = created.json();
    expect(view).toMatchObject({
      name: 'Errors this month',
      promptId: 'alpha',
      // Sorted by key, the values of one key in their order, empty ones dropped.
      state: 'meta.region=eu&range=30d&status=error&status=cancelled',
      createdBy: admin.email,
      canEdit: true,
    });

    const listed = await injectAs(app, admin, { url: `/api/v1/views?${q}&promptId=alpha` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ items: [view], canCreate: true });
    expect(names(await injectAs(app, admin, { url: `/api/v1/views?${q}&promptId=beta` }))).toEqual([]);

    const renamed = await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/views/${view.id}?${q}`,
      payload: { name: 'Failures' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: view.id, name: 'Failures', state: view.state });

    const replaced = await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/views/${view.id}?${q}`,
      payload: { state: 'range=all&source=workflow' },
    });
    expect(replaced.json()).toMatchObject({ name: 'Failures', state: 'range=all&source=workflow' });

    const deleted = await injectAs(app, admin, { method: 'DELETE', url: `/api/v1/views/${view.id}?${q}` });
    expect(deleted.statusCode).toBe(204);
    expect(names(await injectAs(app, admin, { url: `/api/v1/views?${q}&promptId=alpha` }))).toEqual([]);
    const again = await injectAs(app, admin, { method: 'DELETE', url: `/api/v1/views/${view.id}?${q}` });
    expect(again.statusCode).toBe(404);
  });

  it("lists a prompt's views with the project-wide ones, by name, and every visible view without a prompt", async () => {
    const { admin, q } = await projectWithPrompts();
    for (const [name, promptId] of [
      ['b alpha', 'alpha'],
      ['A everywhere', null],
      ['c beta', 'beta'],
    ]) {
      expect((await save(admin, q, { name, promptId, state: '' })).statusCode).toBe(201);
    }
    expect(names(await injectAs(app, admin, { url: `/api/v1/views?${q}&promptId=alpha` }))).toEqual([
      'A everywhere',
      'b alpha',
    ]);
    expect(names(await injectAs(app, admin, { url: `/api/v1/views?${q}` }))).toEqual([
      'A everywhere',
      'b alpha',
      'c beta',
    ]);
  });

  it('refuses a second view of the same name for the same prompt with a 409 naming the field', async () => {
    const { admin, q } = await projectWithPrompts();
    expect((await save(admin, q, { name: 'Slow', promptId: 'alpha', state: 'range=24h' })).statusCode).toBe(201);
    const duplicate = await save(admin, q, { name: 'Slow ', promptId: 'alpha', state: 'range=7d' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({
      code: 'conflict',
      message: 'A view named “Slow” already exists for prompt alpha; choose another name',
      issues: [{ path: 'name', message: expect.stringContaining('already the name') }],
    });
    // The same name is free for another prompt and among the project-wide views, once.
    expect((await save(admin, q, { name: 'Slow', promptId: 'beta', state: '' })).statusCode).toBe(201);
    expect((await save(admin, q, { name: 'Slow', promptId: null, state: '' })).statusCode).toBe(201);
    expect((await save(admin, q, { name: 'Slow', promptId: null, state: '' })).statusCode).toBe(409);

    const other = (await save(admin, q, { name: 'Fast', promptId: 'alpha', state: '' })).json();
    const renamed = await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/views/${other.id}?${q}`,
      payload: { name: 'Slow' },
    });
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().error.issues).toEqual([{ path: 'name', message: expect.any(String) }]);
  });

  it('validates the name, the prompt and the state, naming the field', async () => {
    const { admin, q } = await projectWithPrompts();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: '   ', promptId: 'alpha', state: '' }, 'name', /empty/],
      [{ name: 'x'.repeat(101), promptId: 'alpha', state: '' }, 'name', /100 characters/],
      [{ name: 'Bad', promptId: 'alpha', state: 'status=error&execution=abc' }, 'state', /execution.*a view keeps/],
      [{ name: 'Bad', promptId: 'alpha', state: 'project=p&tab=logs' }, 'state', /"project", "tab"/],
      [
        { name: 'Bad', promptId: 'alpha', state: "status=error&'; select 1; --=x" },
        'state',
        /\(1 name that is not a parameter name\); a view keeps/,
      ],
      [{ name: 'Bad', promptId: 'alpha', state: `q=${'a'.repeat(2000)}` }, 'state', /2000 characters/],
      [{ name: 'Bad', state: '' }, 'promptId', /./],
      [{ name: 'Bad', promptId: 'a\u0000b', state: '' }, 'promptId', /NUL character/],
    ];
    for (const [payload, path, message] of cases) {
      const response = await save(admin, q, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      const issue = response.json().error.issues.find((i: { path: string }) => i.path === path);
      expect(issue?.message, path).toMatch(message);
    }
    const unknownPrompt = await save(admin, q, { name: 'Ghost', promptId: 'never-ran', state: '' });
    expect(unknownPrompt.statusCode).toBe(404);
    expect(unknownPrompt.json().error.issues).toEqual([{ path: 'promptId', message: expect.any(String) }]);

    const view = (await save(admin, q, { name: 'Fine', promptId: 'alpha', state: 'meta.tier=gold' })).json();
    const empty = await injectAs(app, admin, { method: 'PATCH', url: `/api/v1/views/${view.id}?${q}`, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/new name, a new state or both/);
  });

  it(`keeps at most ${MAX_VIEWS_PER_PROMPT} views per prompt`, async () => {
    const { project, admin, q } = await projectWithPrompts();
    await handle.query(
      `insert into saved_views (project_id, id, prompt_id, name, state)
       select $1, gen_random_uuid(), 'alpha', 'view ' || n, '' from generate_series(1, $2::int) n`,
      [project.projectId, MAX_VIEWS_PER_PROMPT],
    );
    const refused = await save(admin, q, { name: 'One more', promptId: 'alpha', state: '' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/delete one first/);
    expect((await save(admin, q, { name: 'One more', promptId: 'beta', state: '' })).statusCode).toBe(201);
  });

  it('shares views with whoever reads the logs; editors and admins save; the saver or an admin edits', async () => {
    const { project, admin, q } = await projectWithPrompts();
    const editor = await member(project, 'editor');
    const otherEditor = await member(project, 'editor');
    const viewer = await member(project, 'viewer');
    const grantedViewer = await member(project, 'viewer', ['alpha']);
    const readKey = (await createApiKey(handle.db, project.projectId, { label: 'read', scopes: ['read'] })).key;
    const ingestKey = (await createApiKey(handle.db, project.projectId, { label: 'ingest', scopes: ['ingest'] })).key;

    const editorsView = (await save(editor, q, { name: 'Editor’s', promptId: 'alpha', state: 'status=error' })).json();
    const betaView = (await save(admin, q, { name: 'Beta only', promptId: 'beta', state: '' })).json();
    expect((await save(admin, q, { name: 'Everywhere', promptId: null, state: 'range=24h' })).statusCode).toBe(201);

    // Reading: the granted viewer sees alpha's and the project-wide views, not beta's; a read key sees all.
    const seenByGranted = await injectAs(app, grantedViewer, { url: `/api/v1/views?${q}` });
    expect(seenByGranted.json()).toMatchObject({ canCreate: false });
    expect(names(seenByGranted)).toEqual(['Editor’s', 'Everywhere']);
    expect((await injectAs(app, grantedViewer, { url: `/api/v1/views?${q}&promptId=beta` })).statusCode).toBe(403);
    expect((await injectAs(app, viewer, { url: `/api/v1/views?${q}&promptId=alpha` })).statusCode).toBe(403);
    const byKey = await app.inject({ url: '/api/v1/views', headers: { authorization: `Bearer ${readKey}` } });
    expect(names(byKey)).toEqual(['Beta only', 'Editor’s', 'Everywhere']);
    expect(byKey.json().items.every((view: { canEdit: boolean }) => !view.canEdit)).toBe(true);
    const byIngestKey = await app.inject({ url: '/api/v1/views', headers: { authorization: `Bearer ${ingestKey}` } });
    expect(byIngestKey.statusCode).toBe(403);

    // Saving: editors and admins only; keys are not sessions.
    const refused = await save(grantedViewer, q, { name: 'Mine', promptId: 'alpha', state: '' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/editor or admin role/);
    const byKeyPost = await app.inject({
      method: 'POST',
      url: '/api/v1/views',
      headers: { authorization: `Bearer ${readKey}` },
      payload: { name: 'Key', promptId: 'alpha', state: '' },
    });
    expect(byKeyPost.statusCode).toBe(401);

    // Editing: the editor who saved it and admins; another editor sees it but may not change it.
    const listedForOther = await injectAs(app, otherEditor, { url: `/api/v1/views?${q}&promptId=alpha` });
    expect(listedForOther.json().items.find((v: { id: string }) => v.id === editorsView.id).canEdit).toBe(false);
    const rename = (session: TestSession, id: string, name: string) =>
      injectAs(app, session, { method: 'PATCH', url: `/api/v1/views/${id}?${q}`, payload: { name } });
    const byOther = await rename(otherEditor, editorsView.id, 'Taken over');
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json().error.message).toMatch(/member who saved this view, or a project admin/);
    expect((await rename(grantedViewer, editorsView.id, 'Taken over')).statusCode).toBe(403);
    expect(
      (await injectAs(app, otherEditor, { method: 'DELETE', url: `/api/v1/views/${editorsView.id}?${q}` })).statusCode,
    ).toBe(403);
    expect((await rename(editor, editorsView.id, 'Editor’s errors')).statusCode).toBe(200);
    expect((await rename(admin, editorsView.id, 'Errors (admin)')).statusCode).toBe(200);
    // A view of a prompt whose logs the caller may not read is not there for them.
    expect((await rename(grantedViewer, betaView.id, 'Peek')).statusCode).toBe(404);
    expect(
      (await injectAs(app, editor, { method: 'DELETE', url: `/api/v1/views/${editorsView.id}?${q}` })).statusCode,
    ).toBe(204);

    // Another project's view is not found, even for its id.
    const outsider = await projectWithPrompts();
    const elsewhere = await rename(outsider.admin, betaView.id, 'Mine now');
    expect(elsewhere.statusCode).toBe(404);
    const wrongProject = await injectAs(app, outsider.admin, { url: `/api/v1/views?${q}` });
    expect(wrongProject.statusCode).toBe(404);
  });

  it('records each change in the audit log', async () => {
    const { admin, q } = await projectWithPrompts();
    const view = (await save(admin, q, { name: 'Audited', promptId: 'alpha', state: 'status=error' })).json();
    await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/views/${view.id}?${q}`,
      payload: { name: 'Audited twice' },
    });
    // The same name and state again changes nothing and records nothing.
    await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/views/${view.id}?${q}`,
      payload: { name: 'Audited twice' },
    });
    await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/views/${view.id}?${q}`,
      payload: { state: 'status=success' },
    });
    await injectAs(app, admin, { method: 'DELETE', url: `/api/v1/views/${view.id}?${q}` });

    const audit = await injectAs(app, admin, {
      url: `/api/v1/audit?${q}&action=view.created&action=view.renamed&action=view.updated&action=view.deleted`,
    });
    expect(audit.statusCode).toBe(200);
    const events = audit.json().items as { action: string; target: string; details: unknown }[];
    // One event per action, so the order within a millisecond does not matter.
    expect(Object.fromEntries(events.map((e) => [e.action, [e.target, e.details]]))).toEqual({
      'view.created': ['Audited', { viewId: view.id, promptId: 'alpha', state: 'status=error' }],
      'view.renamed': ['Audited twice', { viewId: view.id, promptId: 'alpha', from: 'Audited', to: 'Audited twice' }],
      'view.updated': [
        'Audited twice',
        { viewId: view.id, promptId: 'alpha', from: { state: 'status=error' }, to: { state: 'status=success' } },
      ],
      'view.deleted': ['Audited twice', { viewId: view.id, promptId: 'alpha', state: 'status=success' }],
    });
    expect(events).toHaveLength(4);
  });
});
