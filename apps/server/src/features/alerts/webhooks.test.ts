import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertDeliveries, type DatabaseHandle } from '@promptlog/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProject, useTestApp } from '../../test/harness';
import { evaluateAlerts } from './evaluate';
import { addTestRule, calls, countCalls, evaluateProject, now } from './test-helpers';
import { deliverDueWebhooks, MAX_ATTEMPTS, SIGNATURE_HEADER, verifySignature } from './webhooks';

let handle: DatabaseHandle;

useTestApp((opened) => {
  ({ handle } = opened);
});

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on a local port: records each request and answers with the next status of its path's script. */
let server: Server;
let base: string;
const received: Received[] = [];
const scripts = new Map<string, (number | 'hang')[]>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
      const next = scripts.get(path)?.shift() ?? 200;
      if (next === 'hang') return;
      response.writeHead(next, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function firingRuleWithWebhook(path: string, script: (number | 'hang')[]) {
  scripts.set(path, script);
  const project = await createTestProject(handle);
  const secret = `whsec_${path.slice(1)}`;
  const ruleId = await addTestRule(handle, project, {
    threshold: 0.5,
    webhookUrl: `${base}${path}`,
    webhookSecret: secret,
  });
  await countCalls(handle, project, calls(20, { status: 'error' }));
  expect(await evaluateProject(handle, project)).toEqual({ fired: 1, resolved: 0 });
  return { project, ruleId, secret };
}

const deliveriesOf = (projectId: string) =>
  handle.db.select().from(alertDeliveries).where(eq(alertDeliveries.projectId, projectId));
const later = (ms: number) => new Date(now.getTime() + ms);

describe('alert webhooks', () => {
  it('POSTs the JSON body signed with HMAC-SHA256 of the raw body', async () => {
    const { project, ruleId, secret } = await firingRuleWithWebhook('/signed', [204]);
    expect(await deliverDueWebhooks(handle, { now, timeoutMs: 2000, projectId: project.projectId })).toBe(1);
    const request = received.find((r) => r.path === '/signed');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-promptlog-event']).toBe('alert.fired');
    expect(request?.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(secret, request?.body ?? '', String(request?.headers[SIGNATURE_HEADER]))).toBe(true);
    expect(verifySignature('whsec_another', request?.body ?? '', String(request?.headers[SIGNATURE_HEADER]))).toBe(
      false,
    );
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      type: 'alert.fired',
      projectId: project.projectId,
      alert: { ruleId, numbers: { measure: 'error_rate', current: { calls: 20, value: 1 } }, url: null },
    });
    const [delivery] = await deliveriesOf(project.projectId);
    expect(delivery).toMatchObject({
      state: 'delivered',
      attempts: 1,
      statusCode: 204,
      error: null,
      nextAttemptAt: null,
    });
  });

  it('sends the link to the filtered Logs tab as an absolute URL when PROMPTLOG_PUBLIC_URL is set', async () => {
    const project = await createTestProject(handle);
    await addTestRule(handle, project, {
      promptId: 'summarize',
      threshold: 0.5,
      webhookUrl: `${base}/public`,
      webhookSecret: 'whsec_public',
    });
    await countCalls(handle, project, calls(20, { status: 'error' }));
    const publicUrl = 'https://promptlog.example.com/team/';
    expect(await evaluateAlerts(handle, { now, projectId: project.projectId, publicUrl })).toEqual({
      fired: 1,
      resolved: 0,
    });
    const [delivery] = await deliveriesOf(project.projectId);
    const { alert } = JSON.parse(delivery?.body ?? '{}');
    expect(alert.link).toMatch(/^\/prompts\/summarize\?/);
    expect(alert.url).toBe(`https://promptlog.example.com/team${alert.link}`);
  });

  it('retries a 500 with backoff and records each answer until a 200', async () => {
    const { project } = await firingRuleWithWebhook('/flaky', [500, 200]);
    await deliverDueWebhooks(handle, { now, timeoutMs: 2000, projectId: project.projectId });
    const [failed] = await deliveriesOf(project.projectId);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, statusCode: 500, error: 'HTTP 500' });
    expect(Date.parse(failed?.nextAttemptAt ?? '')).toBe(now.getTime() + 60_000);

    // Not due yet: nothing is sent.
    expect(
      await deliverDueWebhooks(handle, { now: later(30_000), timeoutMs: 2000, projectId: project.projectId }),
    ).toBe(0);
    expect(
      await deliverDueWebhooks(handle, { now: later(61_000), timeoutMs: 2000, projectId: project.projectId }),
    ).toBe(1);
    const [delivered] = await deliveriesOf(project.projectId);
    expect(delivered).toMatchObject({ state: 'delivered', attempts: 2, statusCode: 200, error: null });
    const sent = received.filter((r) => r.path === '/flaky');
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toBe(sent[0]?.body);
  });

  it('gives a silent receiver a timeout, and gives up after the last attempt', async () => {
    const { project } = await firingRuleWithWebhook('/silent', Array(MAX_ATTEMPTS).fill('hang'));
    let at = now;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await deliverDueWebhooks(handle, { now: at, timeoutMs: 200, projectId: project.projectId })).toBe(1);
      const [delivery] = await deliveriesOf(project.projectId);
      expect(delivery).toMatchObject({ attempts: attempt, statusCode: null, error: 'no answer within 200 ms' });
      if (attempt < MAX_ATTEMPTS) {
        expect(delivery?.state).toBe('pending');
        at = new Date(Date.parse(delivery?.nextAttemptAt ?? ''));
      } else {
        expect(delivery).toMatchObject({ state: 'failed', nextAttemptAt: null });
      }
    }
    expect(
      await deliverDueWebhooks(handle, { now: later(86_400_000), timeoutMs: 200, projectId: project.projectId }),
    ).toBe(0);
  });
});
