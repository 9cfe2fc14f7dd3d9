import {
  BatchRequest,
  BatchResponse,
  CreatedExecution,
  ErrorBody,
  ExecutionIdParams,
  ExecutionInput,
  ExecutionPatch,
  ExecutionRecord,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestApiKey } from '../../plugins/auth';
import { completeExecution, ingestBatch, ingestExecution } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 413: ErrorBody };

export const executionRoutes: FastifyPluginAsyncZod = async (app) => {
  const limits = app.config.limits;

  app.post('/api/v1/executions', {
    onRequest: app.authenticate(['apiKey']),
    schema: {
      tags: ['ingestion'],
      summary: 'Log one execution (201 when stored, 200 when this id was already stored)',
      body: ExecutionInput,
      response: { 200: CreatedExecution, 201: CreatedExecution, ...errors },
    },
    handler: async (request, reply) => {
      const result = await ingestExecution(app.database, requestApiKey(request), request.body, limits);
      return reply.code(result.created ? 201 : 200).send({ id: result.id });
    },
  });

  app.post('/api/v1/executions/batch', {
    onRequest: app.authenticate(['apiKey']),
    schema: {
      tags: ['ingestion'],
      summary: 'Log many executions; one result per item, in request order',
      body: BatchRequest,
      response: { 200: BatchResponse, ...errors },
    },
    handler: async (request) => ({
      results: await ingestBatch(app.database, requestApiKey(request), request.body.executions, limits),
    }),
  });

  app.patch('/api/v1/executions/:id', {
    onRequest: app.authenticate(['apiKey']),
    schema: {
      tags: ['ingestion'],
      summary: 'Complete a pending execution',
      params: ExecutionIdParams,
      body: ExecutionPatch,
      response: { 200: ExecutionRecord, 404: ErrorBody, 409: ErrorBody, ...errors },
    },
    handler: async (request) =>
      completeExecution(app.database, requestApiKey(request), request.params.id, request.body),
  });
};
