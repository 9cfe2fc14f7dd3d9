import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { addTestMember, createTestProject, logBatch, logIn, type TestProject, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function ingest(project: TestProject, calls: { promptId: string; model: string; times: number }[]) {
  const executions = calls.flatMap(({ promptId, model, times }) =>
    Array.from({ length: times }, () => ({ promptId, model, status: 'success', source: { type: 'api' } })),
  );
  await logBatch(app, project, executions);
  await foldRollupDeltas(handle);
}

async function suggest(project: TestProject, query: string) {
  const response = await app.inject({ url: `/api/v1/suggestions?field=model&${query}`, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { value: string; calls: number }[]).map((item) => `${item.value} ×${item.calls}`);
}

describe('GET /api/v1/suggestions', () => {
  it("offers one prompt's models, most called first, starting with the typed text in any case", async () => {
    const project = await createTestProject(handle);
    const stranger = await createTestProject(handle);
    await ingest(project, [
      { promptId: 'reply', model: 'gpt-4o-mini', times: 3 },
      { promptId: 'reply', model: 'GPT-4.1', times: 1 },
      { promptId: 'reply', model: 'claude-sonnet-4', times: 2 },
      { promptId: 'summary', model: 'gpt-5', times: 4 },
    ]);
    await ingest(stranger, [{ promptId: 'reply', model: 'gpt-secret', times: 5 }]);

    expect(await suggest(project, 'promptId=reply')).toEqual(['gpt-4o-mini ×3', 'claude-sonnet-4 ×2', 'GPT-4.1 ×1']);
    expect(await suggest(project, 'promptId=reply&prefix=Gp')).toEqual(['gpt-4o-mini ×3', 'GPT-4.1 ×1']);
    expect(await suggest(project, 'promptId=reply&prefix=gpt&limit=1')).toEqual(['gpt-4o-mini ×3']);
    expect(await suggest(project, 'promptId=reply&prefix=%25')).toEqual([]);
    expect(await suggest(project, 'promptId=nothing-logged')).toEqual([]);
  });

  it("offers the whole project's models without a prompt", async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      { promptId: 'reply', model: 'gpt-4o-mini', times: 1 },
      { promptId: 'summary', model: 'gpt-5', times: 2 },
    ]);
    expect(await suggest(project, 'prefix=gpt')).toEqual(['gpt-5 ×2', 'gpt-4o-mini ×1']);
  });

  it('reads the rollups, so a model stays offered after retention deleted its executions', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [{ promptId: 'reply', model: 'gpt-4o-mini', times: 2 }]);
    await handle.query('delete from executions where project_id = $1', [project.projectId]);
    expect(await suggest(project, 'promptId=reply')).toEqual(['gpt-4o-mini ×2']);
  });

  it("offers the tags a prompt's executions carried, the most recently seen first, then by name", async () => {
    const project = await createTestProject(handle);
    const stranger = await createTestProject(handle);
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const tagged = (promptId: string, startedAt: string, tags: string[]) => ({
      promptId,
      model: 'gpt-4o-mini',
      status: 'success',
      source: { type: 'api' },
      startedAt,
      tags,
    });
    for (const [target, executions] of [
      [
        project,
        [
          tagged('reply', day(3), ['Beta', 'checkout']),
          tagged('reply', day(0), ['customer-facing', 'checkout']),
          tagged('reply', day(0), ['customer-facing']),
          tagged('reply', day(1), ['alpha']),
          tagged('summary', day(0), ['nightly']),
        ],
      ],
      [stranger, [tagged('reply', day(0), ['secret-tag'])]],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/executions/batch',
        headers: target.auth,
        payload: { executions },
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    const tags = async (query: string) => {
      const response = await app.inject({ url: `/api/v1/suggestions?field=tag&${query}`, headers: project.auth });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().items as { value: string; calls: number | null }[];
    };

    expect((await tags('promptId=reply')).map((item) => item.value)).toEqual([
      'checkout',
      'customer-facing',
      'alpha',
      'Beta',
    ]);
    expect(await tags('promptId=reply&prefix=B')).toEqual([{ value: 'Beta', calls: null }]);
    expect((await tags('promptId=reply&prefix=c&limit=1')).map((item) => item.value)).toEqual(['checkout']);
    expect((await tags('prefix=')).map((item) => item.value)).toEqual([
      'checkout',
      'customer-facing',
      'nightly',
      'alpha',
      'Beta',
    ]);
  });

  it('offers a viewer the tags of the prompts they were granted only, and every member the models', async () => {
    const project = await createTestProject(handle);
    const executions = [
      { promptId: 'reply', model: 'gpt-4o-mini', status: 'success', source: { type: 'api' }, tags: ['checkout'] },
      {
        promptId: 'payroll',
        model: 'claude-sonnet-4',
        status: 'success',
        source: { type: 'api' },
        tags: ['acme-corp'],
      },
    ];
    await logBatch(app, project, executions);
    await foldRollupDeltas(handle);
    const granted = await addTestMember(handle, project.projectId, 'viewer', ['reply']);
    const viewer = await addTestMember(handle, project.projectId, 'viewer');
    const ask = async (member: { email: string; password: string }, query: string) => {
      const session = await logIn(app, member.email, member.password);
      return app.inject({
        url: `/api/v1/suggestions?projectId=${project.projectId}&${query}`,
        cookies: session.cookies,
      });
    };
    const values = (response: { json(): { items: { value: string }[] } }) =>
      response.json().items.map((item) => item.value);

    const grantedTags = await ask(granted, 'field=tag');
    expect(grantedTags.statusCode, grantedTags.body).toBe(200);
    expect(values(grantedTags)).toEqual(['checkout']);
    const otherPrompt = await ask(granted, 'field=tag&promptId=payroll');
    expect(otherPrompt.statusCode).toBe(403);
    expect(otherPrompt.json().error.message).toMatch(/payroll/);
    expect((await ask(viewer, 'field=tag')).statusCode).toBe(403);

    const models = await ask(viewer, 'field=model');
    expect(models.statusCode, models.body).toBe(200);
    expect(values(models).sort()).toEqual(['claude-sonnet-4', 'gpt-4o-mini']);
  });

  it('records a tag once per prompt and day however often and however concurrently it is logged', async () => {
    const project = await createTestProject(handle);
    const batch = (tags: string[]) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/executions/batch',
        headers: project.auth,
        payload: {
          executions: Array.from({ length: 20 }, () => ({
            promptId: 'reply',
            model: 'm',
            status: 'success',
            source: { type: 'api' },
            tags,
          })),
        },
      });
    const responses = await Promise.all([batch(['a', 'b', 'c']), batch(['c', 'b', 'a']), batch(['b', 'a'])]);
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200]);
    const rows = await handle.query<{ tag: string; n: number }>(
      'select tag, count(*)::int as n from tags_seen_daily where project_id = $1 group by tag order by tag',
      [project.projectId],
    );
    expect(rows).toEqual([
      { tag: 'a', n: 1 },
      { tag: 'b', n: 1 },
      { tag: 'c', n: 1 },
    ]);
  });

  it('refuses a field without suggestions and a limit out of range, naming the parameter', async () => {
    const project = await createTestProject(handle);
    for (const [query, path] of [
      ['field=status', 'field'],
      ['field=model&limit=51', 'limit'],
    ]) {
      const response = await app.inject({ url: `/api/v1/suggestions?${query}`, headers: project.auth });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.issues[0].path).toBe(path);
    }
  });
});
