import { AuditPage, AuditQuery, ErrorBody } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectForRequest } from '../../plugins/auth';
import { listAuditEvents } from './service';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/audit', {
    onRequest: app.authenticate(['session']),
    schema: {
      tags: ['governance'],
      summary:
        "The project's audit log, newest first: who created or revoked keys, invited, changed roles or settings, exported",
      querystring: AuditQuery,
      response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) =>
      listAuditEvents(app.database, projectForRequest(request, request.query.projectId, 'admin'), request.query),
  });
};
