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
import { requireSession, SESSION_COOKIE } from '../../plugins/auth';
import { previewInvite } from '../members/invites';
import { LoginThrottle } from './login-throttle';
import {
  changePassword,
  deleteSession,
  deleteUserSessions,
  getMe,
  joinByInvite,
  logIn,
  needsSetup,
  type StartedSession,
  setUp,
  signUpByInvite,
} from './service';

const noContent = { 204: z.undefined(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const { sessionDays } = app.config;
  const throttle = new LoginThrottle(db);
  const session = app.authenticate(['session']);

  /** Hands a new session to the browser as its cookie and answers with who is now logged in. */
  function sendSession(request: FastifyRequest, reply: FastifyReply, { user, sessionToken }: StartedSession) {
    reply.setCookie(SESSION_COOKIE, sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge: sessionDays * 86_400,
    });
    return getMe(app.database, user, sessionToken);
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
      const started = await setUp(db, request.body, sessionDays);
      const me = await sendSession(request, reply, started);
      return reply.code(201).send({ ...me, apiKey: started.apiKey });
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
      const started = await logIn(db, throttle, request.body, request.ip, sessionDays);
      return sendSession(request, reply, started);
    },
  });

  app.post('/api/auth/logout', {
    // A stale cookie is simply cleared; a live session can only be ended by its own pages (the hook checks the token).
    onRequest: app.identifySession,
    schema: { tags: ['auth'], summary: 'End this session', response: noContent },
    handler: async (request, reply) => {
      if (request.principal?.kind === 'session') await deleteSession(db, request.principal.sessionToken);
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
      await changePassword(db, throttle, { user, sessionToken, clientAddress: request.ip }, request.body);
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
    onRequest: app.identifySession,
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
      const current = request.principal?.kind === 'session' ? request.principal : null;
      if (current) {
        await joinByInvite(db, token, current.user);
        return getMe(app.database, current.user, current.sessionToken);
      }
      return sendSession(request, reply, await signUpByInvite(db, token, request.body, sessionDays));
    },
  });
};
