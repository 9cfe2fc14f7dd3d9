import { Readable } from 'node:stream';
import { DatasetParams, ErrorBody, ListExecutionsQuery } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectAccess } from '../../plugins/auth';
import { promptsToList } from '../access/policy';
import { startDatasetExport } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const CONTENT_TYPES = { jsonl: 'application/jsonl; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export const datasetRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/v1/executions/dataset/:format', {
    onRequest: app.authenticate(['apiKey', 'session']),
    schema: {
      tags: ['executions'],
      summary:
        'Every execution the list filters select (the review queue is flagged=true&reviewed=false), newest first, as a dataset: inputs, system prompt, messages, output, rating, note, labels, model and version; JSON Lines or CSV, streamed',
      params: DatasetParams,
      querystring: ListExecutionsQuery,
      response: { 200: z.unknown().describe('JSON Lines (one object per line) or CSV with a header row'), ...errors },
    },
    handler: async (request, reply) => {
      const { format } = request.params;
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      const text = await startDatasetExport(
        app.database,
        projectId,
        format,
        request.query,
        promptsToList(logs, request.query.promptId),
        auditActor(request),
        app.config.limits.searchScanExecutions,
      );
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="promptlog-dataset-${date}.${format}"`)
        .send(Readable.from(text));
    },
  });
};
