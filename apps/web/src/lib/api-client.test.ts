import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, fieldErrors, setCsrfToken } from './api-client';
import { projectApiUrl } from './api-url';

function respond(status: number, body?: unknown, contentType = 'application/json') {
  const fetchMock = vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) =>
      new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': contentType },
      }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api', () => {
  it('sends JSON with same-origin credentials and returns the parsed body', async () => {
    const fetchMock = respond(200, { user: { id: '1', email: 'a@b.co' }, projects: [] });
    const me = await api.post('/api/auth/login', { email: 'a@b.co', password: 'x' });
    expect(me).toEqual({ user: { id: '1', email: 'a@b.co' }, projects: [] });
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(init?.body).toBe('{"email":"a@b.co","password":"x"}');
  });

  it('sends no content type without a body, which Fastify would reject as empty JSON', async () => {
    const fetchMock = respond(204);
    await expect(api.post('/api/auth/logout')).resolves.toBeUndefined();
    expect(fetchMock.mock.calls[0]?.[1]?.headers).not.toHaveProperty('content-type');
  });

  it('throws the server error code, message and issues', async () => {
    respond(400, {
      error: {
        code: 'validation_failed',
        message: 'Invalid request body',
        issues: [{ path: 'password', message: 'too short' }],
      },
    });
    const error = await api.post('/api/auth/setup', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Invalid request body',
      issues: [{ path: 'password', message: 'too short' }],
    });
  });

  it('explains a non-JSON failure such as a proxy error page', async () => {
    respond(502, '<html>Bad gateway</html>', 'text/html');
    await expect(api.get('/api/health')).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });

  it("sends the session's CSRF token with changes only", async () => {
    setCsrfToken('csrf-123');
    const fetchMock = respond(204);
    await api.post('/api/auth/logout');
    await api.patch(projectApiUrl('p1', '/api/v1/settings'), { retentionDays: 30 });
    await api.put(projectApiUrl('p1', '/api/v1/members/u/prompt-access/p'));
    await api.delete(projectApiUrl('p1', '/api/v1/api-keys/k'));
    await api.get('/api/auth/me');
    const sent = fetchMock.mock.calls.map(([, init]) => new Headers(init?.headers).get('x-csrf-token'));
    expect(sent).toEqual(['csrf-123', 'csrf-123', 'csrf-123', 'csrf-123', null]);
  });

  it('asks the user to reload when the CSRF check fails', async () => {
    respond(403, { error: { code: 'csrf_failed', message: 'CSRF token missing or wrong' } });
    const error = await api.post(projectApiUrl('p1', '/api/v1/invites'), {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, code: 'csrf_failed' });
    expect((error as ApiError).message).toMatch(/reload the page/i);
  });

  it('turns an unreachable server into a network error', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(api.get('/api/health')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('fieldErrors', () => {
  it('maps issue paths to form fields and keeps the rest', () => {
    const error = new ApiError(400, 'validation_failed', 'Invalid', [
      { path: 'email', message: 'invalid email address' },
      { path: 'body.password', message: 'must be at least 10 characters' },
      { path: '(root)', message: 'unexpected' },
    ]);
    expect(fieldErrors(error, ['email', 'password'] as const)).toEqual({
      byField: { email: 'Invalid email address', password: 'Must be at least 10 characters' },
      other: [{ path: '(root)', message: 'unexpected' }],
    });
  });
});
