import {
  ErrorBody,
  ExecutionDetail,
  ExecutionIdParams,
  ExecutionListPage,
  ListExecutionsQuery,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectForRequest, requirePrincipal } from '../../plugins/auth';
import { getExecutionDetail, listExecutions } from './service';

export const logsRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/executions', {
    onRequest: auth,
    schema: {
      tags: ['executions'],
      summary: 'Executions, most recent first, filtered and keyset-paginated; narrow rows without payloads',
      querystring: ListExecutionsQuery,
      response: { 200: ExecutionListPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) =>
      listExecutions(app.database, projectForRequest(request, request.query.projectId), request.query),
  });

  app.get('/api/v1/executions/:id', {
    onRequest: auth,
    schema: {
      tags: ['executions'],
      summary: 'One execution with every field as ingested, the computed ones, its trace steps and its siblings',
      params: ExecutionIdParams,
      response: { 200: ExecutionDetail, 401: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) =>
      getExecutionDetail(app.database, requirePrincipal(request).projectIds, request.params.id),
  });
};
