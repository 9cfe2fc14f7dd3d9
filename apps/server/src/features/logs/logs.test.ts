import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestApp, createTestProject, type TestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  project = await createTestProject(handle);
  await ingest(project, FIXTURE);
});

type Fixture = { n: number } & Record<string, unknown>;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 12, minute)).toISOString();

/** 12 executions of "reply" one minute apart (n = minute) plus one of another prompt. */
const FIXTURE: Fixture[] = [
  { n: 0, status: 'success', source: { type: 'chat' }, promptVersion: 1, model: 'gpt-4o', tags: ['eu'] },
  { n: 1, status: 'error', source: { type: 'workflow', id: 'wf-1' }, promptVersion: 1, model: 'gpt-4o' },
  { n: 2, status: 'success', source: { type: 'workflow', id: 'wf-1' }, promptVersion: 2, model: 'gpt-4o-mini' },
  {
    n: 3,
    status: 'error',
    source: { type: 'workflow', id: 'wf-2' },
    promptVersion: 2,
    model: 'gpt-4o-mini',
    tags: ['eu', 'beta'],
  },
  { n: 4, status: 'cancelled', source: { type: 'api' }, promptVersion: 2, model: 'claude-3-5-haiku-latest' },
  { n: 5, status: 'pending', source: { type: 'playground' }, promptVersion: 3, model: 'gpt-4o' },
  {
    n: 6,
    status: 'success',
    source: { type: 'mcp' },
    promptVersion: 3,
    model: 'gpt-4o',
    metadata: { tenant: 'acme', tier: 2 },
  },
  {
    n: 7,
    status: 'error',
    source: { type: 'workflow', id: 'wf-3' },
    promptVersion: 3,
    model: 'gpt-4o',
    metadata: { tenant: 'globex' },
  },
  {
    n: 8,
    status: 'success',
    source: { type: 'project_tool' },
    promptVersion: 3,
    model: 'gpt-4o',
    inputs: { text: 'Где мой заказ?' },
  },
  {
    n: 9,
    status: 'success',
    source: { type: 'chat' },
    promptVersion: 3,
    model: 'gpt-4o',
    output: '注文は明日発送されます',
  },
  {
    n: 10,
    status: 'error',
    source: { type: 'workflow', id: 'wf-4' },
    promptVersion: 3,
    model: 'gpt-4o',
    error: { type: 'timeout', message: 'Upstream Timeout after 30s' },
  },
  {
    n: 11,
    status: 'success',
    source: { type: 'workflow', id: 'wf-4' },
    promptVersion: 3,
    model: 'gpt-4o',
    metadata: { tenant: 'acme' },
  },
];

async function ingest(target: TestProject, fixtures: Fixture[], promptId = 'reply') {
  const executions = fixtures.map(({ n, ...rest }) => ({
    promptId,
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o',
    startedAt: at(n),
    metadata: { n },
    ...rest,
    ...(rest.metadata ? { metadata: { n, ...(rest.metadata as object) } } : {}),
  }));
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: target.auth,
    payload: { executions },
  });
  expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
}

async function list(query: string, target = project) {
  const response = await app.inject({ url: `/api/v1/executions?promptId=reply&${query}`, headers: target.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: { id: string; startedAt: string }[]; nextCursor: string | null };
}

/** The fixture numbers (minutes) of the listed executions, in list order. */
async function minutes(query: string): Promise<number[]> {
  const { items } = await list(`${query}&limit=200`);
  return items.map((item) => new Date(item.startedAt).getUTCMinutes());
}

describe('GET /api/v1/executions', () => {
  it('lists one prompt’s executions most recent first, as narrow rows without payloads', async () => {
    const { items } = await list('limit=200');
    expect(items.map((i) => new Date(i.startedAt).getUTCMinutes())).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const item = items[0] as Record<string, unknown>;
    expect(item).toMatchObject({ promptId: 'reply', status: 'success', source: { type: 'workflow', id: 'wf-4' } });
    for (const payload of ['inputs', 'output', 'error', 'request', 'thinking', 'toolCalls', 'metadata']) {
      expect(item).not.toHaveProperty(payload);
    }
  });

  it.each([
    ['status=error', [10, 7, 3, 1]],
    ['source=workflow', [11, 10, 7, 3, 2, 1]],
    ['version=2', [4, 3, 2]],
    ['model=gpt-4o-mini', [3, 2]],
    ['tag=beta', [3]],
    ['meta.tenant=acme', [11, 6]],
    ['meta.tier=2', [6]],
  ])('filters by %s', async (query, expected) => {
    expect(await minutes(query)).toEqual(expected);
  });

  it('ORs repeated values of one filter and ANDs different filters', async () => {
    expect(await minutes('status=error&status=cancelled')).toEqual([10, 7, 4, 3, 1]);
    expect(await minutes('source=workflow&status=error&version=3')).toEqual([10, 7]);
    expect(await minutes('source=workflow&source=chat&version=1&version=3&status=success')).toEqual([11, 9, 0]);
    expect(await minutes('tag=eu&tag=beta')).toEqual([3, 0]);
    expect(await minutes('meta.tenant=acme&meta.tenant=globex&status=error')).toEqual([7]);
  });

  it('treats from as inclusive and to as exclusive', async () => {
    expect(await minutes(`from=${at(3)}&to=${at(6)}`)).toEqual([5, 4, 3]);
    expect(await minutes(`from=${at(11)}`)).toEqual([11]);
    expect(await minutes(`to=${at(0)}`)).toEqual([]);
  });

  it('searches inputs, output and error text in any script, case-insensitively', async () => {
    expect(await minutes(`q=${encodeURIComponent('мой заказ')}`)).toEqual([8]);
    expect(await minutes(`q=${encodeURIComponent('明日発送')}`)).toEqual([9]);
    expect(await minutes('q=upstream%20timeout')).toEqual([10]);
    expect(await minutes('q=nothing-like-this')).toEqual([]);
  });

  it('pages with a cursor that neither repeats nor skips a row while new executions arrive', async () => {
    const target = await createTestProject(handle);
    await ingest(
      target,
      FIXTURE.map((f) => ({ ...f, status: 'success' })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const body = await list(`limit=5${cursor ? `&cursor=${cursor}` : ''}`, target);
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      // Newer executions arrive between pages, one of them at exactly the same instant as a listed row.
      await ingest(target, [{ n: 30 + page }, { n: 11 }]);
      page += 1;
    } while (cursor);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('keeps same-instant executions apart by id when paging', async () => {
    const target = await createTestProject(handle);
    await ingest(
      target,
      Array.from({ length: 7 }, () => ({ n: 1 })),
    );
    const first = await list('limit=3', target);
    const second = await list(`limit=3&cursor=${first.nextCursor}`, target);
    const third = await list(`limit=3&cursor=${second.nextCursor}`, target);
    const ids = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(7);
    expect(third.nextCursor).toBeNull();
  });

  it('names a bad filter value, an unknown filter and a forged cursor in a 400', async () => {
    for (const [query, path] of [
      ['status=exploded', 'status'],
      ['sauce=workflow', 'sauce'],
      ['cursor=bm9wZQ', 'cursor'],
      ['limit=0', 'limit'],
    ]) {
      const response = await app.inject({ url: `/api/v1/executions?${query}`, headers: project.auth });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.issues[0].path).toBe(path);
    }
  });

  it('shows a project only its own executions', async () => {
    const stranger = await createTestProject(handle);
    expect((await list('', stranger)).items).toEqual([]);
  });
});

describe('text search over a bounded number of executions per request', () => {
  type SearchPage = { items: { startedAt: string }[]; nextCursor: string | null; searched?: { through: string } };

  it('answers after reading its budget, says how far back it searched, and finds older matches on request', async () => {
    const budgeted = await createTestApp(handle, { searchScanExecutions: 2 });
    try {
      const pages: SearchPage[] = [];
      let cursor: string | null = null;
      do {
        const after = cursor ? `&cursor=${cursor}` : '';
        const response = await budgeted.inject({
          url: `/api/v1/executions?promptId=reply&q=${encodeURIComponent('заказ')}${after}`,
          headers: project.auth,
        });
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json() as SearchPage;
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 20);

      // Two executions per request, newest first: (11, 10), (9, 8) with the match, … (1, 0), then nothing left.
      expect(pages.map((p) => p.items.map((item) => new Date(item.startedAt).getUTCMinutes()))).toEqual([
        [],
        [8],
        [],
        [],
        [],
        [],
        [],
      ]);
      expect(pages.map((p) => p.searched && new Date(p.searched.through).getUTCMinutes())).toEqual([
        10,
        8,
        6,
        4,
        2,
        0,
        undefined,
      ]);
      expect(pages.at(-1)?.nextCursor).toBeNull();
    } finally {
      await budgeted.close();
    }
  });

  it('does not stop a page that fills within its budget, and the export searches everything', async () => {
    const budgeted = await createTestApp(handle, { searchScanExecutions: 5 });
    try {
      // Of the five newest, 10 and 8 have an "e" in their payloads: one fills the page, the other says more follow.
      const filled = await budgeted.inject({
        url: '/api/v1/executions?promptId=reply&q=e&limit=1',
        headers: project.auth,
      });
      expect(
        filled.json().items.map((item: { startedAt: string }) => new Date(item.startedAt).getUTCMinutes()),
      ).toEqual([10]);
      expect(filled.json().searched).toBeUndefined();
      expect(filled.json().nextCursor).toEqual(expect.any(String));

      const exported = await budgeted.inject({
        url: `/api/v1/executions/export?promptId=reply&q=${encodeURIComponent('明日発送')}`,
        headers: project.auth,
      });
      expect(exported.statusCode).toBe(200);
      const lines = exported.body.trim().split('\n').filter(Boolean);
      expect(lines.map((line) => new Date(JSON.parse(line).startedAt).getUTCMinutes())).toEqual([9]);
    } finally {
      await budgeted.close();
    }
  });
});

describe('GET /api/v1/executions/:id (detail)', () => {
  it('returns the trace’s steps in order and the attempts and generations at the same location', async () => {
    const target = await createTestProject(handle);
    const traceId = uuidv7();
    const steps = [
      { n: 1, trace: { traceId, stepIndex: 0, stepType: 'retrieve' }, promptId: 'retrieve' },
      {
        n: 2,
        trace: { traceId, stepIndex: 1, stepType: 'draft' },
        promptId: 'draft',
        location: { node: 'draft', field: 'body' },
        attempt: 1,
        status: 'error',
        provider: 'openai',
      },
      {
        n: 3,
        trace: { traceId, stepIndex: 1, stepType: 'draft' },
        promptId: 'draft',
        location: { node: 'draft', field: 'body' },
        attempt: 2,
        provider: 'anthropic',
        model: 'claude-3-5-haiku-latest',
      },
      { n: 4, trace: { traceId, stepIndex: 2, stepType: 'review' }, promptId: 'review', status: 'error' },
      { n: 5, trace: { traceId: 'another-run' }, promptId: 'draft', location: { node: 'draft', field: 'body' } },
    ];
    const ids: string[] = [];
    for (const { n, promptId, ...rest } of steps) {
      const id = uuidv7();
      ids.push(id);
      await ingest(target, [{ n, id, ...rest }], promptId);
    }
    const response = await app.inject({ url: `/api/v1/executions/${ids[2]}`, headers: target.auth });
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail.id).toBe(ids[2]);
    expect(detail.traceSteps.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 4));
    expect(detail.traceSteps.map((s: { traceStepType: string }) => s.traceStepType)).toEqual([
      'retrieve',
      'draft',
      'draft',
      'review',
    ]);
    expect(detail.siblings.map((s: { id: string; attempt: number }) => [s.id, s.attempt])).toEqual([
      [ids[1], 1],
      [ids[2], 2],
    ]);
  });
});

describe('GET /api/v1/prompts', () => {
  it('lists each prompt with its last run, 24-hour runs and error rate, and the versions seen', async () => {
    const target = await createTestProject(handle);
    const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const executions = [
      { promptId: 'summarize', status: 'success', promptVersion: 1, startedAt: recent(60 * 30) },
      { promptId: 'summarize', status: 'error', promptVersion: 2, startedAt: recent(10) },
      { promptId: 'summarize', status: 'success', promptVersion: 2, startedAt: recent(5) },
      { promptId: 'classify', status: 'success', startedAt: recent(60 * 48) },
    ].map((e) => ({ source: { type: 'api' }, model: 'gpt-4o', ...e }));
    await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: target.auth,
      payload: { executions },
    });

    const response = await app.inject({ url: '/api/v1/prompts', headers: target.auth });
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(items.map((p: { id: string }) => p.id)).toEqual(['summarize', 'classify']);
    expect(items[0]).toMatchObject({ runs24h: 2, errors24h: 1, errorRate24h: 0.5, versions: [1, 2] });
    expect(items[0].lastRunAt).toBe(executions[2]?.startedAt.replace('Z', '000Z'));
    expect(items[1]).toMatchObject({ runs24h: 0, errors24h: 0, errorRate24h: null, versions: [] });
  });
});
