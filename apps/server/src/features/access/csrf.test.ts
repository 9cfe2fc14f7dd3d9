import { channel } from 'node:diagnostics_channel';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance, HTTPMethods, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestApp, createTestProject, logIn, openTestDatabase, type TestSession } from '../../test/harness';

/**
 * Walks every state-changing route the app registers, found as Fastify adds them rather than from a list kept
 * by hand, so a route added without the CSRF check fails here.
 */

interface RegisteredRoute {
  method: HTTPMethods;
  url: string;
}

/** Fastify publishes each new instance on this channel, before any plugin or route is registered. */
const fastifyInitialization = channel('fastify.initialization');

/** diagnostics_channel messages are untyped; Fastify's carries the instance as `fastify`. */
function publishedInstance(message: unknown): FastifyInstance {
  return (message as { fastify: FastifyInstance }).fastify;
}

async function createAppListingRoutes(handle: DatabaseHandle) {
  const routes: RegisteredRoute[] = [];
  const listRoutes = (message: unknown) => {
    publishedInstance(message).addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
    });
  };
  fastifyInitialization.subscribe(listRoutes);
  try {
    return { app: await createTestApp(handle), routes };
  } finally {
    fastifyInitialization.unsubscribe(listRoutes);
  }
}

const STATE_CHANGING = new Set<HTTPMethods>(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Used before any session exists, so there is no token to ask for and they do not read the cookie. A cross-site
 * page cannot use them either (the last test): they take JSON only, which no form can send, and fetch cannot
 * send it cross-origin without a CORS preflight this server never answers.
 */
const PRE_SESSION = ['POST /api/auth/setup', 'POST /api/auth/login'];

/** Authenticated by API keys only: a cookie, even with its token, is not looked at, so there is nothing to forge. */
const API_KEY_ONLY = [
  'POST /api/v1/executions',
  'POST /api/v1/executions/batch',
  'PATCH /api/v1/executions/:id',
  'POST /api/otel/v1/traces',
];

let handle: DatabaseHandle;
let app: FastifyInstance;
let stateChanging: RegisteredRoute[];
let session: TestSession;
/** The token of the same user's earlier session, which has ended. */
let staleToken: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  const listed = await createAppListingRoutes(handle);
  app = listed.app;
  stateChanging = listed.routes.filter((route) => STATE_CHANGING.has(route.method));
  const project = await createTestProject(handle);
  const earlier = await logIn(app, project.email, project.password);
  staleToken = earlier.headers['x-csrf-token'];
  const out = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    cookies: earlier.cookies,
    headers: earlier.headers,
  });
  expect(out.statusCode).toBe(204);
  session = await logIn(app, project.email, project.password);
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const PARAM_VALUES: Record<string, () => string> = { token: () => `inv_${uuidv7()}`, promptId: () => 'some-prompt' };

const label = ({ method, url }: RegisteredRoute) => `${method} ${url}`;

function requestTo({ method, url }: RegisteredRoute): InjectOptions {
  const path = url.replace(/:(\w+)/g, (_, name: string) => (PARAM_VALUES[name] ?? uuidv7)());
  return { method, url: path, ...(method === 'DELETE' ? {} : { payload: {} }) };
}

describe('CSRF protection of every state-changing route', () => {
  it('finds the routes to walk, the pre-session ones among them', () => {
    const labels = stateChanging.map(label);
    expect(labels.length).toBeGreaterThan(20);
    expect(labels).toEqual(
      expect.arrayContaining([
        'POST /api/v1/projects',
        'PATCH /api/v1/projects/:projectId',
        'DELETE /api/v1/projects/:projectId',
      ]),
    );
    expect(labels.filter((route) => PRE_SESSION.includes(route))).toEqual(PRE_SESSION);
    expect(labels.filter((route) => API_KEY_ONLY.includes(route)).sort()).toEqual([...API_KEY_ONLY].sort());
  });

  it('refuses a session cookie without its token or with a stale one; key-only routes ignore cookies', async () => {
    const problems: string[] = [];
    for (const route of stateChanging.filter((r) => !PRE_SESSION.includes(label(r)))) {
      const keyOnly = API_KEY_ONLY.includes(label(route));
      for (const [attempt, headers] of [
        ['no token', {}],
        ['a stale token', { 'x-csrf-token': staleToken }],
      ] as const) {
        const response = await app.inject({ ...requestTo(route), cookies: session.cookies, headers });
        const expected = keyOnly ? 401 : 403;
        if (response.statusCode !== expected || (!keyOnly && response.json().error.code !== 'csrf_failed')) {
          problems.push(
            `${label(route)} with ${attempt}: ${response.statusCode} (expected ${expected}) ${response.body}`,
          );
        }
      }
      if (keyOnly) {
        const withToken = await app.inject({ ...requestTo(route), cookies: session.cookies, headers: session.headers });
        if (withToken.statusCode !== 401) problems.push(`${label(route)} took the cookie: ${withToken.statusCode}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps cross-site pages off the pre-session routes: JSON bodies only, no CORS preflight granted', async () => {
    const preSession = stateChanging.filter((route) =>
      [...PRE_SESSION, 'POST /api/auth/invites/:token/accept'].includes(label(route)),
    );
    expect(preSession).toHaveLength(3);
    const formBodies = {
      'application/x-www-form-urlencoded': 'email=attacker%40example.test&password=attacker+password',
      'multipart/form-data; boundary=x':
        '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c\r\n--x--\r\n',
      'text/plain': '{"email":"attacker@example.test","password":"attacker password"}',
    };
    for (const route of preSession) {
      const { method, url } = requestTo(route);
      for (const [contentType, payload] of Object.entries(formBodies)) {
        const response = await app.inject({ method, url, headers: { 'content-type': contentType }, payload });
        expect(response.statusCode, `${label(route)} as ${contentType}`).toBe(415);
      }
      const preflight = await app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://attacker.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.headers['access-control-allow-origin'], label(route)).toBeUndefined();
    }
  });
});
