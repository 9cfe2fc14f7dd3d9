import { ErrorBody, Suggestions, SuggestionsQuery } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { SUGGESTION_NEEDS, suggestValues } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const suggestionRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/suggestions', {
    onRequest: auth,
    schema: {
      tags: ['analytics'],
      summary:
        'Values a filter field has taken in a project or prompt, from the daily rollups: models (analytics, any member), ' +
        'tags (of the prompts whose logs the caller reads)',
      querystring: SuggestionsQuery,
      response: { 200: Suggestions, ...errors },
    },
    handler: async (request) =>
      suggestValues(
        app.database,
        projectAccess(request, request.query.projectId, SUGGESTION_NEEDS[request.query.field]),
        request.query,
      ),
  });
};
