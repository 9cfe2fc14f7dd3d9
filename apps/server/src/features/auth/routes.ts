import {
  AcceptInviteRequest,
  AuthStatus,
  ChangePasswordRequest,
  ErrorBody,
  InvitePreview,
  InviteTokenParams,
  LoginRequest,
  Me,
  SetupRequest,
  SetupResponse,
} from '@promptlog/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, postgresErrorCode } from '../../errors';
import { assertCsrfToken, requireSession, SESSION_COOKIE } from '../../plugins/auth';
import { recordAudit } from '../audit/service';
import { acceptInvite, previewInvite } from '../members/invites';
import { LoginThrottle } from './login-throttle';
import {
  changePassword,
  createInitialAdmin,
  createSession,
  createUser,
  deleteSession,
  deleteUserSessions,
  findSessionUser,
  getMe,
  needsSetup,
  verifyCredentials,
} from './service';

const noContent = { 204: z.undefined(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const maxAge = app.config.sessionDays * 86_400;
  const throttle = new LoginThrottle(db);
  const session = app.authenticate(['session']);

  async function startSession(request: FastifyRequest, reply: FastifyReply, user: { id: string; email: string }) {
    const token = await createSession(db, user.id, app.config.sessionDays);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge,
    });
    return getMe(app.database, user, token);
  }

  app.get('/api/auth/status', {
    schema: {
      tags: ['auth'],
      summary: 'Whether the first admin still has to be created',
      response: { 200: AuthStatus },
    },
    handler: async () => ({ needsSetup: await needsSetup(db) }),
  });

  app.post('/api/auth/setup', {
    schema: {
      tags: ['auth'],
      summary: 'First run: create the admin account, a project and its API key (shown once)',
      body: SetupRequest,
      response: { 201: SetupResponse, 400: ErrorBody, 409: ErrorBody },
    },
    handler: async (request, reply) => {
      const { userId, apiKey } = await createInitialAdmin(db, request.body);
      const me = await startSession(request, reply, { id: userId, email: request.body.email.toLowerCase() });
      return reply.code(201).send({ ...me, apiKey });
    },
  });

  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Log in with email and password; repeated failures are refused for a while (429)',
      body: LoginRequest,
      response: { 200: Me, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
    },
    handler: async (request, reply) => {
      const { email, password } = request.body;
      await throttle.admitAttempt(email, request.ip);
      const userId = await verifyCredentials(db, email, password);
      if (!userId) throw new AppError('unauthorized', 'Wrong email or password');
      await throttle.recordSuccess(email, request.ip);
      return startSession(request, reply, { id: userId, email: email.toLowerCase() });
    },
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'End this session', response: noContent },
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      // A stale cookie is simply cleared; a live session can only be ended by its own pages.
      if (token && (await findSessionUser(db, token))) {
        assertCsrfToken(request, token);
        await deleteSession(db, token);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  app.post('/api/auth/logout-everywhere', {
    onRequest: session,
    schema: {
      tags: ['auth'],
      summary: 'End every session of this user, on every device, this one included',
      response: noContent,
    },
    handler: async (request, reply) => {
      await deleteUserSessions(db, requireSession(request).user.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  app.post('/api/auth/password', {
    onRequest: session,
    schema: {
      tags: ['auth'],
      summary:
        'Change the password; every other session of the user ends. Wrong current passwords count as failed logins',
      body: ChangePasswordRequest,
      response: { 204: z.undefined(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
    handler: async (request, reply) => {
      const { user, sessionToken } = requireSession(request);
      // A stolen session must not be able to guess the password either.
      await throttle.admitAttempt(user.email, request.ip);
      await changePassword(db, user, sessionToken, request.body);
      await throttle.recordSuccess(user.email, request.ip);
      return reply.code(204).send();
    },
  });

  app.get('/api/auth/me', {
    onRequest: session,
    schema: {
      tags: ['auth'],
      summary: 'The logged-in user, their projects and the CSRF token for changes',
      response: { 200: Me, 401: ErrorBody },
    },
    handler: async (request) => {
      const { user, sessionToken } = requireSession(request);
      return getMe(app.database, user, sessionToken);
    },
  });

  app.get('/api/auth/invites/:token', {
    schema: {
      tags: ['auth'],
      summary: 'What an invite link grants, before accepting it',
      params: InviteTokenParams,
      response: { 200: InvitePreview, 404: ErrorBody },
    },
    handler: async (request) => previewInvite(app.database, request.params.token),
  });

  app.post('/api/auth/invites/:token/accept', {
    schema: {
      tags: ['auth'],
      summary:
        'Accept an invite: logged in, with an empty body; otherwise with email and password to create an account',
      params: InviteTokenParams,
      body: AcceptInviteRequest,
      response: { 200: Me, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
    handler: async (request, reply) => {
      const { token } = request.params;
      const cookieToken = request.cookies[SESSION_COOKIE];
      const current = cookieToken ? await findSessionUser(db, cookieToken) : null;
      if (current && cookieToken) {
        assertCsrfToken(request, cookieToken);
        await db.transaction(async (tx) => {
          const joined = await acceptInvite(tx, token, current.id);
          await recordAudit(tx, joined.projectId, {
            action: 'member.joined',
            actor: { kind: 'user', id: current.id, label: current.email },
            target: current.email,
            details: { role: joined.role, inviteId: joined.inviteId },
          });
        });
        return getMe(app.database, current, cookieToken);
      }

      const { email, password } = request.body;
      if (!email || !password) {
        throw new AppError('validation_failed', 'Log in first, or create an account with email and password', [
          ...(email ? [] : [{ path: 'email', message: 'is required to create an account' }]),
          ...(password ? [] : [{ path: 'password', message: 'is required to create an account' }]),
        ]);
      }
      const user = await db.transaction(async (tx) => {
        const userId = await createUser(tx, email, password).catch((error: unknown) => {
          if (postgresErrorCode(error) === '23505') {
            throw new AppError(
              'conflict',
              'An account with this email exists; log in, then open the invite link again',
            );
          }
          throw error;
        });
        const joined = await acceptInvite(tx, token, userId);
        await recordAudit(tx, joined.projectId, {
          action: 'member.joined',
          actor: { kind: 'user', id: userId, label: email.toLowerCase() },
          target: email.toLowerCase(),
          details: { role: joined.role, inviteId: joined.inviteId },
        });
        return { id: userId, email: email.toLowerCase() };
      });
      return startSession(request, reply, user);
    },
  });
};
