import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test/harness';

let app: FastifyInstance;
useTestApp((opened) => {
  ({ app } = opened);
});

type Operation = { security?: Record<string, string[]>[] };
type Document = {
  security?: unknown;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

/** Every documented operation as "METHOD /path" with the credentials its lock asks for. */
function operations(document: Document): Map<string, string[][]> {
  return new Map(
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => [
        `${method.toUpperCase()} ${path}`,
        (operation.security ?? []).map((requirement) => Object.keys(requirement)),
      ]),
    ),
  );
}

describe('the API docs mark what needs credentials', () => {
  it('leaves the public routes unlocked and locks every other one', async () => {
    const document = app.swagger() as unknown as Document;
    expect(document.security).toBeUndefined();
    const all = operations(document);
    const unlocked = [...all].filter(([, security]) => security.length === 0).map(([route]) => route);
    expect(unlocked.sort()).toEqual(
      [
        'GET /api/health',
        'GET /api/auth/status',
        'POST /api/auth/setup',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'GET /api/auth/invites/{token}',
        'POST /api/auth/invites/{token}/accept',
      ].sort(),
    );
    expect(all.size).toBeGreaterThan(unlocked.length + 20);
  });

  it('names the credentials each locked route accepts: a key, a session, or either', async () => {
    const document = app.swagger() as unknown as Document;
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
    const all = operations(document);
    expect(all.get('POST /api/v1/executions')).toEqual([['apiKey']]);
    expect(all.get('POST /api/otel/v1/traces')).toEqual([['apiKey']]);
    expect(all.get('GET /api/v1/members')).toEqual([['session']]);
    expect(all.get('POST /api/v1/projects')).toEqual([['session']]);
    expect(all.get('GET /api/auth/me')).toEqual([['session']]);
    expect(all.get('GET /api/v1/prompts')).toEqual([['apiKey'], ['session']]);
  });

  it('serves the docs page', async () => {
    const page = await app.inject({ url: '/api/docs/json' });
    expect(page.statusCode).toBe(200);
    expect(page.json().paths['/api/health'].get.security).toBeUndefined();
  });
});
