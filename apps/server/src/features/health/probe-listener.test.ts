import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { openTestDatabase, testConfig } from '../../test/harness';
import { closeHealthProbes, listenForHealthProbes } from './probe-listener';

let handle: DatabaseHandle;
let app: FastifyInstance;
let probes: Server;
let probeUrl: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  // Past its memory ceiling at once: the server sheds API requests, and health must answer all the same.
  app = await buildApp(testConfig({ PROMPTLOG_LOAD_SHEDDING: 'true', PROMPTLOG_MAX_RSS_MB: '64' }), handle);
  await app.ready();
  probes = await listenForHealthProbes(app, '127.0.0.1', 0);
  probeUrl = `http://127.0.0.1:${(probes.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (probes) await closeHealthProbes(probes);
  await app?.close();
  await handle?.close();
});

describe('the health probe port', () => {
  it('answers GET /api/health as the main port does, even while the server sheds load', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await app.inject({ url: '/api/v1/executions' })).statusCode).toBe(503);

    const response = await fetch(`${probeUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: handle.kind });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves nothing else, and says where the rest is', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/executions'],
      ['POST', '/api/health'],
      ['GET', '/'],
    ] as const) {
      const response = await fetch(`${probeUrl}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        'This port answers only GET /api/health; the API and the web app are on the main port',
      );
    }
  });
});
