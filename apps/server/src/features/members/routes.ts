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
import { auditActor, projectForRequest, requireSession } from '../../plugins/auth';
import { recordAudit } from '../audit/service';
import { createInvite, getInvite, listPendingInvites, revokeInvite } from './invites';
import { changeRole, getMember, listMembers, removeMember, setPromptAccess } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const noContent = { 204: z.undefined(), ...errors };

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
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
      const { userId } = request.params;
      const member = await getMember(app.database, projectId, userId);
      await db.transaction(async (tx) => {
        const { from } = await changeRole(tx, projectId, userId, request.body.role);
        if (from === request.body.role) return;
        await recordAudit(tx, projectId, {
          action: 'member.role_changed',
          actor: auditActor(request),
          target: member.email,
          details: { userId, from, to: request.body.role },
        });
      });
      return getMember(app.database, projectId, userId);
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
      const { userId } = request.params;
      const member = await getMember(app.database, projectId, userId);
      await db.transaction(async (tx) => {
        const { role } = await removeMember(tx, projectId, userId);
        await recordAudit(tx, projectId, {
          action: 'member.removed',
          actor: auditActor(request),
          target: member.email,
          details: { userId, role },
        });
      });
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
      const { user } = requireSession(request);
      const { id, token } = await db.transaction(async (tx) => {
        const created = await createInvite(tx, projectId, request.body, user.id);
        await recordAudit(tx, projectId, {
          action: 'member.invited',
          actor: auditActor(request),
          target: request.body.email ?? null,
          details: { inviteId: created.id, role: request.body.role, expiresInHours: request.body.expiresInHours },
        });
        return created;
      });
      const invite = await getInvite(app.database, projectId, id);
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
      await db.transaction(async (tx) => {
        const { email } = await revokeInvite(tx, projectId, request.params.id);
        await recordAudit(tx, projectId, {
          action: 'invite.revoked',
          actor: auditActor(request),
          target: email,
          details: { inviteId: request.params.id },
        });
      });
      return reply.code(204).send();
    },
  });
};
