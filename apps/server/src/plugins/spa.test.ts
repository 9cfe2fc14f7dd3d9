import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { openTestDatabase, testConfig } from '../test/harness';
import { isAppPath } from './spa';

describe('which paths the web app answers with index.html', () => {
  it('answers client routes, prompt keys with dots, colons and encoded slashes included', () => {
    for (const path of [
      '/',
      '/dashboard',
      '/prompts/support.reply:v2',
      '/prompts/team%2Fsupport',
      '/traces/50%25',
      '/x/%',
    ]) {
      expect(isAppPath(path), path).toBe(true);
    }
  });

  it('leaves the API and missing hashed assets to their 404s', () => {
    for (const path of ['/api', '/api/v1/nothing', '/assets/index-0000.js']) expect(isAppPath(path), path).toBe(false);
  });

  it('refuses a path that climbs out, however it is encoded', () => {
    const climbing = [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%252e%252e%252fpackage.json',
      '/..\\package.json',
      '/..%5cpackage.json',
      '/index.html%00.js',
      '/prompts/./x',
      'http://127.0.0.1/../package.json',
    ];
    for (const path of climbing) expect(isAppPath(path), path).toBe(false);
  });
});

describe('the served web app', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const INDEX = '<!doctype html><title>Promptlog</title><div id="root"></div>';
  const CHARTS = Array.from({ length: 300 }, (_, i) => `export const bar${i} = ${i};`).join('\n');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'promptlog-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    // As the build leaves them: a Brotli and a gzip copy beside the large asset and beside index.html.
    for (const [file, content] of [
      [path.join(dir, 'assets', 'charts-def456.js'), CHARTS],
      [path.join(dir, 'index.html'), INDEX],
    ] as const) {
      await writeFile(`${file}.br`, brotliCompressSync(content));
      await writeFile(`${file}.gz`, gzipSync(content));
    }
    await writeFile(path.join(dir, 'assets', 'charts-def456.js'), CHARTS);
    handle = await openTestDatabase();
    app = await buildApp(testConfig({ PROMPTLOG_WEB_DIST: dir }), handle);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers HEAD / as GET / is answered, without the body, so uptime monitors see the app up', async () => {
    const get = await app.inject({ method: 'GET', url: '/' });
    expect(get.statusCode).toBe(200);
    expect(get.body).toBe(INDEX);
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    for (const header of ['content-type', 'content-length', 'cache-control']) {
      expect(head.headers[header], header).toBe(get.headers[header]);
    }
  });

  it('answers HEAD of a client route and of an asset like their GETs', async () => {
    const route = await app.inject({ method: 'HEAD', url: '/prompts/support-reply?project=x' });
    expect(route.statusCode).toBe(200);
    expect(route.headers['content-type']).toMatch(/^text\/html/);
    const asset = await app.inject({ method: 'HEAD', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('keeps unknown API paths and missing assets a 404 for HEAD too', async () => {
    expect((await app.inject({ method: 'HEAD', url: '/api/v1/nothing' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'HEAD', url: '/assets/index-gone.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/' })).statusCode).toBe(404);
  });

  it('sends the Brotli or gzip copy to a browser that accepts it, and the file itself to one that does not', async () => {
    const url = '/assets/charts-def456.js';
    const brotli = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(CHARTS);

    const gzip = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(CHARTS);

    const plain = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(CHARTS);

    const page = await app.inject({ method: 'GET', url: '/prompts/x', headers: { 'accept-encoding': 'br' } });
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(brotliDecompressSync(page.rawPayload).toString()).toBe(INDEX);
  });
});
