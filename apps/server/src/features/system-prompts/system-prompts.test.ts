import type { SystemPromptList } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  addTestMember,
  createTestProject,
  logIn,
  saveSettings,
  type TestProject,
  useTestApp,
} from '../../test/harness';
import { foldRollupDeltas, rebuildRollups } from '../analytics/rollups';
import { createApiKey } from '../api-keys/service';
import { purgeProjectData } from '../projects/purge';
import { applyRetention } from '../retention/service';
import { systemPromptHash } from './extract';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const OPENAI_KEY = `sk-proj-${'4fG7hJ2kL9mN3pQ6rS8tV1wX5yZ0aB'}`;
const SUPPORT = "You are Acme's support assistant. Be concise and empathetic.";
const SUPPORT_EDITED = "You are Acme's support assistant. Be brief, friendly and look up orders first.";

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
/** The same instant as the API writes times, to the microsecond. */
const seen = (day: number) => at(day).replace('Z', '000Z');

function execution(startedAt: string, rest: Record<string, unknown> = {}) {
  return {
    id: uuidv7(Date.parse(startedAt)),
    promptId: 'support',
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o',
    startedAt,
    output: 'Sure.',
    ...rest,
  };
}

const withSystem = (systemPrompt: string, promptVersion?: number) => ({
  ...(promptVersion === undefined ? {} : { promptVersion }),
  request: { systemPrompt, messages: [{ role: 'user', content: 'Where is my order?' }] },
});

async function batch(project: TestProject, executions: unknown[]) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().results as { id: string; status: string }[];
}

async function single(project: TestProject, payload: unknown) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: project.auth,
    payload: payload as object,
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json() as { id: string };
}

async function systemPrompts(project: TestProject, promptId = 'support'): Promise<SystemPromptList> {
  const response = await app.inject({
    url: `/api/v1/prompts/${promptId}/system-prompts`,
    headers: project.auth,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function storedTexts(projectId: string) {
  return handle.query<{ hash: string; text: string }>(
    'select hash, text from system_prompts where project_id = $1 order by text',
    [projectId],
  );
}

describe('system prompts at ingestion', () => {
  it('stores one text once across many calls, batches and a retry, and counts every call', async () => {
    const project = await createTestProject(handle);
    const first = execution(at(2), withSystem(SUPPORT, 1));
    await single(project, first);
    await single(project, first);
    const results = await batch(project, [
      ...[3, 4, 5].map((day) => execution(at(day), withSystem(SUPPORT, 1))),
      first,
      // The same text as a system message counts as the same system prompt.
      execution(at(6), { promptVersion: 1, request: { messages: [{ role: 'system', content: SUPPORT }] } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'duplicate', 'created']);

    expect(await storedTexts(project.projectId)).toEqual([{ hash: systemPromptHash(SUPPORT), text: SUPPORT }]);
    const [hashes] = await handle.query<{ n: number; distinct: number }>(
      `select count(*)::int as n, count(distinct system_prompt_hash)::int as distinct from executions
       where project_id = $1`,
      [project.projectId],
    );
    expect(hashes).toEqual({ n: 5, distinct: 1 });
    const list = await systemPrompts(project);
    expect(list).toEqual({
      items: [
        {
          hash: systemPromptHash(SUPPORT),
          promptVersion: 1,
          firstSeenAt: seen(2),
          lastSeenAt: seen(6),
          calls: 5,
          text: SUPPORT,
        },
      ],
      versions: [{ promptVersion: 1, distinctTexts: 1, firstSeenAt: seen(2), lastSeenAt: seen(6), calls: 5 }],
    });
    // Folded or pending, the answer is the same.
    await foldRollupDeltas(handle);
    expect(await systemPrompts(project)).toEqual(list);
  });

  it('reports drift: one version logged with two texts, each with its first and last use', async () => {
    const project = await createTestProject(handle);
    await batch(project, [
      execution(at(1), withSystem(SUPPORT, 2)),
      execution(at(2), withSystem(SUPPORT, 3)),
      execution(at(3), withSystem(SUPPORT, 3)),
      execution(at(4), withSystem(SUPPORT_EDITED, 3)),
      execution(at(5), withSystem(SUPPORT, 3)),
      execution(at(6), { promptVersion: 3, request: { messages: [{ role: 'user', content: 'No system prompt' }] } }),
      execution(at(7), withSystem(SUPPORT_EDITED)),
    ]);

    const list = await systemPrompts(project);
    expect(list.versions).toEqual([
      { promptVersion: 3, distinctTexts: 2, firstSeenAt: seen(2), lastSeenAt: seen(5), calls: 4 },
      { promptVersion: 2, distinctTexts: 1, firstSeenAt: seen(1), lastSeenAt: seen(1), calls: 1 },
      { promptVersion: null, distinctTexts: 1, firstSeenAt: seen(7), lastSeenAt: seen(7), calls: 1 },
    ]);
    expect(
      list.items.map(({ promptVersion, calls, firstSeenAt, lastSeenAt, text }) => ({
        promptVersion,
        calls,
        firstSeenAt,
        lastSeenAt,
        text,
      })),
    ).toEqual([
      { promptVersion: 3, calls: 3, firstSeenAt: seen(2), lastSeenAt: seen(5), text: SUPPORT },
      { promptVersion: 3, calls: 1, firstSeenAt: seen(4), lastSeenAt: seen(4), text: SUPPORT_EDITED },
      { promptVersion: 2, calls: 1, firstSeenAt: seen(1), lastSeenAt: seen(1), text: SUPPORT },
      { promptVersion: null, calls: 1, firstSeenAt: seen(7), lastSeenAt: seen(7), text: SUPPORT_EDITED },
    ]);
    expect(await storedTexts(project.projectId)).toHaveLength(2);
  });

  it('stores the redacted text, and hashes it alike when the payload policy keeps nothing', async () => {
    const project = await createTestProject(handle);
    await saveSettings(app, project, { redaction: { builtins: ['api_key'], custom: [] } });
    const secret = `Use key ${OPENAI_KEY} for lookups.`;
    await single(project, execution(at(1), withSystem(secret, 1)));

    const redacted = 'Use key [REDACTED:api_key] for lookups.';
    expect(await storedTexts(project.projectId)).toEqual([{ hash: systemPromptHash(redacted), text: redacted }]);
    expect(JSON.stringify(await systemPrompts(project))).not.toContain(OPENAI_KEY);

    await saveSettings(app, project, { payloadPolicy: 'metadata_only' });
    await single(project, execution(at(2), withSystem(secret, 1)));
    const list = await systemPrompts(project);
    expect(list.versions).toMatchObject([{ promptVersion: 1, distinctTexts: 1, calls: 2 }]);
  });

  it('keeps no text under a metadata-only policy, but still counts and compares the hashes', async () => {
    const project = await createTestProject(handle);
    await saveSettings(app, project, { payloadPolicy: 'metadata_only' });
    await batch(project, [execution(at(1), withSystem(SUPPORT, 4)), execution(at(2), withSystem(SUPPORT_EDITED, 4))]);

    expect(await storedTexts(project.projectId)).toEqual([]);
    const list = await systemPrompts(project);
    expect(list.versions).toMatchObject([{ promptVersion: 4, distinctTexts: 2, calls: 2 }]);
    expect(list.items.map((item) => item.text)).toEqual([null, null]);
    expect(list.items.map((item) => item.hash).sort()).toEqual(
      [systemPromptHash(SUPPORT), systemPromptHash(SUPPORT_EDITED)].sort(),
    );
  });

  it('writes a text again when it was deleted after this process stored it', async () => {
    const project = await createTestProject(handle);
    await single(project, execution(at(1), withSystem(SUPPORT, 1)));
    await handle.query('delete from system_prompts where project_id = $1', [project.projectId]);

    // The process remembers the text as stored and sends only its hash; the statement notices it is missing.
    await single(project, execution(at(2), withSystem(SUPPORT, 1)));
    expect(await storedTexts(project.projectId)).toEqual([{ hash: systemPromptHash(SUPPORT), text: SUPPORT }]);
    await handle.query('delete from system_prompts where project_id = $1', [project.projectId]);
    await batch(project, [execution(at(3), withSystem(SUPPORT, 1)), execution(at(4), withSystem(SUPPORT, 1))]);
    expect(await storedTexts(project.projectId)).toEqual([{ hash: systemPromptHash(SUPPORT), text: SUPPORT }]);
  });
});

describe('keeping the counts consistent', () => {
  it('recounts them from the executions on a rebuild', async () => {
    const project = await createTestProject(handle);
    await batch(project, [
      execution(at(1), withSystem(SUPPORT, 1)),
      execution(at(2), withSystem(SUPPORT_EDITED, 1)),
      execution(at(3), withSystem(SUPPORT, 1)),
    ]);
    await foldRollupDeltas(handle);
    const before = await systemPrompts(project);
    await handle.query('update system_prompt_rollups set calls = 99 where project_id = $1', [project.projectId]);

    await rebuildRollups(handle, project.projectId);

    expect(await systemPrompts(project)).toEqual(before);
  });

  it('deletes counts and texts once retention has deleted every call that used them', async () => {
    const project = await createTestProject(handle);
    const now = new Date(at(20));
    await batch(project, [execution(at(1), withSystem(SUPPORT, 1)), execution(at(18), withSystem(SUPPORT_EDITED, 1))]);
    await foldRollupDeltas(handle);
    // Both texts were stored long ago, as on a server that has run for a while.
    await handle.query(`update system_prompts set stored_at = $2 where project_id = $1`, [project.projectId, at(1)]);
    await handle.query('update projects set retention_days = 7 where id = $1', [project.projectId]);

    const report = await applyRetention(handle, { now, pauseMs: 0 });

    expect(report.projects.find((p) => p.projectId === project.projectId)).toMatchObject({
      executions: 1,
      systemPrompts: 2,
    });
    expect(await storedTexts(project.projectId)).toEqual([
      { hash: systemPromptHash(SUPPORT_EDITED), text: SUPPORT_EDITED },
    ]);
    expect((await systemPrompts(project)).versions).toMatchObject([{ promptVersion: 1, distinctTexts: 1, calls: 1 }]);
  });

  it('purges the texts and counts with their project', async () => {
    const project = await createTestProject(handle);
    const other = await createTestProject(handle);
    await batch(project, [execution(at(1), withSystem(SUPPORT, 1))]);
    await batch(other, [execution(at(1), withSystem(SUPPORT, 1))]);
    await handle.query('delete from projects where id = $1', [project.projectId]);

    const report = await purgeProjectData(handle, project.projectId, { pauseMs: 0 });

    expect(report.complete).toBe(true);
    expect(report.deleted).toMatchObject({ system_prompts: 1 });
    for (const table of ['system_prompts', 'system_prompt_rollups', 'system_prompt_rollup_deltas']) {
      const [row] = await handle.query<{ n: number }>(`select count(*)::int as n from ${table} where project_id = $1`, [
        project.projectId,
      ]);
      expect(row?.n, table).toBe(0);
    }
    expect(await storedTexts(other.projectId)).toHaveLength(1);
  });
});

describe('GET /api/v1/prompts/:promptId/system-prompts', () => {
  it('answers whoever may read the prompt’s logs, and refuses the others as the logs do', async () => {
    const project = await createTestProject(handle);
    await batch(project, [
      execution(at(1), withSystem(SUPPORT, 1)),
      execution(at(1), { ...withSystem(SUPPORT, 1), promptId: 'other' }),
    ]);
    const as = async (member: { email: string; password: string }, promptId = 'support') => {
      const session = await logIn(app, member.email, member.password);
      return app.inject({
        url: `/api/v1/prompts/${promptId}/system-prompts?projectId=${project.projectId}`,
        cookies: session.cookies,
      });
    };

    const granted = await addTestMember(handle, project.projectId, 'viewer', ['support']);
    expect((await as(granted)).statusCode).toBe(200);
    const elsewhere = await as(granted, 'other');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.message).toMatch(/Reading the logs of prompt other needs edit access/);
    const ungranted = await as(await addTestMember(handle, project.projectId, 'viewer'));
    expect(ungranted.statusCode).toBe(403);
    expect(ungranted.json().error.message).toMatch(/Viewers see analytics, not logs/);
    expect((await as(await addTestMember(handle, project.projectId, 'editor'))).statusCode).toBe(200);

    const outsider = await createTestProject(handle);
    expect((await as(outsider)).statusCode).toBe(404);
    const { key: ingestOnly } = await createApiKey(handle.db, project.projectId, {
      label: 'ingest',
      scopes: ['ingest'],
    });
    const refused = await app.inject({
      url: '/api/v1/prompts/support/system-prompts',
      headers: { authorization: `Bearer ${ingestOnly}` },
    });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/prompts/support/system-prompts' })).statusCode).toBe(401);
  });

  it('answers bad input with a 4xx naming the field, and a prompt never seen with a 404', async () => {
    const project = await createTestProject(handle);
    await batch(project, [execution(at(1), withSystem(SUPPORT, 1))]);
    const get = (url: string) => app.inject({ url, headers: project.auth });

    const badProject = await get('/api/v1/prompts/support/system-prompts?projectId=not-a-uuid');
    expect(badProject.statusCode).toBe(400);
    expect(badProject.json().error.issues).toEqual([expect.objectContaining({ path: 'projectId' })]);
    const nul = await get('/api/v1/prompts/sup%00port/system-prompts');
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.issues).toEqual([{ path: '(path)', message: 'contains a NUL character (%00)' }]);
    const unknown = await get('/api/v1/prompts/never-logged/system-prompts');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const withoutSystemPrompt = await createTestProject(handle);
    await batch(withoutSystemPrompt, [execution(at(1))]);
    expect(await systemPrompts(withoutSystemPrompt)).toEqual({ items: [], versions: [] });
  });
});
