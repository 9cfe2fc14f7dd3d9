import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { sha256 } from '../../lib/secrets';
import { createTestProject, logIn, type TestSession, testConfig, useTestApp } from '../../test/harness';
import { runRetention } from '../retention/job';
import { distinctClientAddress } from './test-addresses';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

describe('CSRF protection of cookie sessions', () => {
  it('refuses a change made with the cookie alone, and accepts it with the token', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    const create = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        cookies: session.cookies,
        headers,
        payload: { label: 'ci', scopes: ['read'] },
      });
    const refused = await create({});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('csrf_failed');
    expect((await create({ 'x-csrf-token': 'a'.repeat(64) })).statusCode).toBe(403);
    expect((await create(session.headers)).statusCode).toBe(201);
  });

  it('does not need the token for reads, nor for API keys, which are not sent by browsers on their own', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    expect((await app.inject({ url: '/api/v1/api-keys', cookies: session.cookies })).statusCode).toBe(200);
    const ingest = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: { promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' },
    });
    expect(ingest.statusCode).toBe(201);
  });

  it('refuses form-encoded and plain-text bodies, which a cross-site form could send without a preflight', async () => {
    const project = await createTestProject(handle);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': contentType },
        payload: JSON.stringify({ email: project.email, password: project.password }),
      });
      expect(response.statusCode).toBe(415);
    }
  });
});

describe('login rate limiting', () => {
  it('refuses an account after repeated failures with a message saying when to retry, even with the right password', async () => {
    const project = await createTestProject(handle);
    const remoteAddress = distinctClientAddress();
    const attempt = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { email: project.email, password },
      });
    for (let i = 0; i < 10; i += 1) expect((await attempt('wrong password')).statusCode).toBe(401);
    const refused = await attempt(project.password);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_attempts');
    expect(refused.json().error.message).toMatch(/try again in 15 minutes/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
  });
});

describe('sessions and passwords', () => {
  it('logs out everywhere: every session of the user ends, other users keep theirs', async () => {
    const project = await createTestProject(handle);
    const other = await createTestProject(handle);
    const laptop = await logIn(app, project.email, project.password);
    const phone = await logIn(app, project.email, project.password);
    const someoneElse = await logIn(app, other.email, other.password);

    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout-everywhere',
      cookies: laptop.cookies,
      headers: laptop.headers,
    });
    expect(out.statusCode).toBe(204);
    for (const session of [laptop, phone]) {
      expect((await app.inject({ url: '/api/auth/me', cookies: session.cookies })).statusCode).toBe(401);
    }
    expect((await app.inject({ url: '/api/auth/me', cookies: someoneElse.cookies })).statusCode).toBe(200);
  });

  it('changes the password after checking the current one, ending the other sessions but not this one', async () => {
    const project = await createTestProject(handle);
    const here = await logIn(app, project.email, project.password);
    const elsewhere = await logIn(app, project.email, project.password);
    const remoteAddress = distinctClientAddress();
    const change = (currentPassword: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/password',
        remoteAddress,
        cookies: here.cookies,
        headers: here.headers,
        payload: { currentPassword, newPassword: 'a brand new passphrase' },
      });

    const wrong = await change('not my password');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues).toEqual([expect.objectContaining({ path: 'currentPassword' })]);

    expect((await change(project.password)).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', cookies: here.cookies })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/me', cookies: elsewhere.cookies })).statusCode).toBe(401);
    const oldLogin = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress,
      payload: { email: project.email, password: project.password },
    });
    expect(oldLogin.statusCode).toBe(401);
    await logIn(app, project.email, 'a brand new passphrase');
  });

  it('counts wrong current passwords as failed logins, so a stolen session cannot guess the password', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    const remoteAddress = distinctClientAddress();
    const change = (currentPassword: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/password',
        remoteAddress,
        cookies: session.cookies,
        headers: session.headers,
        payload: { currentPassword, newPassword: 'a brand new passphrase' },
      });
    for (let i = 0; i < 10; i += 1) expect((await change(`guess ${i}`)).statusCode).toBe(400);
    expect((await change(project.password)).statusCode).toBe(429);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: distinctClientAddress(),
      payload: { email: project.email, password: project.password },
    });
    expect(login.statusCode).toBe(429);
  });

  it('marks the cookie Secure when the request came over TLS through a trusted proxy', async () => {
    const proxied = await buildApp(testConfig({ PROMPTLOG_TRUST_PROXY: 'true' }), handle);
    const project = await createTestProject(handle);
    const login = await proxied.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: project.email, password: project.password },
    });
    expect(login.cookies.find((c) => c.name === 'promptlog_session')).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    });
    await proxied.close();
  });
});

describe('session lifetime', () => {
  const me = (session: TestSession) => app.inject({ url: '/api/auth/me', cookies: session.cookies });
  const createKey = (session: TestSession) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      cookies: session.cookies,
      headers: session.headers,
      payload: { label: 'ci', scopes: ['read'] },
    });
  const sessionId = (session: TestSession) => sha256(session.cookies.promptlog_session);

  it('refuses a session PROMPTLOG_SESSION_DAYS after the login, which is also how long the cookie lasts', async () => {
    const days = app.config.sessionDays;
    const project = await createTestProject(handle);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: project.email, password: project.password },
    });
    expect(login.cookies.find((c) => c.name === 'promptlog_session')?.maxAge).toBe(days * 86_400);
    const session = await logIn(app, project.email, project.password);
    const [lifetime] = await handle.query<{ days: number }>(
      'select extract(epoch from expires_at - created_at)::float8 / 86400 as days from sessions where id = $1',
      [sessionId(session)],
    );
    expect(lifetime?.days).toBeCloseTo(days, 3);

    // Moves the session back in time instead of waiting: a minute before its end, then a minute after.
    const age = (seconds: number) =>
      handle.query(
        `update sessions set created_at = created_at - make_interval(secs => $2),
           expires_at = expires_at - make_interval(secs => $2) where id = $1`,
        [sessionId(session), seconds],
      );
    await age(days * 86_400 - 60);
    expect((await me(session)).statusCode).toBe(200);
    await age(120);
    expect((await me(session)).statusCode).toBe(401);
    expect((await createKey(session)).statusCode).toBe(401);
  });

  it('logs out: the next request with the cookie is refused, even with its token; other sessions stay', async () => {
    const project = await createTestProject(handle);
    const here = await logIn(app, project.email, project.password);
    const elsewhere = await logIn(app, project.email, project.password);

    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: here.cookies,
      headers: here.headers,
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'promptlog_session')?.value).toBe('');
    expect((await me(here)).statusCode).toBe(401);
    expect((await createKey(here)).statusCode).toBe(401);
    expect(await handle.query('select 1 from sessions where id = $1', [sessionId(here)])).toEqual([]);
    expect((await me(elsewhere)).statusCode).toBe(200);
  });

  it('the retention job deletes sessions once they have expired, and no others', async () => {
    const project = await createTestProject(handle);
    const expired = await logIn(app, project.email, project.password);
    const current = await logIn(app, project.email, project.password);
    await handle.query("update sessions set expires_at = now() - interval '1 second' where id = $1", [
      sessionId(expired),
    ]);

    const run = await runRetention(handle, { now: new Date() });

    expect(run?.expiredSessions).toBeGreaterThanOrEqual(1);
    const left = await handle.query<{ id: string }>('select id from sessions where id = any($1::text[])', [
      [sessionId(expired), sessionId(current)],
    ]);
    expect(left).toEqual([{ id: sessionId(current) }]);
    expect((await me(current)).statusCode).toBe(200);
  });
});
