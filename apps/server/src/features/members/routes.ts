import {
  CreatedInvite,
  CreateInviteRequest,
  ErrorBody,
  InviteIdParams,
  InviteList,
  Member,
  MemberList,
  MemberParams,
  ProjectQuery,
  PromptAccessParams,
  UpdateMemberRequest,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectForRequest } from '../../plugins/auth';
import { listPendingInvites } from './invites';
import { changeMemberRole, inviteMember, listMembers, removeMember, revokeInvite, setPromptAccess } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const noContent = { 204: z.undefined(), ...errors };

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminSession = app.authenticate(['session']);

  app.get('/api/v1/members', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'The members of the project with their roles and prompt grants',
      querystring: ProjectQuery,
      response: { 200: MemberList, ...errors },
    },
    handler: async (request) => ({
      items: await listMembers(app.database, projectForRequest(request, request.query.projectId, 'admin')),
    }),
  });

  app.patch('/api/v1/members/:userId', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: "Change a member's role; the last admin cannot be demoted",
      querystring: ProjectQuery,
      params: MemberParams,
      body: UpdateMemberRequest,
      response: { 200: Member, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      const change = { userId: request.params.userId, role: request.body.role };
      return changeMemberRole(app.database, projectId, change, auditActor(request));
    },
  });

  app.delete('/api/v1/members/:userId', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Remove a member from the project (their account stays); the last admin cannot be removed',
      querystring: ProjectQuery,
      params: MemberParams,
      response: noContent,
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      await removeMember(app.database, projectId, request.params.userId, auditActor(request));
      return reply.code(204).send();
    },
  });

  app.put('/api/v1/members/:userId/prompt-access/:promptId', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Give a member edit access to one prompt, and so its logs',
      querystring: ProjectQuery,
      params: PromptAccessParams,
      response: noContent,
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      await setPromptAccess(app.database, projectId, { ...request.params, granted: true }, auditActor(request));
      return reply.code(204).send();
    },
  });

  app.delete('/api/v1/members/:userId/prompt-access/:promptId', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: "Take back a member's access to one prompt",
      querystring: ProjectQuery,
      params: PromptAccessParams,
      response: noContent,
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      await setPromptAccess(app.database, projectId, { ...request.params, granted: false }, auditActor(request));
      return reply.code(204).send();
    },
  });

  app.get('/api/v1/invites', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Invites that can still be accepted',
      querystring: ProjectQuery,
      response: { 200: InviteList, ...errors },
    },
    handler: async (request) => ({
      items: await listPendingInvites(app.database, projectForRequest(request, request.query.projectId, 'admin')),
    }),
  });

  app.post('/api/v1/invites', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Create a one-time, expiring invite link; the link is in this response only',
      querystring: ProjectQuery,
      body: CreateInviteRequest,
      response: { 201: CreatedInvite, ...errors },
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      const { invite, token } = await inviteMember(app.database, projectId, request.body, auditActor(request));
      return reply.code(201).send({ invite, token, url: `/invite/${token}` });
    },
  });

  app.delete('/api/v1/invites/:id', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Revoke an invite that has not been used',
      querystring: ProjectQuery,
      params: InviteIdParams,
      response: noContent,
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      await revokeInvite(app.database, projectId, request.params.id, auditActor(request));
      return reply.code(204).send();
    },
  });
};
