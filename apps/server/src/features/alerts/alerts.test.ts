import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditEvents, type DatabaseHandle } from '@promptlog/db';
import { and, eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTestMember,
  createTestProject,
  logIn,
  type TestProject,
  type TestSession,
  useTestApp,
} from '../../test/harness';
import { calls, countCalls, evaluateProject } from './test-helpers';
import { SIGNATURE_HEADER, verifySignature } from './webhooks';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

let server: Server;
let hookUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/promptlog?token=s3cret`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Members {
  project: TestProject;
  admin: TestSession;
  viewer: TestSession;
}

async function members(): Promise<Members> {
  const project = await createTestProject(handle);
  const viewer = await addTestMember(handle, project.projectId, 'viewer');
  return {
    project,
    admin: await logIn(app, project.email, project.password),
    viewer: await logIn(app, viewer.email, viewer.password),
  };
}

function as(session: TestSession, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url, cookies: session.cookies, headers: session.headers, payload });
}

const rule = {
  name: 'Summaries failing',
  measure: 'error_rate',
  condition: 'above_threshold',
  threshold: 0.2,
  scope: { promptId: 'summarize' },
  windowHours: 1,
  minCalls: 10,
};

describe('alert rules API', () => {
  it('lets an admin create a rule with a webhook, whose secret is shown once, and audits it', async () => {
    const { project, admin, viewer } = await members();
    const created = await as(admin, 'POST', '/api/v1/alerts/rules', { ...rule, webhookUrl: hookUrl });
    expect(created.statusCode, created.body).toBe(201);
    const saved = created.json();
    expect(saved.webhookSecret).toMatch(/^whsec_[\w-]{32}$/);
    expect(saved).toMatchObject({
      name: 'Summaries failing',
      scope: { promptId: 'summarize', version: null, source: null, model: null },
      threshold: 0.2,
      enabled: true,
      builtin: null,
      createdBy: project.email,
      webhook: { url: hookUrl, secretHint: `whsec_…${saved.webhookSecret.slice(-4)}` },
    });

    const list = (await as(admin, 'GET', '/api/v1/alerts/rules')).json();
    expect(list.canManage).toBe(true);
    expect(list.items.map((r: { name: string; builtin: string | null }) => [r.name, r.builtin])).toEqual([
      ['New prompt version has a higher error rate', 'new_version_error_rate'],
      ['New prompt version refuses more often', 'new_version_refusal_rate'],
      ['Summaries failing', null],
    ]);
    expect(JSON.stringify(list)).not.toContain(saved.webhookSecret);

    // A viewer sees the rules but not the webhook's token, and may not change them.
    const seen = await as(viewer, 'GET', '/api/v1/alerts/rules');
    expect(seen.json().canManage).toBe(false);
    expect(seen.body).not.toContain('s3cret');
    expect(seen.json().items.find((r: { builtin: string | null }) => r.builtin === null).webhook.url).toBe(
      `${new URL(hookUrl).origin}/…`,
    );
    expect((await as(viewer, 'POST', '/api/v1/alerts/rules', rule)).statusCode).toBe(403);

    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, project.projectId), eq(auditEvents.action, 'alert_rule.created')));
    expect(audit).toMatchObject({ target: 'Summaries failing', actorLabel: project.email });
    expect(JSON.stringify(audit?.details)).not.toContain(saved.webhookSecret);
    expect(JSON.stringify(audit?.details)).not.toContain('s3cret');
  });

  it('answers a rule that does not hold together with a 400 naming the field', async () => {
    const { admin } = await members();
    const cases: [object, string][] = [
      [{ ...rule, threshold: undefined }, 'threshold'],
      [{ ...rule, measure: 'calls', condition: 'worse_than_previous_window' }, 'condition'],
      [{ ...rule, webhookUrl: 'ftp://example.test/hook' }, 'webhookUrl'],
      [{ ...rule, windowHours: 0 }, 'windowHours'],
      [{ ...rule, minCalls: 1.5 }, 'minCalls'],
      [{ ...rule, measure: 'toxicity_rate' }, 'measure'],
      [{ ...rule, scope: { version: 2 } }, 'scope.promptId'],
      [{ ...rule, condition: 'worse_than_previous_version', scope: { promptId: 'a', version: 2 } }, 'scope.version'],
      [{ ...rule, name: ' ' }, 'name'],
      // Text PostgreSQL cannot store: a NUL character, an unpaired surrogate.
      [{ ...rule, scope: { model: 'gpt\u0000' } }, 'scope.model'],
      [{ ...rule, scope: { model: 'x\udc00\ud800' } }, 'scope.model'],
    ];
    for (const [payload, field] of cases) {
      const response = await as(admin, 'POST', '/api/v1/alerts/rules', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(
        response.json().error.issues.map((issue: { path: string }) => issue.path),
        JSON.stringify(payload),
      ).toContain(field);
    }
  });

  it('changes and deletes a rule, audited with what changed; the built-in rule is kept', async () => {
    const { project, admin } = await members();
    const { id } = (await as(admin, 'POST', '/api/v1/alerts/rules', rule)).json();
    const changed = await as(admin, 'PATCH', `/api/v1/alerts/rules/${id}`, { threshold: 0.5, enabled: false });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ threshold: 0.5, enabled: false, webhookSecret: null });

    const invalid = await as(admin, 'PATCH', `/api/v1/alerts/rules/${id}`, {
      measure: 'calls',
      condition: 'worse_than_previous_window',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.issues[0].path).toBe('condition');

    const withHook = await as(admin, 'PATCH', `/api/v1/alerts/rules/${id}`, { webhookUrl: hookUrl });
    expect(withHook.json().webhookSecret).toMatch(/^whsec_/);
    const rotated = await as(admin, 'PATCH', `/api/v1/alerts/rules/${id}`, { rotateSecret: true });
    expect(rotated.json().webhookSecret).toMatch(/^whsec_/);
    expect(rotated.json().webhookSecret).not.toBe(withHook.json().webhookSecret);

    const { items } = (await as(admin, 'GET', '/api/v1/alerts/rules')).json();
    const builtin = items.find((r: { builtin: string | null }) => r.builtin !== null);
    expect((await as(admin, 'DELETE', `/api/v1/alerts/rules/${builtin.id}`)).statusCode).toBe(409);
    const keepsMeasure = await as(admin, 'PATCH', `/api/v1/alerts/rules/${builtin.id}`, { measure: 'p95_latency' });
    expect(keepsMeasure.statusCode).toBe(400);
    expect(keepsMeasure.json().error.issues[0].path).toBe('measure');
    expect((await as(admin, 'PATCH', `/api/v1/alerts/rules/${builtin.id}`, { enabled: false })).statusCode).toBe(200);

    expect((await as(admin, 'DELETE', `/api/v1/alerts/rules/${id}`)).statusCode).toBe(204);
    expect((await as(admin, 'DELETE', `/api/v1/alerts/rules/${id}`)).statusCode).toBe(404);

    const trail = await handle.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, project.projectId), like(auditEvents.action, 'alert_rule.%')))
      .orderBy(auditEvents.id);
    expect(trail.map((event) => event.action)).toEqual([
      'alert_rule.created',
      'alert_rule.updated',
      'alert_rule.updated',
      'alert_rule.updated',
      'alert_rule.updated',
      'alert_rule.deleted',
    ]);
    expect(trail[1]?.details).toMatchObject({
      ruleId: id,
      from: { threshold: 0.2, enabled: true },
      to: { threshold: 0.5, enabled: false },
    });
    expect(trail[3]?.details).toMatchObject({ to: { secret: 'rotated' } });
  });

  it('lists alerts newest first with each member’s unread state, and marks them read', async () => {
    const { project, admin, viewer } = await members();
    await as(admin, 'POST', '/api/v1/alerts/rules', rule);
    await as(admin, 'POST', '/api/v1/alerts/rules', { ...rule, name: 'Any errors', scope: {}, threshold: 0.1 });
    await countCalls(handle, project, calls(20, { status: 'error' }));
    expect(await evaluateProject(handle, project)).toEqual({ fired: 2, resolved: 0 });

    const first = (await as(viewer, 'GET', '/api/v1/alerts/events?limit=1')).json();
    expect(first.unreadCount).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ unread: true, resolvedAt: null, numbers: { current: { calls: 20 } } });
    const second = (await as(viewer, 'GET', `/api/v1/alerts/events?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0].id < first.items[0].id).toBe(true);

    const read = await as(viewer, 'POST', '/api/v1/alerts/events/read', { through: second.items[0].id });
    expect(read.statusCode, read.body).toBe(204);
    const after = (await as(viewer, 'GET', '/api/v1/alerts/events')).json();
    expect(after.unreadCount).toBe(1);
    expect(after.items.map((e: { unread: boolean }) => e.unread)).toEqual([true, false]);
    // Marking an older one read never moves the mark back; the admin's state is their own.
    await as(viewer, 'POST', '/api/v1/alerts/events/read', { through: first.items[0].id });
    await as(viewer, 'POST', '/api/v1/alerts/events/read', { through: second.items[0].id });
    expect((await as(viewer, 'GET', '/api/v1/alerts/events')).json().unreadCount).toBe(0);
    expect((await as(admin, 'GET', '/api/v1/alerts/events')).json().unreadCount).toBe(2);

    const unknown = await as(viewer, 'POST', '/api/v1/alerts/events/read', { through: project.projectId });
    expect(unknown.statusCode).toBe(404);
    const badCursor = await as(viewer, 'GET', '/api/v1/alerts/events?cursor=nonsense');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.issues[0].path).toBe('cursor');
  });

  it('sends a signed test delivery and lists it with its response code', async () => {
    const { admin } = await members();
    const saved = (await as(admin, 'POST', '/api/v1/alerts/rules', { ...rule, webhookUrl: hookUrl })).json();
    const test = await as(admin, 'POST', `/api/v1/alerts/rules/${saved.id}/test`);
    expect(test.statusCode, test.body).toBe(200);
    expect(test.json()).toMatchObject({ kind: 'test', state: 'delivered', attempts: 1, statusCode: 202, error: null });
    const request = received.at(-1);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      type: 'alert.test',
      rule: { id: saved.id },
      alert: null,
    });
    expect(verifySignature(saved.webhookSecret, request?.body ?? '', String(request?.headers[SIGNATURE_HEADER]))).toBe(
      true,
    );
    const deliveries = (await as(admin, 'GET', `/api/v1/alerts/rules/${saved.id}/deliveries`)).json();
    expect(deliveries.items).toEqual([test.json()]);

    const bare = (await as(admin, 'POST', '/api/v1/alerts/rules', rule)).json();
    const refused = await as(admin, 'POST', `/api/v1/alerts/rules/${bare.id}/test`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.issues[0].path).toBe('webhookUrl');
  });
});
