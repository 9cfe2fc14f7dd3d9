import { AuthStatus, ErrorBody, LoginRequest, Me, SetupRequest, SetupResponse } from '@promptlog/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors';
import { requirePrincipal, SESSION_COOKIE } from '../../plugins/auth';
import { createInitialAdmin, createSession, deleteSession, getMe, needsSetup, verifyCredentials } from './service';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const maxAge = app.config.sessionDays * 86_400;

  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string) {
    const token = await createSession(db, userId, app.config.sessionDays);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: request.protocol === 'https',
      maxAge,
    });
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
      await startSession(request, reply, userId);
      const me = await getMe(db, { id: userId, email: request.body.email.toLowerCase() });
      return reply.code(201).send({ ...me, apiKey });
    },
  });

  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Log in with email and password',
      body: LoginRequest,
      response: { 200: Me, 400: ErrorBody, 401: ErrorBody },
    },
    handler: async (request, reply) => {
      const userId = await verifyCredentials(db, request.body.email, request.body.password);
      if (!userId) throw new AppError('unauthorized', 'Wrong email or password');
      await startSession(request, reply, userId);
      return getMe(db, { id: userId, email: request.body.email.toLowerCase() });
    },
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.undefined() } },
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  app.get('/api/auth/me', {
    onRequest: app.authenticate(['session']),
    schema: { tags: ['auth'], summary: 'The logged-in user and their projects', response: { 200: Me, 401: ErrorBody } },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      if (principal.kind !== 'session') throw new AppError('unauthorized', 'Log in first');
      return getMe(db, principal.user);
    },
  });
};
