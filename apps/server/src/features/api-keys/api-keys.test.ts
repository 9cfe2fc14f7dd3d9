import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
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

function asAdmin(options: InjectOptions) {
  return app.inject({ ...options, cookies: admin.cookies, headers: { ...admin.headers, ...options.headers } });
}

const execution = { promptId: 'keys', status: 'success', source: { type: 'api' }, model: 'gpt-4o' };

async function createKey(body: Record<string, unknown>) {
  const response = await asAdmin({ method: 'POST', url: '/api/v1/api-keys', payload: body });
  expect(response.statusCode).toBe(201);
  return response.json() as { key: string; apiKey: { id: string; prefix: string; scopes: string[] } };
}

describe('API keys', () => {
  it('shows a new key once, lists it without the key, and records who created it', async () => {
    const { key, apiKey } = await createKey({ label: 'CI pipeline', scopes: ['ingest', 'read', 'ingest'] });
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.scopes).toEqual(['ingest', 'read']);

    const list = await asAdmin({ url: '/api/v1/api-keys' });
    expect(list.body).not.toContain(key);
    expect(list.json().items[0]).toMatchObject({
      id: apiKey.id,
      label: 'CI pipeline',
      createdBy: project.email,
      lastUsedAt: null,
      revokedAt: null,
    });
    const stored = await handle.query<{ key_hash: string }>('select key_hash from api_keys where id = $1', [apiKey.id]);
    expect(stored[0]?.key_hash).not.toContain(key);
    expect(stored[0]?.key_hash).toHaveLength(64);
  });

  it('lets an ingest-only key log executions but read nothing', async () => {
    const { key } = await createKey({ label: 'ingest only', scopes: ['ingest'] });
    const headers = { authorization: `Bearer ${key}` };
    const created = await app.inject({ method: 'POST', url: '/api/v1/executions', headers, payload: execution });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    for (const url of [
      '/api/v1/executions',
      `/api/v1/executions/${id}`,
      '/api/v1/executions/export',
      '/api/v1/prompts',
      '/api/v1/analytics/summary',
      '/api/v1/prices',
    ]) {
      const response = await app.inject({ url, headers });
      expect(response.statusCode, url).toBe(403);
      expect(response.json().error.message).toMatch(/lacks the read scope/);
    }
    // Completing a pending execution acknowledges it without echoing the record back.
    const pending = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers,
      payload: { ...execution, status: 'pending', inputs: { secret: 'kept away from ingest keys' } },
    });
    const completed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${pending.json().id}`,
      headers,
      payload: { status: 'success', output: 'done' },
    });
    expect(completed.statusCode).toBe(200);
    expect(completed.json()).toEqual({ id: pending.json().id });
  });

  it('lets a read-only key read but not log', async () => {
    const { key } = await createKey({ label: 'dashboard', scopes: ['read'] });
    const headers = { authorization: `Bearer ${key}` };
    expect((await app.inject({ url: '/api/v1/executions', headers })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/executions', headers, payload: execution });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/lacks the ingest scope/);
  });

  it('refuses a revoked key on the very next request and an expired key at once', async () => {
    const { key, apiKey } = await createKey({ label: 'to revoke', scopes: ['ingest'] });
    const headers = { authorization: `Bearer ${key}` };
    const ingest = () => app.inject({ method: 'POST', url: '/api/v1/executions', headers, payload: execution });
    expect((await ingest()).statusCode).toBe(201);
    expect((await asAdmin({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}` })).statusCode).toBe(204);
    const refused = await ingest();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toMatch(/revoked/);
    expect((await asAdmin({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}` })).statusCode).toBe(404);

    const listed = (await asAdmin({ url: '/api/v1/api-keys' })).json().items;
    const revoked = listed.find((k: { id: string }) => k.id === apiKey.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.lastUsedAt).not.toBeNull();

    const expiring = await createKey({
      label: 'short-lived',
      scopes: ['ingest'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await handle.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [
      expiring.apiKey.id,
    ]);
    const expired = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: { authorization: `Bearer ${expiring.key}` },
      payload: execution,
    });
    expect(expired.statusCode).toBe(401);

    const audit = await asAdmin({ url: '/api/v1/audit?action=api_key.revoked' });
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        target: 'to revoke',
        actor: { kind: 'user', id: admin.userId, label: project.email },
      }),
    ]);
  });

  it('names the field of a bad key request', async () => {
    const noScopes = await asAdmin({ method: 'POST', url: '/api/v1/api-keys', payload: { label: 'x', scopes: [] } });
    expect(noScopes.statusCode).toBe(400);
    expect(noScopes.json().error.issues).toEqual([expect.objectContaining({ path: 'scopes' })]);
    const past = await asAdmin({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { label: 'x', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.json().error.issues).toEqual([
      expect.objectContaining({ path: 'expiresAt', message: 'must be in the future' }),
    ]);
  });
});
