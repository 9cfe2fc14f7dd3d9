import { Readable } from 'node:stream';
import {
  ErrorBody,
  ExecutionDetail,
  ExecutionIdParams,
  ExecutionListPage,
  ListExecutionsQuery,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectAccess, requirePrincipal } from '../../plugins/auth';
import { assertCanReadLogsOf, promptsToList, resolveProjectAccess } from '../access/policy';
import { getExecutionDetail, listExecutions, startExport } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const logsRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/executions', {
    onRequest: auth,
    schema: {
      tags: ['executions'],
      summary:
        'Executions, most recent first or by `sort` (latency, cost, tokens), filtered and keyset-paginated; narrow rows without payloads',
      querystring: ListExecutionsQuery,
      response: { 200: ExecutionListPage, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      return listExecutions(
        app.database,
        projectId,
        { ...request.query, promptId: promptsToList(logs, request.query.promptId) },
        app.config.limits.searchScanExecutions,
      );
    },
  });

  app.get('/api/v1/executions/export', {
    onRequest: auth,
    schema: {
      tags: ['executions'],
      summary:
        'Every execution matching the list filters, with payloads, as NDJSON (one record per line), most recent first',
      querystring: ListExecutionsQuery,
      response: { 200: z.unknown().describe('NDJSON: one ExecutionRecord per line'), ...errors },
    },
    handler: async (request, reply) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      const records = await startExport(
        app.database,
        projectId,
        request.query,
        promptsToList(logs, request.query.promptId),
        auditActor(request),
        app.config.limits.searchScanExecutions,
      );
      const lines = Readable.from(
        (async function* () {
          for await (const record of records) yield `${JSON.stringify(record)}\n`;
        })(),
      );
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="promptlog-executions-${date}.ndjson"`)
        .send(lines);
    },
  });

  app.get('/api/v1/executions/:id', {
    onRequest: auth,
    schema: {
      tags: ['executions'],
      summary: 'One execution with every field as ingested, the computed ones, its trace steps and its siblings',
      params: ExecutionIdParams,
      response: { 200: ExecutionDetail, ...errors },
    },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      // An API key's scope is checked before looking anything up, so an ingest-only key learns nothing.
      if (principal.kind === 'apiKey') projectAccess(request, undefined, 'logs');
      return getExecutionDetail(app.database, principal.projectIds, request.params.id, (projectId, promptId) => {
        assertCanReadLogsOf(resolveProjectAccess(principal.caller, projectId, 'logs').logs, promptId);
      });
    },
  });
};
