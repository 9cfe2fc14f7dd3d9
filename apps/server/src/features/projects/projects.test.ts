import { type DatabaseHandle, projectDeletions } from '@promptlog/db';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  addTestMember,
  createTestApp,
  createTestProject,
  logIn,
  type TestSession,
  useTestApp,
} from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';
import { otlpJson } from '../otlp/test-spans';
import { PURGED_TABLES, purgeProjectData } from './purge';
import { deleteProject } from './service';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

function as(session: TestSession, options: InjectOptions) {
  return app.inject({ ...options, cookies: session.cookies, headers: { ...session.headers, ...options.headers } });
}

async function newProject(session: TestSession, name: string) {
  const response = await as(session, { method: 'POST', url: '/api/v1/projects', payload: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function myProjects(session: TestSession): Promise<{ id: string; name: string; role: string }[]> {
  return (await as(session, { url: '/api/auth/me' })).json().projects;
}

const execution = (promptId: string, extra: object = {}) => ({
  promptId,
  status: 'success',
  source: { type: 'api' },
  model: 'gpt-4o',
  promptVersion: 2,
  inputs: { question: 'hello' },
  usage: { inputTokens: 10, outputTokens: 5 },
  ...extra,
});

/** Every table with a project_id column, partitions left to their parent, as the database itself lists them. */
async function tablesWithProjectId(): Promise<string[]> {
  const rows = await handle.query<{ table: string }>(
    `select c.relname as table from pg_attribute a
     join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where a.attname = 'project_id' and not a.attisdropped and c.relkind in ('r', 'p') and not c.relispartition
       and n.nspname = current_schema()
     order by 1`,
  );
  return rows.map((row) => row.table);
}

/** How many rows of the project each table holds, the projects table included; tables without any are left out. */
async function rowsOf(projectId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const [project] = await handle.query<{ n: number }>('select count(*)::int as n from projects where id = $1', [
    projectId,
  ]);
  if (project?.n) counts.projects = project.n;
  for (const table of await tablesWithProjectId()) {
    const [row] = await handle.query<{ n: number }>(`select count(*)::int as n from ${table} where project_id = $1`, [
      projectId,
    ]);
    if (row?.n) counts[table] = row.n;
  }
  return counts;
}

const FILLED_TABLES = [
  'projects',
  'project_members',
  'prompt_access',
  'api_keys',
  'invites',
  'custom_prices',
  'repricing_jobs',
  'audit_events',
  'prompts',
  'prompt_versions',
  'executions',
  'execution_payloads',
  'trace_spans',
  'execution_rollups_hourly',
  'execution_rollups_daily',
  'prompt_rollups_hourly',
  'prompt_rollups_daily',
  'model_rollups_hourly',
  'model_rollups_daily',
  'project_rollups_hourly',
  'project_rollups_daily',
];

/** A project with rows in the tables that carry project_id: members, keys, executions, payloads, steps, rollups… */
async function filledProject() {
  const project = await createTestProject(handle);
  const admin = await logIn(app, project.email, project.password);
  const viewer = await addTestMember(handle, project.projectId, 'viewer', ['alpha']);
  const batch = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions: [execution('alpha'), execution('beta'), execution('alpha', { status: 'pending' })] },
  });
  expect(batch.statusCode, batch.body).toBe(200);
  const otlp = await app.inject({
    method: 'POST',
    url: '/api/otel/v1/traces',
    headers: project.auth,
    payload: otlpJson([
      { name: 'agent run', attributes: { 'openinference.span.kind': 'AGENT' } },
      { name: 'chat', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } },
    ]),
  });
  expect(otlp.statusCode, otlp.body).toBe(200);
  const q = `projectId=${project.projectId}`;
  for (const request of [
    { method: 'POST', url: `/api/v1/invites?${q}`, payload: { role: 'viewer' } },
    {
      method: 'POST',
      url: `/api/v1/prices?${q}`,
      payload: { model: 'house', inputPerMillion: '1', outputPerMillion: '2' },
    },
  ] as const) {
    const response = await as(admin, request);
    expect(response.statusCode, response.body).toBe(201);
  }
  await foldRollupDeltas(handle);
  // A delta not folded yet, as a delete may find one.
  const late = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: project.auth,
    payload: execution('gamma'),
  });
  expect(late.statusCode).toBe(201);
  return { project, admin, viewer: await logIn(app, viewer.email, viewer.password) };
}

describe('creating a project', () => {
  it('lets any logged-in user create one: they become its admin and get its first key, once', async () => {
    const home = await createTestProject(handle);
    const viewer = await addTestMember(handle, home.projectId, 'viewer');
    const session = await logIn(app, viewer.email, viewer.password);
    const name = `Billing ${uuidv7()}`;

    const created = await newProject(session, `  ${name}  `);
    expect(created.project).toEqual({ id: expect.any(String), name, role: 'admin', retentionDays: null });
    expect(created.apiKey.key).toMatch(/^pl_/);
    expect(created.apiKey.apiKey).toMatchObject({ label: 'Default key', scopes: ['ingest', 'read'], revokedAt: null });
    const projectId: string = created.project.id;

    // The switcher lists it at once, after the project the user was already in.
    expect((await myProjects(session)).map((p) => [p.name, p.role])).toEqual([
      ['Test project', 'viewer'],
      [name, 'admin'],
    ]);

    // The key logs to the new project, and is never shown again.
    const auth = { authorization: `Bearer ${created.apiKey.key}` };
    const logged = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: auth,
      payload: execution('p'),
    });
    expect(logged.statusCode).toBe(201);
    const keys = await as(session, { url: `/api/v1/api-keys?projectId=${projectId}` });
    expect(keys.statusCode).toBe(200);
    expect(keys.body).not.toContain(created.apiKey.key);

    // The cross-project dashboard counts it too.
    await foldRollupDeltas(handle);
    const summary = await as(session, { url: `/api/v1/analytics/summary?projectId=${projectId}&allProjects=true` });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json().calls).toBe(1);

    const audit = await as(session, { url: `/api/v1/audit?projectId=${projectId}` });
    expect(audit.json().items.map((e: { action: string; target: string }) => [e.action, e.target])).toEqual([
      ['api_key.created', 'Default key'],
      ['project.created', name],
    ]);
    expect(audit.json().items[1].actor).toEqual({ kind: 'user', id: session.userId, label: viewer.email });
  });

  it('asks for a name, naming the field', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    for (const name of ['', '   ', 'x'.repeat(101), 'nul\u0000name']) {
      const response = await as(session, { method: 'POST', url: '/api/v1/projects', payload: { name } });
      expect(response.statusCode, JSON.stringify(name)).toBe(400);
      expect(response.json().error.issues.map((i: { path: string }) => i.path)).toEqual(['name']);
    }
    expect(await myProjects(session)).toHaveLength(1);
  });

  it('makes its creator name the project in requests from then on, with a 400 that names projectId', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    expect((await as(session, { url: '/api/v1/prompts' })).statusCode).toBe(200);
    await newProject(session, 'A second one');
    const unnamed = await as(session, { url: '/api/v1/prompts' });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.issues).toEqual([
      { path: 'projectId', message: 'is required: you are a member of 2 projects' },
    ]);
    expect((await as(session, { url: `/api/v1/prompts?projectId=${project.projectId}` })).statusCode).toBe(200);
  });

  it('is for logged-in users only: API keys cannot create projects', async () => {
    const project = await createTestProject(handle);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: project.auth,
      payload: { name: 'By a key' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('renaming a project', () => {
  it("renames it for every member and records the change in the project's audit log", async () => {
    const project = await createTestProject(handle);
    const admin = await logIn(app, project.email, project.password);
    const member = await addTestMember(handle, project.projectId, 'editor');
    const editor = await logIn(app, member.email, member.password);
    const url = `/api/v1/projects/${project.projectId}`;

    const renamed = await as(admin, { method: 'PATCH', url, payload: { name: ' Support bot v2 ' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toEqual({
      id: project.projectId,
      name: 'Support bot v2',
      role: 'admin',
      retentionDays: null,
    });
    expect((await myProjects(editor)).map((p) => p.name)).toEqual(['Support bot v2']);

    // The same name again changes nothing and records nothing.
    expect((await as(admin, { method: 'PATCH', url, payload: { name: 'Support bot v2' } })).statusCode).toBe(200);
    const audit = await as(admin, { url: `/api/v1/audit?projectId=${project.projectId}` });
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        action: 'settings.renamed',
        target: 'Test project',
        details: { from: { name: 'Test project' }, to: { name: 'Support bot v2' } },
      }),
    ]);
  });

  it("is for the project's admins: editors are refused, outsiders are told it does not exist", async () => {
    const project = await createTestProject(handle);
    const other = await createTestProject(handle);
    const member = await addTestMember(handle, project.projectId, 'editor');
    const url = `/api/v1/projects/${project.projectId}`;
    const payload = { name: 'Taken over' };

    const editor = await as(await logIn(app, member.email, member.password), { method: 'PATCH', url, payload });
    expect(editor.statusCode).toBe(403);
    const outsider = await as(await logIn(app, other.email, other.password), { method: 'PATCH', url, payload });
    expect(outsider.statusCode).toBe(404);
    const key = await app.inject({ method: 'PATCH', url, headers: project.auth, payload });
    expect(key.statusCode).toBe(401);
    const [row] = await handle.query<{ name: string }>('select name from projects where id = $1', [project.projectId]);
    expect(row?.name).toBe('Test project');
  });
});

describe('deleting a project', () => {
  it('removes the project and every row of it, in every table, and leaves other projects alone', async () => {
    const { project, admin, viewer } = await filledProject();
    const kept = await filledProject();
    const before = await rowsOf(project.projectId);
    // The tables the fixture fills, so the test proves each is emptied; pending deltas may be folded already.
    expect(Object.keys(before)).toEqual(expect.arrayContaining(FILLED_TABLES));
    // The roller folds deltas every second; folded now, the other project's rows stay put while this one goes.
    await foldRollupDeltas(handle);
    const keptBefore = await rowsOf(kept.project.projectId);

    const deleted = await as(admin, { method: 'DELETE', url: `/api/v1/projects/${project.projectId}` });
    expect(deleted.statusCode, deleted.body).toBe(204);

    // Gone at once for its members and its keys.
    expect(await myProjects(admin)).toEqual([]);
    expect(await myProjects(viewer)).toEqual([]);
    const settings = await as(admin, { url: `/api/v1/settings?projectId=${project.projectId}` });
    expect(settings.statusCode).toBe(404);
    const ingest = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: execution('alpha'),
    });
    expect(ingest.statusCode).toBe(401);

    // The rest is purged in the background; a second purge waits for it and finds nothing left.
    expect((await purgeProjectData(handle, project.projectId)).complete).toBe(true);
    expect(await rowsOf(project.projectId)).toEqual({});
    expect(await rowsOf(kept.project.projectId)).toEqual(keptBefore);
    const keptList = await app.inject({
      url: `/api/v1/executions?projectId=${kept.project.projectId}`,
      headers: kept.project.auth,
    });
    expect(keptList.json().items).toHaveLength(5);
  });

  it('purges in batches of the size asked for, every table that the project row does not cascade to', async () => {
    const { project } = await filledProject();
    await handle.query('delete from projects where id = $1', [project.projectId]);
    const report = await purgeProjectData(handle, project.projectId, { batchSize: 2, pauseMs: 0 });
    expect(report.complete).toBe(true);
    expect(report.deleted).toMatchObject({ executions: 5, execution_payloads: 5, trace_spans: 1 });
    expect(Object.keys(report.deleted).sort()).toEqual([...PURGED_TABLES].sort());
    expect(PURGED_TABLES.slice(0, 3).sort()).toEqual([
      'conversation_rollup_deltas',
      'execution_rollup_deltas',
      'system_prompt_rollup_deltas',
    ]);
    expect(await rowsOf(project.projectId)).toEqual({});
  });

  it('records who deleted it and when, and that its data is all gone once the purge is done', async () => {
    const { project, admin } = await filledProject();
    const deleted = await as(admin, { method: 'DELETE', url: `/api/v1/projects/${project.projectId}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const record = () =>
      handle.db.select().from(projectDeletions).where(eq(projectDeletions.deletedProjectId, project.projectId));
    const [row] = await record();
    expect(row).toMatchObject({ name: 'Test project', deletedByEmail: project.email });
    await expect.poll(async () => (await record())[0]?.purgedAt ?? null, { timeout: 20_000 }).not.toBeNull();
    expect(await rowsOf(project.projectId)).toEqual({});
  });

  it('finishes, when a server starts, the purge a stopped server left unfinished', async () => {
    const { project } = await filledProject();
    // A server that stopped right after the deletion committed: the rows are still there, the purge not begun.
    await deleteProject(handle, project.projectId, { email: project.email });
    expect(Object.keys(await rowsOf(project.projectId))).toContain('executions');
    const restarted = await createTestApp(handle);
    try {
      await expect.poll(() => rowsOf(project.projectId), { timeout: 20_000 }).toEqual({});
      await expect
        .poll(
          async () =>
            (
              await handle.db
                .select({ purgedAt: projectDeletions.purgedAt })
                .from(projectDeletions)
                .where(eq(projectDeletions.deletedProjectId, project.projectId))
            )[0]?.purgedAt ?? null,
          { timeout: 20_000 },
        )
        .not.toBeNull();
    } finally {
      await restarted.close();
    }
  });

  it("is for the project's admins only", async () => {
    const project = await createTestProject(handle);
    const other = await createTestProject(handle);
    const member = await addTestMember(handle, project.projectId, 'editor');
    const url = `/api/v1/projects/${project.projectId}`;

    expect((await as(await logIn(app, member.email, member.password), { method: 'DELETE', url })).statusCode).toBe(403);
    expect((await as(await logIn(app, other.email, other.password), { method: 'DELETE', url })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url, headers: project.auth })).statusCode).toBe(401);
    const admin = await logIn(app, project.email, project.password);
    expect((await as(admin, { method: 'DELETE', url: `/api/v1/projects/${uuidv7()}` })).statusCode).toBe(404);
    expect(await myProjects(admin)).toHaveLength(1);
  });
});
