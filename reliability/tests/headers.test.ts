import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDatabase } from '../src/database';
import { reportFigure } from '../src/figures';
import { executionJson } from '../src/ingest-load';
import { rawGet } from '../src/raw-http';
import { ROOT, ServerProcess } from '../src/server-process';

const CHECK = 'Security headers and static files';
const WEB_DIST = path.join(ROOT, 'apps/web/dist');

let server: ServerProcess;
/** The same build behind a TLS-terminating proxy (PROMPTLOG_TRUST_PROXY). */
let proxied: ServerProcess;
let indexHtml = '';

beforeAll(async () => {
  const [databaseUrl, proxiedUrl] = await Promise.all([
    createDatabase(inject('postgresUrl'), 'reliability_headers'),
    createDatabase(inject('postgresUrl'), 'reliability_headers_proxied'),
  ]);
  [server, proxied] = await Promise.all([
    ServerProcess.start({ databaseUrl, name: 'headers' }),
    ServerProcess.start({ databaseUrl: proxiedUrl, name: 'headers-proxied', env: { PROMPTLOG_TRUST_PROXY: 'true' } }),
  ]);
  indexHtml = await (await fetch(`${server.baseUrl}/`)).text();
});
afterAll(async () => {
  await Promise.all([server?.stop(), proxied?.stop()]);
});

function parseCsp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const EXACT_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** What is wrong with one response's security headers; `relaxedStyles` for the API docs, which inject <style>. */
function headerProblems(headers: Headers, relaxedStyles = false): string[] {
  const problems: string[] = [];
  const csp = parseCsp(headers.get('content-security-policy'));
  for (const [directive, sources] of Object.entries(EXACT_DIRECTIVES)) {
    const actual = csp.get(directive);
    if (actual?.join(' ') !== sources.join(' ')) problems.push(`${directive} is ${actual?.join(' ') ?? 'missing'}`);
  }
  const styles = csp.get('style-src') ?? [];
  if (styles[0] !== "'self'") problems.push(`style-src is ${styles.join(' ') || 'missing'}`);
  if (styles.includes("'unsafe-inline'") !== relaxedStyles) problems.push(`style-src is ${styles.join(' ')}`);
  if (headers.get('content-security-policy')?.includes('unsafe-eval')) problems.push("'unsafe-eval' is allowed");
  if (headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (headers.get('x-frame-options') !== 'DENY') problems.push(`X-Frame-Options is ${headers.get('x-frame-options')}`);
  const referrer = headers.get('referrer-policy') ?? '';
  if (!['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(referrer)) {
    problems.push(`Referrer-Policy is ${referrer || 'missing'}`);
  }
  for (const banner of ['x-powered-by', 'server'])
    if (headers.has(banner)) problems.push(`${banner}: ${headers.get(banner)}`);
  if (headers.has('strict-transport-security')) problems.push('HSTS over plain http');
  return problems;
}

it('sends the security headers on pages, assets, API answers and errors alike, HSTS only over TLS', async () => {
  const [script] = /\/assets\/[\w-]+\.js/.exec(indexHtml) ?? [];
  const [stylesheet] = /\/assets\/[\w-]+\.css/.exec(indexHtml) ?? [];
  expect(script, 'index.html names its script').toBeDefined();
  expect(stylesheet, 'index.html names its stylesheet').toBeDefined();
  const json = { ...server.auth, 'content-type': 'application/json' };
  const requests: { label: string; path: string; init?: RequestInit; status: number; docs?: boolean }[] = [
    { label: 'the app', path: '/', status: 200 },
    { label: 'a client route', path: '/prompts/reliability?status=error', status: 200 },
    { label: 'a script', path: script ?? '', status: 200 },
    { label: 'a stylesheet', path: stylesheet ?? '', status: 200 },
    { label: 'health', path: '/api/health', status: 200 },
    {
      label: 'a stored execution',
      path: '/api/v1/executions',
      init: { method: 'POST', headers: json, body: executionJson() },
      status: 201,
    },
    { label: 'an API list', path: '/api/v1/prompts', init: { headers: server.auth }, status: 200 },
    {
      label: 'a validation error',
      path: '/api/v1/executions',
      init: { method: 'POST', headers: json, body: '{}' },
      status: 400,
    },
    {
      label: 'a body that is not JSON',
      path: '/api/v1/executions',
      init: { method: 'POST', headers: { ...server.auth, 'content-type': 'text/plain' }, body: 'x' },
      status: 415,
    },
    { label: 'no credentials', path: '/api/v1/prompts', status: 401 },
    { label: 'an unknown API path', path: '/api/v1/nothing-here', status: 404 },
    { label: 'a missing asset', path: '/assets/gone-0000.js', status: 404 },
    { label: 'the API docs', path: '/api/docs/', status: 200, docs: true },
    { label: 'the API docs script', path: '/api/docs/static/swagger-initializer.js', status: 200, docs: true },
  ];
  const problems: string[] = [];
  const policies = new Map<string, Map<string, string[]>>();
  for (const request of requests) {
    const response = await fetch(`${server.baseUrl}${request.path}`, {
      ...request.init,
      // A forged X-Forwarded-Proto must not turn HSTS on when no proxy is trusted.
      headers: { ...(request.init?.headers as Record<string, string>), 'x-forwarded-proto': 'https' },
    });
    await response.arrayBuffer();
    policies.set(request.label, parseCsp(response.headers.get('content-security-policy')));
    if (response.status !== request.status) problems.push(`${request.label}: HTTP ${response.status}`);
    for (const problem of headerProblems(response.headers, request.docs)) problems.push(`${request.label}: ${problem}`);
  }

  // Fastify answers a malformed URL before any hook runs; its answer sets the headers itself.
  const malformed = await fetch(`${server.baseUrl}/prompts/%c0`);
  const malformedProblems = headerProblems(malformed.headers);

  const overTls = await fetch(`${proxied.baseUrl}/`, { headers: { 'x-forwarded-proto': 'https' } });
  const overHttp = await fetch(`${proxied.baseUrl}/api/health`);
  const hsts = overTls.headers.get('strict-transport-security');

  reportFigure(CHECK, 'responses checked (pages, assets, API, errors, docs)', requests.length);
  reportFigure(CHECK, 'header problems found', problems.length);
  reportFigure(CHECK, `malformed URL (HTTP ${malformed.status}): header problems`, malformedProblems.length);
  const sources = (label: string, directive: string) => policies.get(label)?.get(directive)?.join(' ') ?? 'none';
  reportFigure(
    CHECK,
    'script-src: app / API docs',
    `${sources('the app', 'script-src')} / ${sources('the API docs', 'script-src')}`,
  );
  reportFigure(
    CHECK,
    'style-src: app / API docs',
    `${sources('the app', 'style-src')} / ${sources('the API docs', 'style-src')}`,
  );
  reportFigure(
    CHECK,
    'HSTS: plain http / behind a trusted TLS proxy',
    `${overHttp.headers.get('strict-transport-security') ?? 'absent'} / ${hsts ?? 'absent'}`,
  );

  expect(problems).toEqual([]);
  expect(malformedProblems).toEqual([]);
  expect(hsts).toMatch(/^max-age=(\d{8,}); includeSubDomains$/);
  expect(Number(/max-age=(\d+)/.exec(hsts ?? '')?.[1])).toBeGreaterThanOrEqual(31_536_000);
  expect(overHttp.headers.has('strict-transport-security')).toBe(false);
});

/** Text found only in files outside the web build: the repository's and the packages' manifests, system and git files, the server's code. */
const LEAK_MARKERS = [
  '"name": "promptlog"',
  '"name": "@promptlog/',
  '"name": "@fastify/swagger-ui"',
  'root:x:0:0',
  '[core]',
  'ref: refs/',
  'PROMPTLOG_',
];

/** One step up, written every way a server or file library might decode: encoded, double-encoded, backslashed, overlong UTF-8. */
const CLIMBS: { step: string; climbs: boolean }[] = [
  { step: '../', climbs: true },
  { step: '..%2f', climbs: true },
  { step: '..%2F', climbs: true },
  { step: '%2e%2e/', climbs: true },
  { step: '%2e%2e%2f', climbs: true },
  { step: '%2E%2E%2F', climbs: true },
  { step: '.%2e/', climbs: true },
  { step: '%2e./', climbs: true },
  { step: '%252e%252e%252f', climbs: true },
  { step: '..%252f', climbs: true },
  { step: '%25252e%25252e%25252f', climbs: true },
  { step: '..\\', climbs: true },
  { step: '..%5c', climbs: true },
  { step: '..%5C', climbs: true },
  { step: '%2e%2e%5c', climbs: true },
  { step: '..%255c', climbs: true },
  { step: '..%00/', climbs: true },
  { step: '%00../', climbs: true },
  // Not a step up for Node's path handling (Java's `;` parameters, overlong UTF-8, four dots): the SPA's index.html is a fine answer.
  { step: '..;/', climbs: false },
  { step: '%c0%ae%c0%ae/', climbs: false },
  { step: '..%c0%af', climbs: false },
  { step: '....//', climbs: false },
];
const PREFIXES = ['/', '/assets/', '/api/docs/static/', '/prompts/'];
const TARGETS: { depth: number; file: string }[] = [
  { depth: 1, file: 'package.json' },
  { depth: 3, file: 'package.json' },
  { depth: 14, file: 'etc/passwd' },
];
/** Requests that are not built from a step: absolute targets, NUL bytes, dotfiles, files of the repository by name. */
const SPECIALS: { target: string; climbs: boolean }[] = [
  { target: 'http://127.0.0.1/../../../package.json', climbs: true },
  { target: '/assets/../index.html', climbs: true },
  { target: '/./package.json', climbs: true },
  { target: '/..\0/package.json', climbs: true },
  { target: '/index.html%00/../../../package.json', climbs: true },
  { target: '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', climbs: true },
  { target: '/package.json', climbs: false },
  { target: '/package.json%00.html', climbs: false },
  { target: '/etc/passwd', climbs: false },
  { target: '//etc/passwd', climbs: false },
  { target: '/%2fetc%2fpasswd', climbs: false },
  { target: '/.git/config', climbs: false },
  { target: '/.git/HEAD', climbs: false },
  { target: '/.env', climbs: false },
  { target: '/apps/server/src/config.ts', climbs: false },
  { target: '/apps/server/dist/server.mjs', climbs: false },
  { target: '/node_modules/@fastify/swagger-ui/package.json', climbs: false },
  { target: '/api/docs/static/../package.json', climbs: true },
];

function symlinksUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((entry) =>
    lstatSync(path.join(dir, entry)).isSymbolicLink(),
  );
}

it('never serves a file outside the web build, however the path is written, and falls back only to index.html', async () => {
  const variants = [
    ...PREFIXES.flatMap((prefix) =>
      CLIMBS.flatMap(({ step, climbs }) =>
        TARGETS.map(({ depth, file }) => ({ target: `${prefix}${step.repeat(depth)}${file}`, climbs })),
      ),
    ),
    ...SPECIALS,
  ];
  const leaks: string[] = [];
  const notRefused: string[] = [];
  const statuses = new Map<number, number>();
  for (const { target, climbs } of variants) {
    const response = await rawGet(server.port, target);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const marker = LEAK_MARKERS.find((text) => response.body.includes(text));
    if (marker) leaks.push(`${JSON.stringify(target)} → HTTP ${response.status} containing ${marker}`);
    else if (response.status === 200 && response.body !== indexHtml) {
      leaks.push(`${JSON.stringify(target)} → HTTP 200 that is not index.html: ${response.body.slice(0, 80)}`);
    }
    if (climbs && ![400, 403, 404].includes(response.status))
      notRefused.push(`${JSON.stringify(target)} → HTTP ${response.status}`);
  }
  const climbing = variants.filter((variant) => variant.climbs).length;
  const answers = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);

  reportFigure(
    CHECK,
    'path variants tried (climbing out / other file names)',
    `${variants.length} (${climbing} / ${variants.length - climbing})`,
  );
  reportFigure(CHECK, 'files served from outside the web build', leaks.length);
  reportFigure(CHECK, 'climbing variants not refused with 400/403/404', notRefused.length);
  reportFigure(CHECK, 'answers by status', answers.join(', '));
  reportFigure(CHECK, 'symlinks in the web build', symlinksUnder(WEB_DIST).length);

  expect(leaks).toEqual([]);
  expect(notRefused).toEqual([]);
  expect(symlinksUnder(WEB_DIST)).toEqual([]);
});
