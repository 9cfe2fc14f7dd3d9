import { ErrorBody, ProjectQuery, PromptList } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { canReadLogsOf } from '../access/policy';
import { selectPromptSummaries } from './queries';

export const promptRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/prompts', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['prompts'],
      summary: 'Every prompt with its last run, runs and error rate over the last 24 hours, and the versions seen',
      querystring: ProjectQuery,
      response: { 200: PromptList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'metrics');
      const prompts = await selectPromptSummaries(app.database, projectId);
      return { items: prompts.map((prompt) => ({ ...prompt, canViewLogs: canReadLogsOf(logs, prompt.id) })) };
    },
  });
};
