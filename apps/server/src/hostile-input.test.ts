import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { postgresErrorMessage } from './errors';
import { createTestProject, logIn, useTestApp } from './test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

describe('URLs the router cannot take', () => {
  it('answers an undecodable path and a too-long path parameter in the API error format', async () => {
    const project = await createTestProject(handle);
    const undecodable = await app.inject({ url: '/api/v1/traces/%ED%A0%80', headers: project.auth });
    expect(undecodable.statusCode).toBe(400);
    expect(undecodable.json()).toEqual({
      error: { code: 'bad_request', message: "'/api/v1/traces/%ED%A0%80' is not a valid url component" },
    });
    const long = await app.inject({ url: `/api/v1/traces/${'a'.repeat(601)}`, headers: project.auth });
    expect(long.statusCode).toBe(414);
    expect(long.json().error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/max param length/),
    });
  });

  it('refuses a NUL character (%00) anywhere in the URL, naming the query parameter it is in', async () => {
    const project = await createTestProject(handle);
    const filter = await app.inject({ url: '/api/v1/executions?model=gpt%00&meta.team%00=x', headers: project.auth });
    expect(filter.statusCode).toBe(400);
    expect(filter.json().error.issues).toEqual([
      { path: 'model', message: 'contains a NUL character (%00)' },
      { path: 'meta.team%00', message: 'contains a NUL character (%00)' },
    ]);
    const path = await app.inject({ url: '/api/v1/traces/trace%00', headers: project.auth });
    expect(path.statusCode).toBe(400);
    expect(path.json().error.issues).toEqual([{ path: '(path)', message: 'contains a NUL character (%00)' }]);
  });

  it('answers HEAD on the event stream at once instead of holding the connection open without a word', async () => {
    const project = await createTestProject(handle);
    // HEAD has no stream route, so it reaches /api/v1/executions/:id, where "events" is no id.
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/executions/events', headers: project.auth });
    expect(head.statusCode).toBe(400);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('refuses NUL characters and unpaired surrogates in settings, key labels and prices, naming the field', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    const as = { cookies: session.cookies, headers: { ...session.headers, 'content-type': 'application/json' } };
    const cases = [
      ['PATCH', '/api/v1/settings', { name: 'Acme\u0000' }, 'name'],
      ['PATCH', '/api/v1/settings', { name: 'Acme\ud800' }, 'name'],
      [
        'PATCH',
        '/api/v1/settings',
        { redaction: { builtins: [], custom: [{ name: 'x', pattern: 'a\udfff' }] } },
        'redaction.custom.0.pattern',
      ],
      ['POST', '/api/v1/api-keys', { label: 'ci\u0000', scopes: ['ingest'] }, 'label'],
      ['POST', '/api/v1/prices', { model: 'm\u0000', inputPerMillion: '1', outputPerMillion: '2' }, 'model'],
    ] as const;
    for (const [method, url, body, path] of cases) {
      const answer = await app.inject({ method, url, ...as, payload: JSON.stringify(body) });
      expect(answer.statusCode, `${url} ${path}`).toBe(400);
      expect(answer.json().error.issues).toEqual([
        { path, message: 'must not contain a NUL character (\\u0000) or an unpaired surrogate' },
      ]);
    }
  });

  it('refuses a payload sample rate too small for the database to hold', async () => {
    const project = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    const answer = await app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      cookies: session.cookies,
      headers: session.headers,
      payload: { payloadSampleRate: 1e-300 },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.issues).toEqual([
      { path: 'payloadSampleRate', message: 'must be 0 or at least 0.000001' },
    ]);
  });
});

describe('database errors', () => {
  it('are described by what the database said, without the query around it', () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const wrapped = new Error('Failed query: update "projects" set "name" = $1\nparams: x', { cause: refused });
    expect(postgresErrorMessage(wrapped)).toBe('invalid byte sequence for encoding "UTF8": 0x00');
  });
});
