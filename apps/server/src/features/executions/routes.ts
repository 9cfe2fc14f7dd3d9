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
import { z } from 'zod';
import { limitTransactions } from '../../lib/limited-transactions';
import { requestIngestKey } from '../../plugins/auth';
import { GROUPED_WRITES, GroupedWrites } from './grouped-writes';
import { completeExecution, ingestBatch, ingestExecution, storedRef } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 413: ErrorBody };

export const executionRoutes: FastifyPluginAsyncZod = async (app) => {
  const limits = app.config.limits;
  const singleWrites = new GroupedWrites(app.database, { ...GROUPED_WRITES, maxInFlight: limits.ingestStatements });
  const batchWrites = limitTransactions(app.database, limits.ingestStatements);

  app.post('/api/v1/executions', {
    onRequest: app.authenticate(['apiKey']),
    schema: {
      tags: ['ingestion'],
      summary: 'Log one execution (201 when stored, 200 when this id was already stored)',
      body: ExecutionInput,
      response: { 200: CreatedExecution, 201: CreatedExecution, ...errors },
    },
    handler: async (request, reply) => {
      const apiKey = requestIngestKey(request);
      const result = await ingestExecution(singleWrites, apiKey, request.body, limits);
      if (result.created) {
        app.executionEvents.publish([
          { type: 'created', projectId: apiKey.projectId, ...storedRef(result.id, request.body) },
        ]);
      }
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
    handler: async (request) => {
      const apiKey = requestIngestKey(request);
      const { results, created } = await ingestBatch(batchWrites, apiKey, request.body.executions, limits);
      app.executionEvents.publish(created.map((e) => ({ type: 'created', projectId: apiKey.projectId, ...e })));
      return { results };
    },
  });

  app.patch('/api/v1/executions/:id', {
    onRequest: app.authenticate(['apiKey']),
    schema: {
      tags: ['ingestion'],
      summary: 'Complete a pending execution; answers with the record when the key may also read, else with its id',
      params: ExecutionIdParams,
      body: ExecutionPatch,
      response: { 200: z.union([ExecutionRecord, CreatedExecution]), 404: ErrorBody, 409: ErrorBody, ...errors },
    },
    handler: async (request) => {
      const apiKey = requestIngestKey(request);
      const record = await completeExecution(app.database, apiKey, request.params.id, request.body);
      app.executionEvents.publish([
        { type: 'completed', projectId: apiKey.projectId, ...storedRef(record.id, record) },
      ]);
      return apiKey.scopes.includes('read') ? record : { id: record.id };
    },
  });
};
