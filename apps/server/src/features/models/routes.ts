import { ErrorBody, ModelList, ProjectQuery } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectForRequest } from '../../plugins/auth';
import { listModels } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const modelRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/models', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary:
        'Every model seen in the project, with its calls and exact spend (from the rollups) and its current price',
      querystring: ProjectQuery,
      response: { 200: ModelList, ...errors },
    },
    handler: async (request) =>
      listModels(app.database, projectForRequest(request, request.query.projectId, 'metrics')),
  });
};
