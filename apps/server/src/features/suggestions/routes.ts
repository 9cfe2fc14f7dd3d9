import { ErrorBody, Suggestions, SuggestionsQuery } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectForRequest } from '../../plugins/auth';
import { suggestValues } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const suggestionRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/suggestions', {
    onRequest: auth,
    schema: {
      tags: ['analytics'],
      summary: 'Values a filter field (model, tag) has taken in a project or prompt, from the daily rollups',
      querystring: SuggestionsQuery,
      response: { 200: Suggestions, ...errors },
    },
    handler: async (request) =>
      suggestValues(app.database, projectForRequest(request, request.query.projectId, 'metrics'), request.query),
  });
};
