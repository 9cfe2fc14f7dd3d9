import type { ConversationListPage, ConversationThread, ExecutionListPage } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { addTestMember, createTestProject, logBatch, logIn, type TestProject, useTestApp } from '../../test/harness';
import { foldRollupDeltas, rebuildRollups } from '../analytics/rollups';
import { newTraceId, otlpJson } from '../otlp/test-spans';
import { purgeProjectData } from '../projects/purge';
import { applyRetention } from '../retention/service';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const HOUR = 3_600_000;
const T0 = Date.now() - 48 * HOUR;
const at = (ms: number) => new Date(T0 + ms).toISOString();

const call = (fields: Record<string, unknown>) => ({
  promptId: 'support-reply',
  status: 'success',
  source: { type: 'chat' },
  model: 'gpt-4o',
  ...fields,
});

async function get<T>(url: string, auth: Pick<InjectOptions, 'headers' | 'cookies'>): Promise<T> {
  const response = await app.inject({ url, ...auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const list = (project: TestProject, query = '') =>
  get<ConversationListPage>(`/api/v1/conversations?${query}`, { headers: project.auth });
const thread = (project: TestProject, id: string, query = '') =>
  get<ConversationThread>(`/api/v1/conversations/${encodeURIComponent(id)}?${query}`, { headers: project.auth });

describe('ingesting a conversation id', () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await createTestProject(handle);
  });

  it('stores it from a single record, a batch and an OTLP span, and returns it in the detail and the list', async () => {
    const single = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: call({ conversationId: 'chat-1', startedAt: at(0) }),
    });
    expect(single.statusCode, single.body).toBe(201);
    await logBatch(app, project, [
      call({ conversationId: 'chat-1', startedAt: at(1000) }),
      call({ startedAt: at(2000) }),
    ]);
    const otlp = await app.inject({
      method: 'POST',
      url: '/api/otel/v1/traces',
      headers: project.auth,
      payload: otlpJson([
        {
          traceId: newTraceId(),
          startMs: T0 + 3000,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'session.id': 'chat-1' },
        },
        {
          traceId: newTraceId(),
          startMs: T0 + 4000,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.conversation.id': 'chat-2',
          },
        },
      ]),
    });
    expect(otlp.statusCode, otlp.body).toBe(200);

    const detail = await get<{ conversationId?: string }>(`/api/v1/executions/${single.json().id}`, {
      headers: project.auth,
    });
    expect(detail.conversationId).toBe('chat-1');
    const filtered = await get<ExecutionListPage>('/api/v1/executions?conversationId=chat-1', {
      headers: project.auth,
    });
    expect(filtered.items.map((item) => item.conversationId)).toEqual(['chat-1', 'chat-1', 'chat-1']);
    const all = await get<ExecutionListPage>('/api/v1/executions', { headers: project.auth });
    expect(all.items.map((item) => item.conversationId).sort()).toEqual(['chat-1', 'chat-1', 'chat-1', 'chat-2', null]);
  });

  it('refuses an empty or overlong id with a 400 naming the field, in a batch item too', async () => {
    const single = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: call({ conversationId: 'x'.repeat(201) }),
    });
    expect(single.statusCode).toBe(400);
    expect(single.json().error.issues).toEqual([expect.objectContaining({ path: 'conversationId' })]);
    const batch = await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: { executions: [call({ conversationId: '' }), call({ conversationId: 'x'.repeat(200) })] },
    });
    const [bad, good] = batch.json().results;
    expect(bad.status).toBe('rejected');
    expect(bad.error.issues).toEqual([expect.objectContaining({ path: 'executions.0.conversationId' })]);
    expect(good.status).toBe('created');
  });
});

describe('the conversations list', () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await createTestProject(handle);
    await logBatch(app, project, [
      call({
        conversationId: 'alpha',
        startedAt: at(0),
        latencyMs: 1000,
        costUsd: '0.1',
        usage: { inputTokens: 100, outputTokens: 10 },
        user: { id: 'u-2' },
      }),
      call({
        conversationId: 'alpha',
        promptId: 'summarise',
        startedAt: at(60_000),
        latencyMs: 2500,
        costUsd: '0.2',
        usage: { inputTokens: 200, outputTokens: 20 },
        user: { email: 'ann@example.test' },
      }),
      call({
        conversationId: 'alpha',
        status: 'error',
        model: 'model-nobody-prices',
        startedAt: at(120_000),
        latencyMs: 500,
        error: { message: 'boom' },
        user: { id: 'u-2' },
      }),
      call({ conversationId: 'beta', startedAt: at(HOUR), latencyMs: 100, costUsd: '0.000000001' }),
      call({ conversationId: 'gamma', startedAt: at(2 * HOUR), latencyMs: 100, costUsd: '1' }),
      call({ startedAt: at(3 * HOUR) }),
    ]);
    await foldRollupDeltas(handle);
  });

  it('sums each conversation exactly: calls, errors, tokens, cost as a decimal, duration and users', async () => {
    const page = await list(project);
    expect(page.items.map((c) => c.id)).toEqual(['gamma', 'beta', 'alpha']);
    expect(page.items[2]).toEqual({
      id: 'alpha',
      firstAt: expect.stringMatching(new RegExp(`^${at(0).slice(0, 19)}`)),
      lastAt: expect.stringMatching(new RegExp(`^${at(120_000).slice(0, 19)}`)),
      durationMs: 120_500,
      calls: 3,
      errors: 1,
      inputTokens: 300,
      outputTokens: 30,
      costUsd: '0.3',
      unpricedCalls: 1,
      latencySumMs: 4000,
      users: ['ann@example.test', 'u-2'],
      usersTruncated: false,
      promptIds: ['summarise', 'support-reply'],
      promptsTruncated: false,
    });
    expect(page.items[1]?.costUsd).toBe('0.000000001');
    expect(page.nextCursor).toBeNull();
  });

  it('pages by keyset, latest activity first, with no repeats or gaps', async () => {
    const first = await list(project, 'limit=2');
    expect(first.items.map((c) => c.id)).toEqual(['gamma', 'beta']);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(project, `limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((c) => c.id)).toEqual(['alpha']);
    expect(second.nextCursor).toBeNull();
    const bad = await app.inject({ url: '/api/v1/conversations?cursor=nonsense', headers: project.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('cursor');
  });

  it('filters by time window, part of the id and prompt', async () => {
    expect((await list(project, `from=${at(HOUR)}`)).items.map((c) => c.id)).toEqual(['gamma', 'beta']);
    expect((await list(project, `to=${at(HOUR)}`)).items.map((c) => c.id)).toEqual(['alpha']);
    expect((await list(project, 'q=ETA')).items.map((c) => c.id)).toEqual(['beta']);
    expect((await list(project, 'q=%25')).items).toEqual([]);
    expect((await list(project, 'promptId=summarise')).items.map((c) => c.id)).toEqual(['alpha']);
  });

  it('follows the completion of a pending call and recounts the same from the raw executions', async () => {
    const pending = uuidv7();
    await logBatch(app, project, [
      call({ id: pending, conversationId: 'beta', status: 'pending', startedAt: at(HOUR + 1000) }),
    ]);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${pending}`,
      headers: project.auth,
      payload: {
        status: 'error',
        costUsd: '0.5',
        endedAt: at(HOUR + 6000),
        usage: { inputTokens: 7, outputTokens: 3 },
      },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await foldRollupDeltas(handle);
    const beta = (await thread(project, 'beta')).conversation;
    expect(beta).toMatchObject({ calls: 2, errors: 1, costUsd: '0.500000001', inputTokens: 7, durationMs: 6000 });

    await rebuildRollups(handle, project.projectId);
    expect((await thread(project, 'beta')).conversation).toEqual(beta);
    expect((await list(project)).items.map((c) => c.id)).toEqual(['gamma', 'beta', 'alpha']);
  });
});

describe('a conversation thread', () => {
  let project: TestProject;
  let ids: string[];
  beforeAll(async () => {
    project = await createTestProject(handle);
    // Sent out of order, across a month boundary of the partitions.
    ids = await logBatch(app, project, [
      call({ conversationId: 'thread', startedAt: at(30_000) }),
      call({ conversationId: 'thread', startedAt: at(-40 * 24 * HOUR) }),
      call({ conversationId: 'thread', promptId: 'other', startedAt: at(10_000) }),
      call({ conversationId: 'elsewhere', startedAt: at(20_000) }),
    ]);
    await foldRollupDeltas(handle);
  });

  it('lists its executions oldest first, as narrow rows, a page at a time', async () => {
    const whole = await thread(project, 'thread');
    expect(whole.items.map((item) => item.id)).toEqual([ids[1], ids[2], ids[0]]);
    expect(whole.items[0]).not.toHaveProperty('inputs');
    expect(whole.conversation?.calls).toBe(3);

    const first = await thread(project, 'thread', 'limit=2');
    expect(first.items.map((item) => item.id)).toEqual([ids[1], ids[2]]);
    const second = await thread(project, 'thread', `limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('is not found in another project or when it never existed', async () => {
    const other = await createTestProject(handle);
    expect((await app.inject({ url: '/api/v1/conversations/thread', headers: other.auth })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/conversations/nope', headers: project.auth })).statusCode).toBe(404);
  });

  it('shows a member granted some prompts only their calls, and no totals or list row that count others', async () => {
    const granted = await addTestMember(handle, project.projectId, 'viewer', ['support-reply']);
    const session = await logIn(app, granted.email, granted.password);
    const auth = { cookies: session.cookies };
    const view = await get<ConversationThread>(`/api/v1/conversations/thread?projectId=${project.projectId}`, auth);
    expect(view.items.map((item) => item.id)).toEqual([ids[1], ids[0]]);
    expect(view.conversation).toBeNull();
    const page = await get<ConversationListPage>(`/api/v1/conversations?projectId=${project.projectId}`, auth);
    expect(page.items.map((c) => c.id)).toEqual(['elsewhere']);

    const viewer = await addTestMember(handle, project.projectId, 'viewer');
    const refused = await app.inject({
      url: `/api/v1/conversations?projectId=${project.projectId}`,
      cookies: (await logIn(app, viewer.email, viewer.password)).cookies,
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('retention and project deletion', () => {
  it('deletes a conversation whose every call passed the retention, and every row of a deleted project', async () => {
    const project = await createTestProject(handle);
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * HOUR).toISOString();
    await logBatch(app, project, [
      call({ conversationId: 'old', startedAt: daysAgo(20) }),
      call({ conversationId: 'spans', startedAt: daysAgo(20) }),
      call({ conversationId: 'spans', startedAt: daysAgo(1) }),
    ]);
    await foldRollupDeltas(handle);
    await handle.query('update projects set retention_days = 7 where id = $1', [project.projectId]);

    const report = await applyRetention(handle, { now, batchSize: 1, pauseMs: 0 });
    expect(report.projects.find((p) => p.projectId === project.projectId)?.conversations).toBe(1);
    expect((await list(project)).items.map((c) => c.id)).toEqual(['spans']);
    expect((await thread(project, 'spans')).items).toHaveLength(1);

    await handle.query('delete from projects where id = $1', [project.projectId]);
    expect((await purgeProjectData(handle, project.projectId)).complete).toBe(true);
    const [left] = await handle.query<{ rows: number }>(
      `select (select count(*) from conversation_rollups where project_id = $1)
        + (select count(*) from conversation_rollup_deltas where project_id = $1) as rows`,
      [project.projectId],
    );
    expect(Number(left?.rows)).toBe(0);
  });
});
