import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '@promptlog/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createTestApp, openTestDatabase, testConfig } from './test/harness';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle?.close());

describe('the application shell', () => {
  it('reports health and which database it uses', async () => {
    const app = await createTestApp(handle);
    const response = await app.inject({ url: '/api/health' });
    expect(response.json()).toEqual({ status: 'ok', database: handle.kind });
    await app.close();
  });

  it('publishes the OpenAPI description of the ingestion routes', async () => {
    const app = await createTestApp(handle);
    const spec = (await app.inject({ url: '/api/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/executions', '/api/v1/executions/batch', '/api/v1/executions/{id}']),
    );
    expect((await app.inject({ url: '/api/docs/' })).statusCode).toBe(200);
    await app.close();
  });

  it('serves the web app: client routes get index.html, assets are immutable, unknown API paths are JSON 404s', async () => {
    const dist = await mkdtemp(path.join(tmpdir(), 'promptlog-web-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Promptlog</title>');
    await writeFile(path.join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    const app = await buildApp(testConfig({ PROMPTLOG_WEB_DIST: dist }), handle);

    const page = await app.inject({ url: '/prompts/support-reply?status=error' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Promptlog</title>');
    expect(page.headers['cache-control']).toBe('no-cache');

    const asset = await app.inject({ url: '/assets/app-abc123.js' });
    expect(asset.headers['cache-control']).toContain('immutable');

    const api = await app.inject({ url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/v1/nothing-here' } });
    await app.close();
  });

  it('sends the security headers on refusals made before any route runs', async () => {
    const app = await createTestApp(handle);
    const refusals = {
      'a URL the router cannot decode': '/prompts/%c0',
      'a NUL character in the query': '/api/v1/prompts?projectId=%00',
      'no credentials': '/api/v1/prompts',
    };
    for (const [label, url] of Object.entries(refusals)) {
      const response = await app.inject({ url });
      expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, label).toBeLessThan(500);
      expect(response.headers['content-security-policy'] ?? 'no CSP', label).toContain("default-src 'self'");
      expect(response.headers['x-frame-options'], label).toBe('DENY');
      expect(response.headers['x-content-type-options'], label).toBe('nosniff');
    }
    await app.close();
  });

  it('explains a bad configuration instead of starting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PROMPTLOG_INIT_ADMIN_EMAIL: 'a@example.com' })).toThrow(/go together/);
    expect(() => loadConfig({ PROMPTLOG_PUBLIC_URL: 'promptlog.example.com' })).toThrow(/PROMPTLOG_PUBLIC_URL/);
    expect(loadConfig({ PROMPTLOG_PUBLIC_URL: 'https://promptlog.example.com/team/' }).publicUrl).toBe(
      'https://promptlog.example.com/team/',
    );
  });
});
