import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, logIn, type TestProject, type TestSession, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;
let admin: TestSession;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  project = await createTestProject(handle);
  admin = await logIn(app, project.email, project.password);
});

async function createKey(label: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    cookies: admin.cookies,
    headers: admin.headers,
    payload: { label, scopes: ['ingest', 'read'] },
  });
  expect(response.statusCode).toBe(201);
  const { key, apiKey } = response.json() as { key: string; apiKey: { id: string } };
  return { id: apiKey.id, headers: { authorization: `Bearer ${key}` } };
}

function revoke(id: string) {
  return app.inject({
    method: 'DELETE',
    url: `/api/v1/api-keys/${id}`,
    cookies: admin.cookies,
    headers: admin.headers,
  });
}

const execution = (promptId: string) => ({ promptId, status: 'success', source: { type: 'api' }, model: 'gpt-4o' });

describe('revoking a key while it is in use', () => {
  it('refuses every request started after the revocation was answered, amid concurrent ingestion', async () => {
    const key = await createKey('busy');
    const promptId = `revocation-${uuidv7()}`;
    const LOOPS = 8;
    const REQUESTS_AFTER_REVOCATION = 10;
    const sent: { startedAt: number; status: number }[] = [];
    let revocationAnsweredAt = Number.POSITIVE_INFINITY;

    const ingestUntilWellPastRevocation = async () => {
      let startedAfter = 0;
      while (startedAfter < REQUESTS_AFTER_REVOCATION) {
        const startedAt = performance.now();
        if (startedAt > revocationAnsweredAt) startedAfter += 1;
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/executions',
          headers: key.headers,
          payload: execution(promptId),
        });
        sent.push({ startedAt, status: response.statusCode });
      }
    };
    const streams = Array.from({ length: LOOPS }, ingestUntilWellPastRevocation);
    while (sent.length < 5 * LOOPS) await sleep(1);

    const revocationSentAt = performance.now();
    const revocation = await revoke(key.id);
    revocationAnsweredAt = performance.now();
    expect(revocation.statusCode).toBe(204);
    await Promise.all(streams);

    const before = sent.filter((request) => request.startedAt < revocationSentAt);
    const after = sent.filter((request) => request.startedAt > revocationAnsweredAt);
    expect(before.length).toBeGreaterThanOrEqual(5 * LOOPS);
    expect(before.every((request) => request.status === 201)).toBe(true);
    expect(after).toHaveLength(LOOPS * REQUESTS_AFTER_REVOCATION);
    expect(after.filter((request) => request.status !== 401)).toEqual([]);

    // Nothing was stored but what was acknowledged, all of it asked for before the revocation was answered.
    const accepted = sent.filter((request) => request.status === 201);
    expect(accepted.every((request) => request.startedAt < revocationAnsweredAt)).toBe(true);
    const [stored] = await handle.query<{ count: number }>(
      'select count(*)::int as count from executions where project_id = $1 and prompt_id = $2',
      [project.projectId, promptId],
    );
    expect(stored?.count).toBe(accepted.length);
  });

  it('refuses a revoked key on every kind of route: ingestion, batches, OTLP and reads', async () => {
    const key = await createKey('reader');
    const promptId = `revoked-reads-${uuidv7()}`;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: key.headers,
      payload: execution(promptId),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const reads = [
      '/api/v1/executions',
      `/api/v1/executions/${id}`,
      '/api/v1/executions/export',
      '/api/v1/prompts',
      '/api/v1/analytics/summary',
      '/api/v1/prices',
    ];
    for (const url of reads) expect((await app.inject({ url, headers: key.headers })).statusCode, url).toBe(200);

    expect((await revoke(key.id)).statusCode).toBe(204);
    const refused = [
      ...reads.map((url) => app.inject({ url, headers: key.headers })),
      app.inject({ method: 'POST', url: '/api/v1/executions', headers: key.headers, payload: execution(promptId) }),
      app.inject({
        method: 'POST',
        url: '/api/v1/executions/batch',
        headers: key.headers,
        payload: { executions: [execution(promptId)] },
      }),
      app.inject({
        method: 'PATCH',
        url: `/api/v1/executions/${id}`,
        headers: key.headers,
        payload: { status: 'error' },
      }),
      app.inject({ method: 'POST', url: '/api/otel/v1/traces', headers: key.headers, payload: { resourceSpans: [] } }),
    ];
    for (const response of await Promise.all(refused)) {
      expect(response.statusCode, response.body).toBe(401);
    }
    const bodies = await Promise.all(reads.map((url) => app.inject({ url, headers: key.headers })));
    for (const body of bodies) expect(body.json().error.message).toMatch(/unknown, expired or revoked/);
  });
});
