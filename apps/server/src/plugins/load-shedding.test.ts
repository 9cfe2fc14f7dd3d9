import { request } from 'node:http';
import type { DatabaseHandle } from '@promptlog/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { createTestProject, openTestDatabase, type TestProject, testConfig } from '../test/harness';

let handle: DatabaseHandle;
let project: TestProject;
beforeAll(async () => {
  handle = await openTestDatabase();
  project = await createTestProject(handle);
});
afterAll(async () => handle?.close());

async function appWith(env: Record<string, string>) {
  const app = await buildApp(testConfig({ PROMPTLOG_LOAD_SHEDDING: 'true', ...env }), handle);
  await app.ready();
  return app;
}

/** under-pressure samples memory every 250 ms; wait past the first sample. */
const firstSample = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('load shedding', () => {
  it('answers 503 with Retry-After past the memory ceiling, for ingestion and reads alike, while health still answers', async () => {
    const app = await appWith({ PROMPTLOG_MAX_RSS_MB: '64' });
    try {
      await firstSample();
      const ingest = await app.inject({
        method: 'POST',
        url: '/api/v1/executions',
        headers: project.auth,
        payload: { promptId: 'shed', status: 'success', source: { type: 'api' }, model: 'gpt-4o' },
      });
      expect(ingest.statusCode).toBe(503);
      expect(ingest.headers['retry-after']).toBe('2');
      expect(ingest.json()).toEqual({
        error: { code: 'unavailable', message: 'The server is overloaded; retry later' },
      });
      expect((await app.inject({ url: '/api/v1/executions', headers: project.auth })).statusCode).toBe(503);

      const health = await app.inject({ url: '/api/health' });
      expect(health.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers OTLP exporters in their own protocol when shedding', async () => {
    const app = await appWith({ PROMPTLOG_MAX_RSS_MB: '64' });
    try {
      await firstSample();
      const response = await app.inject({
        method: 'POST',
        url: '/api/otel/v1/traces',
        headers: { ...project.auth, 'content-type': 'application/json' },
        payload: { resourceSpans: [] },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(response.json()).toMatchObject({ code: 14, message: 'The server is overloaded; retry later' });
    } finally {
      await app.close();
    }
  });

  it('refuses API requests past the cap in progress at once, and takes them again when one ends', async () => {
    const app = await appWith({ PROMPTLOG_MAX_REQUESTS_IN_PROGRESS: '1' });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = JSON.stringify({ promptId: 'cap', status: 'success', source: { type: 'api' }, model: 'gpt-4o' });
      // A request whose body is still on its way is in progress.
      const slow = request(`${baseUrl}/api/v1/executions`, {
        method: 'POST',
        headers: { ...project.auth, 'content-type': 'application/json', 'content-length': String(body.length) },
      });
      const slowAnswer = new Promise<number>((resolve) => slow.on('response', (res) => resolve(res.statusCode ?? 0)));
      slow.write(body.slice(0, 10));

      // Once the server has the slow request's headers, the next one is refused.
      let refused: Response | undefined;
      await expect
        .poll(async () => {
          refused = await fetch(`${baseUrl}/api/v1/executions`, { headers: project.auth });
          return refused.status;
        })
        .toBe(503);
      expect(refused?.headers.get('retry-after')).toBe('2');
      expect((await fetch(`${baseUrl}/api/health`)).status).toBe(200);

      slow.end(body.slice(10));
      expect(await slowAnswer).toBe(201);
      expect((await fetch(`${baseUrl}/api/v1/executions`, { headers: project.auth })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('serves normally under its limits', async () => {
    const app = await appWith({});
    try {
      await firstSample();
      expect((await app.inject({ url: '/api/v1/executions', headers: project.auth })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
