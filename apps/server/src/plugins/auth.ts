import cookie from '@fastify/cookie';
import { CSRF_HEADER } from '@promptlog/contracts';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';
import { loadUserProjects } from '../features/access/memberships';
import { type Caller, type Need, type ProjectAccess, resolveProjectAccess } from '../features/access/policy';
import { ApiKeyCache } from '../features/api-keys/key-cache';
import { type ActiveApiKey, touchApiKey } from '../features/api-keys/service';
import { csrfTokenFor, findSessionUser } from '../features/auth/service';
import { safeEqual } from '../lib/secrets';

export const SESSION_COOKIE = 'promptlog_session';

export type Principal =
  | { kind: 'apiKey'; projectIds: string[]; caller: Caller; apiKey: ActiveApiKey }
  | {
      kind: 'session';
      projectIds: string[];
      caller: Caller;
      user: { id: string; email: string };
      sessionToken: string;
    };
export type PrincipalKind = Principal['kind'];

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** An onRequest hook admitting only the given kinds of credentials. */
    authenticate(accepted: PrincipalKind[]): onRequestAsyncHookHandler;
    /** An onRequest hook naming a live session's user, when there is one (its CSRF token checked), and admitting anyone. */
    identifySession: onRequestAsyncHookHandler;
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

const DESCRIBE: Record<PrincipalKind, string> = {
  apiKey: 'an API key (Authorization: Bearer <key>)',
  session: 'a logged-in session',
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const ACCEPTED = new WeakMap<object, PrincipalKind[]>();

/** The credentials an onRequest hook made by `authenticate` admits (for the API docs); none for any other hook. */
export function credentialsAcceptedBy(hook: unknown): PrincipalKind[] {
  return (typeof hook === 'function' && ACCEPTED.get(hook)) || [];
}

/**
 * A cookie is sent with cross-site requests too, so every change made with one must also carry the session's
 * CSRF token, which only a page of this origin can have read (from /api/auth/me or the login response).
 */
function assertCsrfToken(request: FastifyRequest, sessionToken: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !safeEqual(sent, csrfTokenFor(sessionToken))) {
    throw new AppError('csrf_failed', `Missing or stale ${CSRF_HEADER} header; reload the page and try again`);
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(cookie);
    app.decorateRequest('principal', null);

    const apiKeys = new ApiKeyCache(app.database);
    try {
      await apiKeys.start();
    } catch (error) {
      app.log.warn({ err: error }, 'cannot listen for API key changes; every request reads its key');
    }
    app.addHook('onClose', () => apiKeys.stop());
    // What a logged-in user changes may be what a cached key carries (a revocation, redaction rules, a price): this
    // process forgets before answering, so the next request sees it; the others hear of it at commit.
    app.addHook('onSend', async (request, _reply, payload) => {
      if (request.principal?.kind === 'session' && !SAFE_METHODS.has(request.method)) apiKeys.forget();
      return payload;
    });

    async function apiKeyPrincipal(token: string): Promise<Principal> {
      const apiKey = await apiKeys.find(token);
      if (!apiKey) throw new AppError('unauthorized', 'The API key is unknown, expired or revoked');
      touchApiKey(app.database.db, apiKey, (error) => app.log.warn({ err: error }, 'could not record API key use'));
      return {
        kind: 'apiKey',
        projectIds: [apiKey.projectId],
        caller: { kind: 'apiKey', projectId: apiKey.projectId, scopes: apiKey.scopes },
        apiKey,
      };
    }

    async function sessionPrincipal(token: string): Promise<Principal | null> {
      const user = await findSessionUser(app.database.db, token);
      if (!user) return null;
      const { memberships } = await loadUserProjects(app.database, user.id);
      return {
        kind: 'session',
        projectIds: [...memberships.keys()],
        caller: { kind: 'session', memberships },
        user,
        sessionToken: token,
      };
    }

    const authenticateAs = (accepted: PrincipalKind[]) => async (request: FastifyRequest) => {
      const bearer = bearerToken(request);
      if (bearer && accepted.includes('apiKey')) {
        request.principal = await apiKeyPrincipal(bearer);
        return;
      }
      const sessionToken = request.cookies[SESSION_COOKIE];
      if (sessionToken && accepted.includes('session')) {
        request.principal = await sessionPrincipal(sessionToken);
        if (request.principal) {
          assertCsrfToken(request, sessionToken);
          return;
        }
      }
      throw new AppError('unauthorized', `Authentication required: ${accepted.map((k) => DESCRIBE[k]).join(' or ')}`);
    };

    app.decorate('identifySession', async (request: FastifyRequest) => {
      const sessionToken = request.cookies[SESSION_COOKIE];
      if (!sessionToken) return;
      request.principal = await sessionPrincipal(sessionToken);
      if (request.principal) assertCsrfToken(request, sessionToken);
    });

    app.decorate('authenticate', (accepted: PrincipalKind[]) => {
      const hook = authenticateAs(accepted);
      ACCEPTED.set(hook, accepted);
      return hook;
    });
  },
  { name: 'auth', dependencies: ['config'] },
);

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Authentication required');
  return request.principal;
}

export function requireSession(request: FastifyRequest): Extract<Principal, { kind: 'session' }> {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'session') throw new AppError('unauthorized', 'Log in first');
  return principal;
}

/** The key behind an ingestion request, which must carry the ingest scope. */
export function requestIngestKey(request: FastifyRequest): ActiveApiKey {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'apiKey') throw new AppError('forbidden', 'This route needs a project API key');
  resolveProjectAccess(principal.caller, undefined, 'ingest');
  return principal.apiKey;
}

/**
 * The project a request acts on and what the caller may see there: an API key's own project, or for a session the
 * requested project (or its only one). Projects outside the caller's reach are reported as not found.
 */
export function projectAccess(request: FastifyRequest, requested: string | undefined, need: Need): ProjectAccess {
  return resolveProjectAccess(requirePrincipal(request).caller, requested, need);
}

export function projectForRequest(request: FastifyRequest, requested: string | undefined, need: Need): string {
  return projectAccess(request, requested, need).projectId;
}

/** How the audit log names whoever made the request. */
export function auditActor(request: FastifyRequest): { kind: 'user' | 'api_key'; id: string; label: string } {
  const principal = requirePrincipal(request);
  return principal.kind === 'session'
    ? { kind: 'user', id: principal.user.id, label: principal.user.email }
    : { kind: 'api_key', id: principal.apiKey.id, label: principal.apiKey.label };
}
