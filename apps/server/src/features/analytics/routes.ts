import {
  AnalyticsFilters,
  AnalyticsSummary,
  Breakdown,
  BreakdownQuery,
  ErrorBody,
  PromptParams,
  Timeseries,
  TimeseriesQuery,
  VersionComparison,
  VersionComparisonQuery,
} from '@promptlog/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { projectForRequest, requirePrincipal } from '../../plugins/auth';
import { breakdown, compareVersions, summarize, timeseries } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** One project, or with allProjects=true every project of a logged-in user. */
function projectsFor(request: FastifyRequest, filters: AnalyticsFilters): string[] {
  if (!filters.allProjects) return [projectForRequest(request, filters.projectId, 'metrics')];
  const principal = requirePrincipal(request);
  if (principal.kind !== 'session') {
    throw new AppError('validation_failed', 'Invalid scope', [
      { path: 'allProjects', message: 'needs a logged-in user; an API key covers its own project' },
    ]);
  }
  return principal.projectIds;
}

export const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/analytics/summary', {
    onRequest: auth,
    schema: {
      tags: ['analytics'],
      summary: 'Calls, success and error rates, tokens, exact cost and latency of a slice, from the hourly rollups',
      querystring: AnalyticsFilters,
      response: { 200: AnalyticsSummary, ...errors },
    },
    handler: async (request) => summarize(app.database, projectsFor(request, request.query), request.query),
  });

  app.get('/api/v1/analytics/timeseries', {
    onRequest: auth,
    schema: {
      tags: ['analytics'],
      summary: 'The same measures per hour or day in a time zone, every bucket present',
      querystring: TimeseriesQuery,
      response: { 200: Timeseries, ...errors },
    },
    handler: async (request) => timeseries(app.database, projectsFor(request, request.query), request.query),
  });

  app.get('/api/v1/analytics/breakdown', {
    onRequest: auth,
    schema: {
      tags: ['analytics'],
      summary: 'The measures per model, provider, source, version, status, error type, field or prompt',
      querystring: BreakdownQuery,
      response: { 200: Breakdown, ...errors },
    },
    handler: async (request) => breakdown(app.database, projectsFor(request, request.query), request.query),
  });

  app.get('/api/v1/prompts/:promptId/compare', {
    onRequest: auth,
    schema: {
      tags: ['analytics'],
      summary:
        'Version b of a prompt against version a over a window and filters, from the rollups: each measure called better or worse only when significant, with its test and interval',
      params: PromptParams,
      querystring: VersionComparisonQuery,
      response: { 200: VersionComparison, ...errors },
    },
    handler: async (request) =>
      compareVersions(
        app.database,
        projectForRequest(request, request.query.projectId, 'metrics'),
        request.params.promptId,
        request.query,
      ),
  });
};
