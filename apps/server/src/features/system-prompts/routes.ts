import { ErrorBody, PromptParams, SystemPromptList, SystemPromptsQuery } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { assertCanReadLogsOf } from '../access/policy';
import { listSystemPrompts } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const systemPromptRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/prompts/:promptId/system-prompts', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['prompts'],
      summary:
        "Every system prompt a prompt was logged with, per version, with its calls and first and last use: more than one text for a version is drift. The texts are payloads, so this needs the prompt's logs",
      params: PromptParams,
      querystring: SystemPromptsQuery,
      response: { 200: SystemPromptList, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      assertCanReadLogsOf(logs, request.params.promptId);
      return listSystemPrompts(app.database, projectId, request.params.promptId);
    },
  });
};
