import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createTestApp, openIsolatedTestDatabase } from '../../test/harness';
import { applyInitialSetup } from '../bootstrap/service';

// Setup is only possible while no user exists, so each test gets a database of its own.
let handle: DatabaseHandle;
let app: FastifyInstance;

beforeEach(async () => {
  handle = await openIsolatedTestDatabase();
  app = await createTestApp(handle);
});
afterEach(async () => {
  await app.close();
  await handle.close();
});

const admin = { email: 'Admin@Example.com', password: 'a long enough password', projectName: 'Support bot' };

function sessionCookie(response: { cookies: { name: string; value: string }[] }) {
  return { promptlog_session: response.cookies.find((c) => c.name === 'promptlog_session')?.value ?? '' };
}

describe('first run and login', () => {
  it('creates the admin, a project and an API key once, then refuses a second setup', async () => {
    expect((await app.inject({ url: '/api/auth/status' })).json()).toEqual({ needsSetup: true });
    const setup = await app.inject({ method: 'POST', url: '/api/auth/setup', payload: admin });
    expect(setup.statusCode).toBe(201);
    const body = setup.json();
    expect(body.user.email).toBe('admin@example.com');
    expect(body.projects).toEqual([expect.objectContaining({ name: 'Support bot', role: 'admin' })]);
    expect(body.apiKey).toMatch(/^pl_/);

    const stored = await handle.query<{ key_hash: string }>('select key_hash from api_keys');
    expect(stored[0]?.key_hash).not.toContain(body.apiKey);
    const passwords = await handle.query<{ password_hash: string }>('select password_hash from users');
    expect(passwords[0]?.password_hash).toMatch(/^scrypt\$/);

    const ingest = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: { authorization: `Bearer ${body.apiKey}` },
      payload: { promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' },
    });
    expect(ingest.statusCode).toBe(201);

    expect((await app.inject({ url: '/api/auth/status' })).json()).toEqual({ needsSetup: false });
    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { ...admin, email: 'other@example.com' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('logs in, shows who is logged in, and logs out', async () => {
    await app.inject({ method: 'POST', url: '/api/auth/setup', payload: admin });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: admin.email, password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe('Wrong email or password');

    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: admin.password },
    });
    expect(login.statusCode).toBe(200);
    const cookies = sessionCookie(login);
    const me = await app.inject({ url: '/api/auth/me', cookies });
    expect(me.json().user.email).toBe('admin@example.com');
    expect(me.json().csrfToken).toBe(login.json().csrfToken);

    // The cookie alone cannot end the session: a cross-site form could send it too.
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', cookies })).statusCode).toBe(403);
    const headers = { 'x-csrf-token': me.json().csrfToken };
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', cookies })).statusCode).toBe(401);
  });

  it('asks for a longer password and a valid email, naming the fields', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { email: 'not-an-email', password: 'short', projectName: 'x' },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('applies the headless first-start settings once and changes nothing later', async () => {
    const config = loadConfig({
      PROMPTLOG_INIT_ADMIN_EMAIL: 'ops@example.com',
      PROMPTLOG_INIT_ADMIN_PASSWORD: 'headless password',
      PROMPTLOG_INIT_PROJECT_NAME: 'Headless',
      PROMPTLOG_INIT_API_KEY: 'pl_headless_key_0123456789',
    });
    const setup = config.initialSetup;
    if (!setup) throw new Error('initial setup should be configured');
    expect(await applyInitialSetup(handle.db, setup)).toBe('created');
    expect(await applyInitialSetup(handle.db, { ...setup, projectName: 'Changed' })).toBe('already-set-up');
    const names = await handle.query<{ name: string }>('select name from projects');
    expect(names.map((p) => p.name)).toEqual(['Headless']);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ops@example.com', password: 'headless password' },
    });
    expect(login.statusCode).toBe(200);
    const ingest = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: { authorization: 'Bearer pl_headless_key_0123456789' },
      payload: { promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' },
    });
    expect(ingest.statusCode).toBe(201);
  });
});
