import {
  CustomPriceCreated,
  CustomPriceIdParams,
  CustomPriceInput,
  CustomPriceList,
  CustomPricePreview,
  CustomPricePreviewRequest,
  CustomPriceUpdated,
  ErrorBody,
  ProjectQuery,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectForRequest } from '../../plugins/auth';
import { listCustomPrices } from '../pricing/custom-prices';
import { changeCustomPrice, previewCustomPrice, removeCustomPrice, setCustomPrice } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const priceRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/prices', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'Custom model prices of the project',
      querystring: ProjectQuery,
      response: { 200: CustomPriceList, ...errors },
    },
    handler: async (request) => ({
      items: await listCustomPrices(app.database, projectForRequest(request, request.query.projectId, 'metrics')),
    }),
  });

  app.post('/api/v1/prices', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'Set a custom price (per million tokens) for a model name or prefix; re-prices affected executions',
      querystring: ProjectQuery,
      body: CustomPriceInput,
      response: { 201: CustomPriceCreated, ...errors },
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      const created = await setCustomPrice(app.database, projectId, request.body, auditActor(request));
      return reply.code(201).send(created);
    },
  });

  app.post('/api/v1/prices/preview', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary:
        'Count the executions a custom price would re-price (as a new price, or in place of priceId) without saving it',
      querystring: ProjectQuery,
      body: CustomPricePreviewRequest,
      response: { 200: CustomPricePreview, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      return previewCustomPrice(app.database, projectId, request.body);
    },
  });

  app.put('/api/v1/prices/:id', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'Change a custom price; re-prices the executions it covered before and those it covers now',
      querystring: ProjectQuery,
      params: CustomPriceIdParams,
      body: CustomPriceInput,
      response: { 200: CustomPriceUpdated, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      return changeCustomPrice(app.database, projectId, request.params.id, request.body, auditActor(request));
    },
  });

  app.delete('/api/v1/prices/:id', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'Remove a custom price; affected executions fall back to the next matching price',
      querystring: ProjectQuery,
      params: CustomPriceIdParams,
      response: { 200: z.object({ repricedExecutions: z.number().int() }), ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      return removeCustomPrice(app.database, projectId, request.params.id, auditActor(request));
    },
  });
};
