import { ErrorBody, PromptParams, VersionSamples, VersionSamplesQuery } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { assertCanReadLogsOf } from '../access/policy';
import { listComparedSamples } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const compareSampleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/prompts/:promptId/compare/samples', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['analytics'],
      summary:
        "Calls of versions a and b that had the same inputs, side by side with their outputs and signals: up to 20 pairs among each version's latest 2,000 calls. Outputs are payloads, so this needs the prompt's logs",
      params: PromptParams,
      querystring: VersionSamplesQuery,
      response: { 200: VersionSamples, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      assertCanReadLogsOf(logs, request.params.promptId);
      return listComparedSamples(app.database, projectId, request.params.promptId, request.query);
    },
  });
};
