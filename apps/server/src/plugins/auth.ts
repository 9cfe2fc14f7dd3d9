import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';
import { type ActiveApiKey, findActiveApiKey, touchApiKey } from '../features/api-keys/service';
import { findSessionUser, getMe } from '../features/auth/service';

export const SESSION_COOKIE = 'promptlog_session';

export type Principal =
  | { kind: 'apiKey'; projectIds: string[]; apiKey: ActiveApiKey }
  | {
      kind: 'session';
      projectIds: string[];
      roles: Map<string, ProjectRole>;
      user: { id: string; email: string };
      sessionToken: string;
    };
export type PrincipalKind = Principal['kind'];
type ProjectRole = 'viewer' | 'editor' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** An onRequest hook admitting only the given kinds of credentials. */
    authenticate(accepted: PrincipalKind[]): onRequestAsyncHookHandler;
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

export const authPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(cookie);
    app.decorateRequest('principal', null);

    async function apiKeyPrincipal(token: string): Promise<Principal> {
      const apiKey = await findActiveApiKey(app.database, token);
      if (!apiKey) throw new AppError('unauthorized', 'The API key is unknown, expired or revoked');
      touchApiKey(app.database.db, apiKey, (error) => app.log.warn({ err: error }, 'could not record API key use'));
      return { kind: 'apiKey', projectIds: [apiKey.projectId], apiKey };
    }

    async function sessionPrincipal(token: string): Promise<Principal | null> {
      const user = await findSessionUser(app.database.db, token);
      if (!user) return null;
      const me = await getMe(app.database.db, user);
      return {
        kind: 'session',
        projectIds: me.projects.map((p) => p.id),
        roles: new Map(me.projects.map((p) => [p.id, p.role])),
        user,
        sessionToken: token,
      };
    }

    app.decorate('authenticate', (accepted: PrincipalKind[]) => async (request: FastifyRequest) => {
      const bearer = bearerToken(request);
      if (bearer && accepted.includes('apiKey')) {
        request.principal = await apiKeyPrincipal(bearer);
        return;
      }
      const sessionToken = request.cookies[SESSION_COOKIE];
      if (sessionToken && accepted.includes('session')) {
        request.principal = await sessionPrincipal(sessionToken);
        if (request.principal) return;
      }
      throw new AppError('unauthorized', `Authentication required: ${accepted.map((k) => DESCRIBE[k]).join(' or ')}`);
    });
  },
  { name: 'auth', dependencies: ['config'] },
);

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'Authentication required');
  return request.principal;
}

/** The key behind an API-key request, carrying its project. */
export function requestApiKey(request: FastifyRequest): ActiveApiKey {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'apiKey') throw new AppError('forbidden', 'This route needs a project API key');
  return principal.apiKey;
}

/**
 * The project a request acts on: an API key's own project, or for a session the requested project
 * (or its only one). Projects outside the caller's reach are reported as not found.
 */
export function projectForRequest(
  request: FastifyRequest,
  requested: string | undefined,
  needs: ProjectRole = 'viewer',
): string {
  const principal = requirePrincipal(request);
  if (principal.kind === 'apiKey') {
    if (requested && requested !== principal.apiKey.projectId)
      throw new AppError('not_found', `No project ${requested}`);
    return principal.apiKey.projectId;
  }
  const projectId = requested ?? (principal.projectIds.length === 1 ? principal.projectIds[0] : undefined);
  if (!projectId) throw new AppError('validation_failed', 'Say which project: add ?projectId=<id>');
  const role = principal.roles.get(projectId);
  if (!role) throw new AppError('not_found', `No project ${projectId}`);
  const rank = { viewer: 0, editor: 1, admin: 2 };
  if (rank[role] < rank[needs]) throw new AppError('forbidden', `This needs the ${needs} role in the project`);
  return projectId;
}
