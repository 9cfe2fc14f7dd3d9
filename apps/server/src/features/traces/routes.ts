import { ErrorBody, TraceParams, TraceQuery, TraceView } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { getTrace } from './service';

export const traceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/traces/:traceId', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['traces'],
      summary:
        'One run of a chain, agent or workflow: its LLM calls and other steps as a tree, with totals and where it stopped',
      params: TraceParams,
      querystring: TraceQuery,
      response: { 200: TraceView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'metrics');
      return getTrace(app.database, projectId, request.params.traceId, logs);
    },
  });
};
