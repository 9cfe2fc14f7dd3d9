import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp(
  (opened) => {
    ({ handle, app } = opened);
  },
  { maxBodyBytes: 256 * 1024, maxRecordBytes: 64 * 1024, maxBatchSize: 50 },
);

function minimal(overrides: Record<string, unknown> = {}) {
  return { promptId: 'support-reply', status: 'success', source: { type: 'api' }, model: 'gpt-4o-mini', ...overrides };
}

async function post(project: TestProject, payload: unknown) {
  return app.inject({ method: 'POST', url: '/api/v1/executions', headers: project.auth, payload: payload as object });
}

async function storedCount(projectId: string, id: string): Promise<number> {
  const [row] = await handle.query<{ n: number }>(
    `select (select count(*) from executions where project_id = $1 and id = $2)
          + (select count(*) from execution_payloads where project_id = $1 and execution_id = $2) as n`,
    [projectId, id],
  );
  return row?.n ?? 0;
}

describe('POST /api/v1/executions', () => {
  it('stores a full record and returns every field as ingested plus the computed ones', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    const record = {
      id,
      promptId: 'support-reply',
      promptVersion: 3,
      status: 'success',
      source: { type: 'workflow', id: 'wf-42', url: 'https://example.test/workflows/42' },
      model: 'gpt-4o-mini',
      provider: 'openai',
      startedAt: '2026-11-01T10:00:00.000Z',
      endedAt: '2026-11-01T10:00:02.500Z',
      timeToFirstTokenMs: 320,
      inputs: {
        customer: 'Ada',
        attachment: { type: 'file', name: 'a.pdf', mimeType: 'application/pdf', sizeBytes: 1234 },
      },
      request: {
        systemPrompt: 'Be kind.',
        messages: [{ role: 'user', content: 'Hi' }],
        parameters: { temperature: 0.2 },
      },
      output: { answer: 'Hello Ada' },
      usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400, cacheWriteTokens: 0, reasoningTokens: 50 },
      user: { email: 'ada@example.test', id: 'u1' },
      accessKey: 'prod-key',
      requestId: 'req-1',
      attempt: 2,
      generation: 1,
      triggeredBy: 'user',
      location: { node: 'reply', field: 'body' },
      thinking: [{ type: 'thinking', text: 'The user greets.' }],
      toolCalls: [{ round: 1, name: 'lookup', arguments: { q: 'Ada' }, result: { found: true }, latencyMs: 12 }],
      trace: { traceId: 'trace-1', parentId: 'step-0', stepIndex: 1, stepType: 'llm' },
      tags: ['beta', 'eu'],
      metadata: { tenant: 'acme', nested: { ok: true } },
      environment: 'production',
    };
    const created = await post(project, record);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ id });

    const read = await app.inject({ method: 'GET', url: `/api/v1/executions/${id}`, headers: project.auth });
    expect(read.statusCode).toBe(200);
    const body = read.json();
    const { startedAt, endedAt, ...rest } = record;
    expect(body).toMatchObject(rest);
    expect(body.startedAt).toBe(startedAt);
    expect(body.endedAt).toBe(endedAt);
    expect(body.latencyMs).toBe(2500);
    // gpt-4o-mini: $0.15/M input, $0.075/M cached input, $0.60/M output
    // (1000 - 400) × 0.15 + 400 × 0.075 + 200 × 0.6 = 90 + 30 + 120 = 240 → 240 / 1e6
    expect(body.costUsd).toBe('0.00024');
    expect(body.costOrigin).toBe('catalog');
    expect(body.receivedAt).toEqual(expect.any(String));
  });

  it('keeps inputs, output and tool calls exactly as sent, key order included', async () => {
    const project = await createTestProject(handle);
    const inputs = {
      question: 'Where?',
      customer: 'Ada',
      invoice: { type: 'file', name: 'a.pdf', mimeType: 'x', sizeBytes: 1 },
      history: 'long',
    };
    const output = { zeta: 1, alpha: { y: 2, b: 3 } };
    const id = (await post(project, minimal({ inputs, output, metadata: { b: 1, a: 2 } }))).json().id;
    const stored = (await app.inject({ url: `/api/v1/executions/${id}`, headers: project.auth })).json();
    expect(JSON.stringify(stored.inputs)).toBe(JSON.stringify(inputs));
    expect(JSON.stringify(stored.output)).toBe(JSON.stringify(output));
  });

  it('assigns a time-ordered UUIDv7 when the client sends no id', async () => {
    const project = await createTestProject(handle);
    const first = (await post(project, minimal())).json().id as string;
    const second = (await post(project, minimal())).json().id as string;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second > first).toBe(true);
  });

  it('stores a retried id once and answers 200 the second time', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    expect((await post(project, minimal({ id }))).statusCode).toBe(201);
    const again = await post(project, minimal({ id, output: 'different' }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id });
    expect(await storedCount(project.projectId, id)).toBe(2);
  });

  it('derives latency from startedAt and endedAt, and startedAt from endedAt and latency', async () => {
    const project = await createTestProject(handle);
    const a = (
      await post(project, minimal({ startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:00:01.250Z' }))
    ).json().id;
    const b = (await post(project, minimal({ endedAt: '2026-01-01T00:00:10Z', latencyMs: 4000 }))).json().id;
    const get = (id: string) =>
      app.inject({ url: `/api/v1/executions/${id}`, headers: project.auth }).then((r) => r.json());
    expect((await get(a)).latencyMs).toBe(1250);
    expect((await get(b)).startedAt).toBe('2026-01-01T00:00:06.000Z');
  });

  it('names every bad field in a 400', async () => {
    const project = await createTestProject(handle);
    const response = await post(project, {
      promptId: '',
      status: 'done',
      source: { type: 'email' },
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 20 },
      costUsd: '-1',
      promptVersion: 0,
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('validation_failed');
    const paths = body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'promptId',
        'status',
        'source.type',
        'model',
        'costUsd',
        'promptVersion',
        'usage.inputTokens',
      ]),
    );
    for (const issue of body.error.issues) expect(issue.message.length).toBeGreaterThan(3);
  });

  it('rejects an end before the start, naming endedAt', async () => {
    const project = await createTestProject(handle);
    const response = await post(
      project,
      minimal({ startedAt: '2026-01-01T00:00:10Z', endedAt: '2026-01-01T00:00:00Z' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues).toEqual([{ path: 'endedAt', message: 'must not be before startedAt' }]);
  });

  it('answers malformed JSON with a 400, not a 5xx', async () => {
    const project = await createTestProject(handle);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: { ...project.auth, 'content-type': 'application/json' },
      payload: '{"promptId": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_body');
  });

  it('stores text Postgres cannot hold (NUL, lone surrogates) by replacing those characters', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: { ...project.auth, 'content-type': 'application/json' },
      payload: JSON.stringify(minimal({ id, inputs: { a: 'x\u0000y', b: 'lone \ud800 surrogate', c: 'fine 😀' } })),
    });
    expect(response.statusCode).toBe(201);
    const stored = (await app.inject({ url: `/api/v1/executions/${id}`, headers: project.auth })).json();
    expect(stored.inputs).toEqual({ a: 'x\ufffdy', b: 'lone \ufffd surrogate', c: 'fine 😀' });
  });

  it('refuses a body over the size limit with a 413 naming the limit', async () => {
    const project = await createTestProject(handle);
    const response = await post(project, minimal({ inputs: { text: 'x'.repeat(300 * 1024) } }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain('PROMPTLOG_MAX_BODY_BYTES');
  });

  it('refuses a record over the per-record limit with a 413 naming the limit', async () => {
    const project = await createTestProject(handle);
    const response = await post(project, minimal({ inputs: { text: 'x'.repeat(100 * 1024) } }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain('PROMPTLOG_MAX_RECORD_BYTES');
  });
});

describe('authentication', () => {
  it('answers 401 without a key, with an unknown key and with a revoked key', async () => {
    const project = await createTestProject(handle);
    const none = await app.inject({ method: 'POST', url: '/api/v1/executions', payload: minimal() });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: { authorization: 'Bearer pl_nope' },
      payload: minimal(),
    });
    await handle.query('update api_keys set revoked_at = now() where project_id = $1', [project.projectId]);
    const revoked = await post(project, minimal());
    for (const response of [none, unknown, revoked]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('never shows one project an execution of another', async () => {
    const owner = await createTestProject(handle);
    const stranger = await createTestProject(handle);
    const id = (await post(owner, minimal())).json().id;
    const read = await app.inject({ url: `/api/v1/executions/${id}`, headers: stranger.auth });
    expect(read.statusCode).toBe(404);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: stranger.auth,
      payload: { status: 'success' },
    });
    expect(patch.statusCode).toBe(404);
  });

  it('lets a logged-in member read an execution with the session cookie', async () => {
    const project = await createTestProject(handle);
    const id = (await post(project, minimal())).json().id;
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: project.email, password: project.password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'promptlog_session');
    expect(cookie?.httpOnly).toBe(true);
    const read = await app.inject({
      url: `/api/v1/executions/${id}`,
      cookies: { promptlog_session: cookie?.value ?? '' },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(id);
  });
});

describe('POST /api/v1/executions/batch', () => {
  it('stores the valid items, rejects the bad ones and reports each in request order', async () => {
    const project = await createTestProject(handle);
    const existing = uuidv7();
    await post(project, minimal({ id: existing }));
    const fresh = uuidv7();
    const repeated = uuidv7();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: {
        executions: [
          minimal({ id: fresh }),
          minimal({ id: existing }),
          { ...minimal(), status: 'exploded' },
          minimal({ id: repeated }),
          minimal({ id: repeated }),
          minimal({ inputs: { text: 'x'.repeat(70 * 1024) } }),
          minimal(),
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    const { results } = response.json();
    expect(results.map((r: { status: string }) => r.status)).toEqual([
      'created',
      'duplicate',
      'rejected',
      'created',
      'duplicate',
      'rejected',
      'created',
    ]);
    expect(results[0].id).toBe(fresh);
    expect(results[2].error.issues).toEqual([expect.objectContaining({ path: 'executions.2.status' })]);
    expect(results[5].error.code).toBe('payload_too_large');
    expect(await storedCount(project.projectId, fresh)).toBe(2);
    expect(await storedCount(project.projectId, repeated)).toBe(2);
    const counted = await handle.query<{ n: number }>('select count(*) as n from executions where project_id = $1', [
      project.projectId,
    ]);
    expect(counted[0]?.n).toBe(4);
  });

  it('answers a malformed envelope with a 400', async () => {
    const project = await createTestProject(handle);
    for (const payload of [{}, { executions: 'nope' }, { executions: [] }]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/executions/batch',
        headers: project.auth,
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.issues[0].path).toBe('executions');
    }
  });

  it('refuses a batch over the item limit with a 413 naming the limit', async () => {
    const project = await createTestProject(handle);
    const executions = Array.from({ length: 51 }, () => minimal());
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: { executions },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain('PROMPTLOG_MAX_BATCH_SIZE');
  });

  it('registers each prompt the first time it is seen', async () => {
    const project = await createTestProject(handle);
    await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: { executions: [minimal({ promptId: 'a' }), minimal({ promptId: 'b' }), minimal({ promptId: 'a' })] },
    });
    const rows = await handle.query<{ id: string }>('select id from prompts where project_id = $1 order by id', [
      project.projectId,
    ]);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
  });
});

describe('PATCH /api/v1/executions/:id', () => {
  it('completes a pending execution with its output, usage, cost and latency', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    await post(project, minimal({ id, status: 'pending', startedAt: '2026-11-01T10:00:00Z', inputs: { q: 'hi' } }));
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: project.auth,
      payload: {
        status: 'success',
        output: 'Hello!',
        endedAt: '2026-11-01T10:00:03Z',
        usage: { inputTokens: 2000000, outputTokens: 1000000 },
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ status: 'success', output: 'Hello!', latencyMs: 3000, inputs: { q: 'hi' } });
    // 2M input × $0.15/M + 1M output × $0.60/M = 0.30 + 0.60
    expect(body.costUsd).toBe('0.9');
    expect(body.costOrigin).toBe('catalog');
  });

  it('records the error of a failed completion and refuses a second completion with 409', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    await post(project, minimal({ id, status: 'pending' }));
    const failed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: project.auth,
      payload: { status: 'error', error: { type: 'rate_limit', message: 'Slow down', code: '429' } },
    });
    expect(failed.statusCode).toBe(200);
    expect(failed.json().error).toEqual({ type: 'rate_limit', message: 'Slow down', code: '429' });
    const again = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: project.auth,
      payload: { status: 'success' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('answers 404 for an unknown id and 400 for an unknown field', async () => {
    const project = await createTestProject(handle);
    const missing = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${uuidv7()}`,
      headers: project.auth,
      payload: { status: 'success' },
    });
    expect(missing.statusCode).toBe(404);
    const unknownField = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${uuidv7()}`,
      headers: project.auth,
      payload: { status: 'success', model: 'changed' },
    });
    expect(unknownField.statusCode).toBe(400);
  });
});
