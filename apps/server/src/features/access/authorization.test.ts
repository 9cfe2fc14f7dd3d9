import { type DatabaseHandle, repricingJobs, traceSpans } from '@promptlog/db';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  addTestMember,
  createTestApp,
  createTestProject,
  logIn,
  openTestDatabase,
  type TestProject,
  type TestSession,
} from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';
import { createApiKey } from '../api-keys/service';
import { distinctClientAddress } from '../auth/test-addresses';
import { createInvite } from '../members/invites';
import { otlpJson } from '../otlp/test-spans';

/**
 * Walks every route of the API with every kind of caller and asserts the exact status, and that nothing of the
 * project's logged data reaches a caller who may not read it.
 */

const CALLERS = [
  'anonymous',
  'admin',
  'editor',
  'viewer',
  'grantedViewer',
  'outsider',
  'fullKey',
  'ingestKey',
  'readKey',
  'revokedKey',
] as const;
type Caller = (typeof CALLERS)[number];
type Expected = Record<Caller, number>;

// Logged inputs carry this marker; it may appear only in answers to callers allowed to read logs.
const SECRET_INPUT = `customer-said-${uuidv7()}`;

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;
let other: TestProject;
let sessions: Partial<Record<Caller, TestSession>>;
let keys: Partial<Record<Caller, string>>;
let ids: { alpha: string; beta: string; editorId: string; viewerId: string; inviteToken: string };
// One trace runs both prompts, the other only alpha (the one the granted viewer may read).
const traces = { bothPrompts: `trace-both-${uuidv7()}`, alphaOnly: `trace-alpha-${uuidv7()}` };
// Conversations likewise; the beta call's user is the marker, so totals naming it must not reach the granted viewer.
const conversations = { bothPrompts: `conv-both-${uuidv7()}`, alphaOnly: `conv-alpha-${uuidv7()}` };

beforeAll(async () => {
  handle = await openTestDatabase();
  app = await createTestApp(handle);
  project = await createTestProject(handle);
  other = await createTestProject(handle);

  const editor = await addTestMember(handle, project.projectId, 'editor');
  const viewer = await addTestMember(handle, project.projectId, 'viewer');
  const grantedViewer = await addTestMember(handle, project.projectId, 'viewer');

  ids = { alpha: uuidv7(), beta: uuidv7(), editorId: editor.userId, viewerId: viewer.userId, inviteToken: '' };
  const batch = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: [
        {
          id: ids.alpha,
          promptId: 'alpha',
          status: 'success',
          source: { type: 'api' },
          model: 'gpt-4o',
          inputs: { q: SECRET_INPUT },
        },
        {
          id: ids.beta,
          promptId: 'beta',
          status: 'error',
          source: { type: 'chat' },
          model: 'gpt-4o',
          inputs: { q: SECRET_INPUT },
        },
        ...[
          ['alpha', traces.bothPrompts],
          ['beta', traces.bothPrompts],
          ['alpha', traces.alphaOnly],
        ].map(([promptId, traceId]) => ({
          promptId,
          status: 'success',
          source: { type: 'workflow' },
          model: 'gpt-4o',
          inputs: { q: SECRET_INPUT },
          trace: { traceId, parentId: 'agent' },
        })),
        ...[
          ['alpha', conversations.bothPrompts],
          ['beta', conversations.bothPrompts],
          ['alpha', conversations.alphaOnly],
        ].map(([promptId, conversationId]) => ({
          promptId,
          status: 'success',
          source: { type: 'chat' },
          model: 'gpt-4o',
          conversationId,
          ...(promptId === 'beta' && { user: { id: SECRET_INPUT } }),
        })),
      ],
    },
  });
  expect(batch.statusCode).toBe(200);
  await foldRollupDeltas(handle);
  await handle.db.insert(traceSpans).values(
    Object.values(traces).map((traceId) => ({
      projectId: project.projectId,
      traceId,
      spanId: 'agent',
      name: 'agent',
      kind: 'agent',
      startedAt: new Date().toISOString(),
      status: 'error' as const,
      statusMessage: SECRET_INPUT,
      attributes: { input: SECRET_INPUT },
    })),
  );
  await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: other.auth,
    payload: {
      promptId: 'alpha',
      status: 'success',
      source: { type: 'api' },
      model: 'gpt-4o',
      inputs: { q: SECRET_INPUT },
    },
  });
  await handle.query(`insert into prompt_access (project_id, user_id, prompt_id) values ($1, $2, 'alpha')`, [
    project.projectId,
    grantedViewer.userId,
  ]);
  ids.inviteToken = (
    await createInvite(handle.db, project.projectId, { role: 'viewer', expiresInHours: 1 }, editor.userId)
  ).token;

  sessions = {
    admin: await logIn(app, project.email, project.password),
    editor: await logIn(app, editor.email, editor.password),
    viewer: await logIn(app, viewer.email, viewer.password),
    grantedViewer: await logIn(app, grantedViewer.email, grantedViewer.password),
    outsider: await logIn(app, other.email, other.password),
  };
  const revoked = await createApiKey(handle.db, project.projectId, { label: 'revoked', scopes: ['ingest', 'read'] });
  await handle.query('update api_keys set revoked_at = now() where project_id = $1 and id = $2', [
    project.projectId,
    revoked.id,
  ]);
  keys = {
    fullKey: project.apiKey,
    ingestKey: (await createApiKey(handle.db, project.projectId, { label: 'ingest', scopes: ['ingest'] })).key,
    readKey: (await createApiKey(handle.db, project.projectId, { label: 'read', scopes: ['read'] })).key,
    revokedKey: revoked.key,
  };
});

// A re-pricing that failed, so an admin's retry succeeds; written directly, as no worker runs in tests.
const failedRepricingId = uuidv7();
beforeAll(async () => {
  await handle.db.insert(repricingJobs).values({
    projectId: project.projectId,
    id: failedRepricingId,
    priceId: uuidv7(),
    action: 'created',
    model: 'gpt-4o',
    patterns: [{ model: 'gpt-4o', match: 'exact', effectiveFrom: '1970-01-01T00:00:00Z' }],
    state: 'failed',
    error: 'a test failure',
  });
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

function credentials(caller: Caller): Pick<InjectOptions, 'headers' | 'cookies'> {
  const session = sessions[caller];
  if (session) return { cookies: session.cookies, headers: { ...session.headers } };
  const key = keys[caller];
  return key ? { headers: { authorization: `Bearer ${key}` } } : {};
}

/** The statuses of a route readable by every member and read key. */
const metrics = (ok: number): Expected => ({
  anonymous: 401,
  admin: ok,
  editor: ok,
  viewer: ok,
  grantedViewer: ok,
  outsider: 404,
  fullKey: ok,
  ingestKey: 403,
  readKey: ok,
  revokedKey: 401,
});
/** A prompt's logs: editors, admins, the viewer granted the prompt `granted` says, read keys. */
const logs = (ok: number, granted: number): Expected => ({ ...metrics(ok), viewer: 403, grantedViewer: granted });
/** Admin-only routes that accept sessions only: API keys are not even looked at. */
const adminOnly = (ok: number): Expected => ({
  anonymous: 401,
  admin: ok,
  editor: 403,
  viewer: 403,
  grantedViewer: 403,
  outsider: 404,
  fullKey: 401,
  ingestKey: 401,
  readKey: 401,
  revokedKey: 401,
});
/** Admin-only routes that also accept API keys, to tell them why they are refused. */
const adminOrKey = (ok: number): Expected => ({ ...adminOnly(ok), fullKey: 403, ingestKey: 403, readKey: 403 });
const ingestion = (ok: number): Expected => ({
  anonymous: 401,
  admin: 401,
  editor: 401,
  viewer: 401,
  grantedViewer: 401,
  outsider: 401,
  fullKey: ok,
  ingestKey: ok,
  readKey: 403,
  revokedKey: 401,
});
const sessionOnly = (ok: number): Expected => ({
  anonymous: 401,
  admin: ok,
  editor: ok,
  viewer: ok,
  grantedViewer: ok,
  outsider: ok,
  fullKey: 401,
  ingestKey: 401,
  readKey: 401,
  revokedKey: 401,
});
const everyone = (status: number): Expected =>
  Object.fromEntries(CALLERS.map((caller) => [caller, status])) as Expected;

interface RouteCase {
  route: string;
  request: () => InjectOptions;
  expected: Expected;
  /** Who may see logged data in a successful answer, when not decided by the route alone. */
  readers?: Caller[];
}

const q = () => `projectId=${project.projectId}`;
const execution = () => ({ promptId: 'alpha', status: 'success', source: { type: 'api' }, model: 'gpt-4o' });
const today = () => new Date().toISOString().slice(0, 10);

// Destructive session routes come last, in an order that keeps every earlier row meaningful.
const CASES: RouteCase[] = [
  { route: 'GET /api/health', request: () => ({ url: '/api/health' }), expected: everyone(200) },
  { route: 'GET /api/auth/status', request: () => ({ url: '/api/auth/status' }), expected: everyone(200) },
  {
    route: 'POST /api/auth/setup',
    request: () => ({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { email: 'new@example.test', password: 'long enough password', projectName: 'X' },
    }),
    expected: everyone(409),
  },
  {
    route: 'POST /api/auth/login',
    request: () => ({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: distinctClientAddress(),
      payload: { email: `nobody-${uuidv7()}@example.test`, password: 'wrong' },
    }),
    expected: everyone(401),
  },
  { route: 'GET /api/auth/me', request: () => ({ url: '/api/auth/me' }), expected: sessionOnly(200) },
  {
    route: 'POST /api/auth/password',
    request: () => ({
      method: 'POST',
      url: '/api/auth/password',
      remoteAddress: distinctClientAddress(),
      payload: { currentPassword: 'not the password', newPassword: 'a new long password' },
    }),
    expected: sessionOnly(400),
  },
  {
    route: 'GET /api/auth/invites/:token',
    request: () => ({ url: `/api/auth/invites/${ids.inviteToken}` }),
    expected: everyone(200),
  },
  {
    route: 'POST /api/auth/invites/:token/accept',
    request: () => ({ method: 'POST', url: `/api/auth/invites/inv_unknown-token-${uuidv7()}/accept`, payload: {} }),
    // Logged in: the unknown link is not found; otherwise an account needs email and password first.
    expected: { ...sessionOnly(404), anonymous: 400, fullKey: 400, ingestKey: 400, readKey: 400, revokedKey: 400 },
  },
  {
    route: 'POST /api/v1/executions',
    request: () => ({ method: 'POST', url: '/api/v1/executions', payload: execution() }),
    expected: ingestion(201),
  },
  {
    route: 'POST /api/v1/executions/batch',
    request: () => ({ method: 'POST', url: '/api/v1/executions/batch', payload: { executions: [execution()] } }),
    expected: ingestion(200),
  },
  {
    route: 'POST /api/otel/v1/traces',
    request: () => ({
      method: 'POST',
      url: '/api/otel/v1/traces',
      payload: otlpJson([{ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } }]),
    }),
    expected: ingestion(200),
  },
  {
    route: 'PATCH /api/v1/executions/:id',
    request: () => ({ method: 'PATCH', url: `/api/v1/executions/${uuidv7()}`, payload: { status: 'success' } }),
    expected: ingestion(404),
  },
  {
    route: 'GET /api/v1/executions',
    request: () => ({ url: `/api/v1/executions?${q()}&promptId=alpha` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/executions',
    request: () => ({ url: `/api/v1/executions?${q()}&promptId=beta` }),
    expected: logs(200, 403),
  },
  {
    route: 'GET /api/v1/executions/:id',
    request: () => ({ url: `/api/v1/executions/${ids.alpha}` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/executions/:id',
    request: () => ({ url: `/api/v1/executions/${ids.beta}` }),
    expected: logs(200, 403),
  },
  {
    route: 'GET /api/v1/executions/export',
    request: () => ({ url: `/api/v1/executions/export?${q()}&promptId=alpha` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/executions/export',
    request: () => ({ url: `/api/v1/executions/export?${q()}` }),
    // A granted viewer's export covers only the prompts they were granted.
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/executions/dataset/:format',
    request: () => ({ url: `/api/v1/executions/dataset/jsonl?${q()}&promptId=alpha` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/executions/dataset/:format',
    request: () => ({ url: `/api/v1/executions/dataset/csv?${q()}&promptId=beta` }),
    expected: logs(200, 403),
  },
  {
    route: 'GET /api/v1/executions/:id/review',
    request: () => ({ url: `/api/v1/executions/${ids.alpha}/review` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/executions/:id/review',
    request: () => ({ url: `/api/v1/executions/${ids.beta}/review` }),
    expected: logs(200, 403),
  },
  {
    route: 'PUT /api/v1/executions/:id/review',
    request: () => ({ method: 'PUT', url: `/api/v1/executions/${ids.alpha}/review`, payload: { rating: 'up' } }),
    // Editors and admins review; a viewer, granted the prompt or not, reads reviews only; keys have no reviewer.
    expected: { ...adminOnly(200), editor: 200 },
  },
  {
    route: 'GET /api/v1/review-labels',
    request: () => ({ url: `/api/v1/review-labels?${q()}` }),
    expected: logs(200, 200),
  },
  {
    route: 'POST /api/v1/review-labels',
    request: () => ({
      method: 'POST',
      url: `/api/v1/review-labels?${q()}`,
      payload: { name: `L ${uuidv7()}`, color: 'cyan' },
    }),
    expected: { ...adminOnly(201), editor: 201 },
  },
  {
    route: 'PATCH /api/v1/review-labels/:id',
    request: () => ({ method: 'PATCH', url: `/api/v1/review-labels/${uuidv7()}?${q()}`, payload: { color: 'red' } }),
    expected: { ...adminOnly(404), editor: 404 },
  },
  {
    route: 'DELETE /api/v1/review-labels/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/review-labels/${uuidv7()}?${q()}` }),
    expected: { ...adminOnly(404), editor: 404 },
  },
  {
    route: 'GET /api/v1/traces/:traceId',
    request: () => ({ url: `/api/v1/traces/${traces.bothPrompts}?${q()}` }),
    expected: metrics(200),
    readers: ['admin', 'editor', 'fullKey', 'readKey'],
  },
  {
    route: 'GET /api/v1/traces/:traceId',
    request: () => ({ url: `/api/v1/traces/${traces.alphaOnly}?${q()}` }),
    expected: metrics(200),
    readers: ['admin', 'editor', 'grantedViewer', 'fullKey', 'readKey'],
  },
  {
    route: 'GET /api/v1/conversations',
    request: () => ({ url: `/api/v1/conversations?${q()}` }),
    // A granted viewer lists only the conversations that ran nothing but prompts granted to them.
    expected: logs(200, 200),
    readers: ['admin', 'editor', 'fullKey', 'readKey'],
  },
  {
    route: 'GET /api/v1/conversations/:conversationId',
    request: () => ({ url: `/api/v1/conversations/${conversations.bothPrompts}?${q()}` }),
    // A granted viewer reads the thread's alpha calls, without the totals that count beta's.
    expected: logs(200, 200),
    readers: ['admin', 'editor', 'fullKey', 'readKey'],
  },
  {
    route: 'GET /api/v1/conversations/:conversationId',
    request: () => ({ url: `/api/v1/conversations/${conversations.alphaOnly}?${q()}` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/conversations/:conversationId',
    request: () => ({ url: `/api/v1/conversations/unknown-${uuidv7()}?${q()}` }),
    expected: logs(404, 404),
  },
  {
    route: 'GET /api/v1/executions/events',
    request: () => ({ url: `/api/v1/executions/events?${q()}`, payloadAsStream: true }),
    expected: metrics(200),
  },
  { route: 'GET /api/v1/prompts', request: () => ({ url: `/api/v1/prompts?${q()}` }), expected: metrics(200) },
  {
    route: 'GET /api/v1/prompts/:promptId',
    request: () => ({ url: `/api/v1/prompts/beta?${q()}` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/prompts/:promptId/system-prompts',
    request: () => ({ url: `/api/v1/prompts/alpha/system-prompts?${q()}` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/prompts/:promptId/system-prompts',
    request: () => ({ url: `/api/v1/prompts/beta/system-prompts?${q()}` }),
    expected: logs(200, 403),
  },
  { route: 'GET /api/v1/prices', request: () => ({ url: `/api/v1/prices?${q()}` }), expected: metrics(200) },
  {
    route: 'POST /api/v1/prices',
    request: () => ({
      method: 'POST',
      url: `/api/v1/prices?${q()}`,
      payload: { model: `house-model-${uuidv7()}`, inputPerMillion: '1', outputPerMillion: '2' },
    }),
    expected: adminOrKey(201),
  },
  {
    route: 'DELETE /api/v1/prices/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/prices/${uuidv7()}?${q()}` }),
    expected: adminOrKey(404),
  },
  {
    route: 'PUT /api/v1/prices/:id',
    request: () => ({
      method: 'PUT',
      url: `/api/v1/prices/${uuidv7()}?${q()}`,
      payload: { model: 'gpt-4o', inputPerMillion: '1', outputPerMillion: '2' },
    }),
    expected: adminOrKey(404),
  },
  {
    route: 'GET /api/v1/prices/repricing',
    request: () => ({ url: `/api/v1/prices/repricing?${q()}` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/prices/repricing/:id',
    request: () => ({ url: `/api/v1/prices/repricing/${failedRepricingId}?${q()}` }),
    expected: metrics(200),
  },
  {
    route: 'POST /api/v1/prices/repricing/:id/retry',
    request: () => ({ method: 'POST', url: `/api/v1/prices/repricing/${failedRepricingId}/retry?${q()}` }),
    expected: adminOrKey(200),
  },
  {
    route: 'POST /api/v1/prices/preview',
    request: () => ({
      method: 'POST',
      url: `/api/v1/prices/preview?${q()}`,
      payload: { model: 'gpt-4o', inputPerMillion: '1', outputPerMillion: '2' },
    }),
    expected: adminOrKey(200),
  },
  {
    route: 'GET /api/v1/views',
    request: () => ({ url: `/api/v1/views?${q()}&promptId=alpha` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/views',
    request: () => ({ url: `/api/v1/views?${q()}&promptId=beta` }),
    expected: logs(200, 403),
  },
  {
    route: 'POST /api/v1/views',
    request: () => ({
      method: 'POST',
      url: `/api/v1/views?${q()}`,
      payload: { name: `View ${uuidv7()}`, promptId: 'alpha', state: 'status=error' },
    }),
    // Editors and admins save views; a viewer, granted the prompt or not, may only read them.
    expected: { ...adminOnly(201), editor: 201 },
  },
  {
    route: 'PATCH /api/v1/views/:id',
    request: () => ({ method: 'PATCH', url: `/api/v1/views/${uuidv7()}?${q()}`, payload: { name: 'Renamed' } }),
    expected: { ...adminOnly(404), editor: 404, grantedViewer: 404 },
  },
  {
    route: 'DELETE /api/v1/views/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/views/${uuidv7()}?${q()}` }),
    expected: { ...adminOnly(404), editor: 404, grantedViewer: 404 },
  },
  {
    route: 'GET /api/v1/alerts/rules',
    request: () => ({ url: `/api/v1/alerts/rules?${q()}` }),
    expected: metrics(200),
  },
  {
    route: 'POST /api/v1/alerts/rules',
    request: () => ({
      method: 'POST',
      url: `/api/v1/alerts/rules?${q()}`,
      payload: { name: `Rule ${uuidv7()}`, measure: 'error_rate', condition: 'above_threshold', threshold: 0.5 },
    }),
    expected: adminOnly(201),
  },
  {
    route: 'PATCH /api/v1/alerts/rules/:id',
    request: () => ({ method: 'PATCH', url: `/api/v1/alerts/rules/${uuidv7()}?${q()}`, payload: { enabled: false } }),
    expected: adminOnly(404),
  },
  {
    route: 'DELETE /api/v1/alerts/rules/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/alerts/rules/${uuidv7()}?${q()}` }),
    expected: adminOnly(404),
  },
  {
    route: 'POST /api/v1/alerts/rules/:id/test',
    request: () => ({ method: 'POST', url: `/api/v1/alerts/rules/${uuidv7()}/test?${q()}` }),
    expected: adminOnly(404),
  },
  {
    route: 'GET /api/v1/alerts/rules/:id/deliveries',
    request: () => ({ url: `/api/v1/alerts/rules/${uuidv7()}/deliveries?${q()}` }),
    expected: adminOnly(404),
  },
  {
    route: 'GET /api/v1/alerts/events',
    request: () => ({ url: `/api/v1/alerts/events?${q()}` }),
    expected: metrics(200),
  },
  {
    route: 'POST /api/v1/alerts/events/read',
    request: () => ({ method: 'POST', url: `/api/v1/alerts/events/read?${q()}`, payload: { through: uuidv7() } }),
    // Every member may mark alerts read (this one is unknown: 404); read state is a person's, so keys are refused.
    expected: { ...adminOnly(404), editor: 404, viewer: 404, grantedViewer: 404 },
  },
  { route: 'GET /api/v1/models', request: () => ({ url: `/api/v1/models?${q()}` }), expected: metrics(200) },
  {
    route: 'GET /api/v1/suggestions',
    request: () => ({ url: `/api/v1/suggestions?${q()}&field=model&promptId=alpha&prefix=gpt` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/analytics/summary',
    request: () => ({ url: `/api/v1/analytics/summary?${q()}` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/analytics/timeseries',
    request: () => ({ url: `/api/v1/analytics/timeseries?${q()}&from=${today()}T00:00:00Z` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/analytics/breakdown',
    request: () => ({ url: `/api/v1/analytics/breakdown?${q()}&by=model` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/prompts/:promptId/compare',
    request: () => ({ url: `/api/v1/prompts/beta/compare?${q()}&a=1&b=2` }),
    expected: metrics(200),
  },
  {
    route: 'GET /api/v1/prompts/:promptId/compare/samples',
    request: () => ({ url: `/api/v1/prompts/alpha/compare/samples?${q()}&a=1&b=2` }),
    expected: logs(200, 200),
  },
  {
    route: 'GET /api/v1/prompts/:promptId/compare/samples',
    request: () => ({ url: `/api/v1/prompts/beta/compare/samples?${q()}&a=1&b=2` }),
    expected: logs(200, 403),
  },
  { route: 'GET /api/v1/members', request: () => ({ url: `/api/v1/members?${q()}` }), expected: adminOnly(200) },
  {
    route: 'PATCH /api/v1/members/:userId',
    request: () => ({ method: 'PATCH', url: `/api/v1/members/${ids.editorId}?${q()}`, payload: { role: 'editor' } }),
    expected: adminOnly(200),
  },
  {
    route: 'DELETE /api/v1/members/:userId',
    request: () => ({ method: 'DELETE', url: `/api/v1/members/${uuidv7()}?${q()}` }),
    expected: adminOnly(404),
  },
  {
    route: 'PUT /api/v1/members/:userId/prompt-access/:promptId',
    request: () => ({ method: 'PUT', url: `/api/v1/members/${ids.viewerId}/prompt-access/beta?${q()}` }),
    expected: adminOnly(204),
  },
  {
    route: 'DELETE /api/v1/members/:userId/prompt-access/:promptId',
    request: () => ({ method: 'DELETE', url: `/api/v1/members/${ids.viewerId}/prompt-access/beta?${q()}` }),
    expected: adminOnly(204),
  },
  { route: 'GET /api/v1/invites', request: () => ({ url: `/api/v1/invites?${q()}` }), expected: adminOnly(200) },
  {
    route: 'POST /api/v1/invites',
    request: () => ({ method: 'POST', url: `/api/v1/invites?${q()}`, payload: { role: 'viewer' } }),
    expected: adminOnly(201),
  },
  {
    route: 'DELETE /api/v1/invites/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/invites/${uuidv7()}?${q()}` }),
    expected: adminOnly(404),
  },
  { route: 'GET /api/v1/api-keys', request: () => ({ url: `/api/v1/api-keys?${q()}` }), expected: adminOnly(200) },
  {
    route: 'POST /api/v1/api-keys',
    request: () => ({ method: 'POST', url: `/api/v1/api-keys?${q()}`, payload: { label: 'ci', scopes: ['read'] } }),
    expected: adminOnly(201),
  },
  {
    route: 'DELETE /api/v1/api-keys/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/api-keys/${uuidv7()}?${q()}` }),
    expected: adminOnly(404),
  },
  { route: 'GET /api/v1/settings', request: () => ({ url: `/api/v1/settings?${q()}` }), expected: adminOnly(200) },
  {
    route: 'PATCH /api/v1/settings',
    request: () => ({ method: 'PATCH', url: `/api/v1/settings?${q()}`, payload: { retentionDays: null } }),
    expected: adminOnly(200),
  },
  {
    route: 'POST /api/v1/settings/redaction-preview',
    request: () => ({
      method: 'POST',
      url: `/api/v1/settings/redaction-preview?${q()}`,
      payload: { redaction: { builtins: ['api_key'], custom: [] }, text: 'hello' },
    }),
    expected: adminOnly(200),
  },
  { route: 'GET /api/v1/audit', request: () => ({ url: `/api/v1/audit?${q()}` }), expected: adminOnly(200) },
  {
    route: 'POST /api/v1/projects',
    request: () => ({ method: 'POST', url: '/api/v1/projects', payload: { name: 'Their own project' } }),
    // Any logged-in user may start a project of their own; a key belongs to one project and cannot.
    expected: sessionOnly(201),
  },
  {
    route: 'PATCH /api/v1/projects/:projectId',
    request: () => ({
      method: 'PATCH',
      url: `/api/v1/projects/${project.projectId}`,
      payload: { name: 'Test project' },
    }),
    expected: adminOnly(200),
  },
  {
    route: 'DELETE /api/v1/projects/:projectId',
    request: () => ({ method: 'DELETE', url: `/api/v1/projects/${project.projectId}` }),
    // Once the admin has deleted it, its other members are in no such project: 404. The 403 of a member who is not
    // an admin is walked by PATCH, which makes the same check.
    expected: { ...adminOnly(204), editor: 404, viewer: 404, grantedViewer: 404 },
  },
  {
    route: 'POST /api/auth/logout-everywhere',
    request: () => ({ method: 'POST', url: '/api/auth/logout-everywhere' }),
    expected: sessionOnly(204),
  },
  {
    route: 'POST /api/auth/logout',
    request: () => ({ method: 'POST', url: '/api/auth/logout' }),
    expected: everyone(204),
  },
];

/** May this caller see the project's logged inputs in a successful answer to this route? */
function mayReadInputs(caller: Caller, { route, readers }: RouteCase): boolean {
  if (readers) return readers.includes(caller);
  if (!route.startsWith('GET /api/v1/executions')) return false;
  return ['admin', 'editor', 'grantedViewer', 'fullKey', 'readKey'].includes(caller);
}

describe('authorization across every route and caller', () => {
  it('covers every route the API documents', async () => {
    const documented = Object.entries((app.swagger() as { paths: Record<string, object> }).paths).flatMap(
      ([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const walked = new Set(CASES.map((c) => c.route));
    expect(documented.filter((route) => !walked.has(route))).toEqual([]);
  });

  it('answers each caller with the exact status and leaks no logged data', async () => {
    const mismatches: string[] = [];
    for (const routeCase of CASES) {
      const { route, request, expected } = routeCase;
      for (const caller of CALLERS) {
        const options = request();
        const response = await app.inject({
          ...options,
          ...credentials(caller),
          headers: { ...options.headers, ...credentials(caller).headers },
        });
        const body = options.payloadAsStream ? '' : response.body;
        if (options.payloadAsStream) response.stream().destroy();
        if (response.statusCode !== expected[caller]) {
          mismatches.push(`${route} as ${caller}: ${response.statusCode} (expected ${expected[caller]}) ${body}`);
        }
        if (body.includes(SECRET_INPUT) && !(response.statusCode < 300 && mayReadInputs(caller, routeCase))) {
          mismatches.push(`${route} as ${caller}: leaked logged inputs`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
