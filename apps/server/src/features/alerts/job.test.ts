import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertDeliveries, alertEvents, type DatabaseHandle } from '@promptlog/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProject, openIsolatedTestDatabase } from '../../test/harness';
import { startAlertsJob } from './job';
import { addTestRule, calls, countCalls } from './test-helpers';

// The job evaluates and delivers for every project, so it runs on a database of its own.
let handle: DatabaseHandle;
let server: Server;
let hookUrl: string;
const bodies: string[] = [];

beforeAll(async () => {
  handle = await openIsolatedTestDatabase();
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await handle?.close();
});

async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 200; tries++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the background job did not get there');
}

describe('the alerts job', () => {
  it('evaluates in the background, sends the webhook, and stops when asked', async () => {
    const project = await createTestProject(handle);
    await addTestRule(handle, project, { threshold: 0.5, webhookUrl: hookUrl, webhookSecret: 'whsec_job' });
    await countCalls(handle, project, calls(20, { status: 'error' }));
    const warnings: object[] = [];
    const stop = startAlertsJob(handle, {
      intervalMs: 100,
      deliveryTimeoutMs: 2000,
      log: { info: () => undefined, warn: (details) => warnings.push(details) },
    });
    try {
      const body = await eventually(async () => bodies[0]);
      expect(JSON.parse(body)).toMatchObject({ type: 'alert.fired', projectId: project.projectId });
      const delivered = await eventually(async () => {
        const [row] = await handle.db
          .select()
          .from(alertDeliveries)
          .where(eq(alertDeliveries.projectId, project.projectId));
        return row?.state === 'delivered' ? row : undefined;
      });
      expect(delivered.statusCode).toBe(200);
    } finally {
      await stop();
    }
    const events = await handle.db.select().from(alertEvents).where(eq(alertEvents.projectId, project.projectId));
    expect(events).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});
