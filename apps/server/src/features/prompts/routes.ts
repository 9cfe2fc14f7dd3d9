import { ErrorBody, ProjectQuery, PromptList, PromptParams, PromptSummary } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { canReadLogsOf } from '../access/policy';
import { selectPromptSummaries } from './queries';
import { getPromptSummary } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const promptRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/prompts', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['prompts'],
      summary:
        'Every prompt with its last run, the versions seen, and over the last 24 hours (from the hourly rollups) its runs, error rate, exact cost, p95 latency and runs per hour',
      querystring: ProjectQuery,
      response: { 200: PromptList, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'metrics');
      const prompts = await selectPromptSummaries(app.database, projectId);
      return { items: prompts.map((prompt) => ({ ...prompt, canViewLogs: canReadLogsOf(logs, prompt.id) })) };
    },
  });

  app.get('/api/v1/prompts/:promptId', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['prompts'],
      summary: 'One prompt with the same figures as in the list; 404 for a prompt never seen',
      params: PromptParams,
      querystring: ProjectQuery,
      response: { 200: PromptSummary, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'metrics');
      const prompt = await getPromptSummary(app.database, projectId, request.params.promptId);
      return { ...prompt, canViewLogs: canReadLogsOf(logs, prompt.id) };
    },
  });
};
