import {
  CustomPriceCreated,
  CustomPriceDeleted,
  CustomPriceIdParams,
  CustomPriceInput,
  CustomPriceList,
  CustomPricePreview,
  CustomPricePreviewRequest,
  CustomPriceUpdated,
  ErrorBody,
  ProjectQuery,
  RepricingJob,
  RepricingJobIdParams,
  RepricingJobList,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActor, projectForRequest } from '../../plugins/auth';
import { listCustomPrices } from '../pricing/custom-prices';
import { getRepricingJob, listRepricingJobs } from '../pricing/repricing-jobs';
import { changeCustomPrice, previewCustomPrice, removeCustomPrice, retryRepricing, setCustomPrice } from './service';

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
      summary:
        'Set a custom price (per million tokens) for a model name or prefix; queues the re-pricing of affected executions',
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
      summary: 'Change a custom price; queues the re-pricing of the executions it covered before and covers now',
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
      summary: 'Remove a custom price; queues the re-pricing that moves its executions to the next matching price',
      querystring: ProjectQuery,
      params: CustomPriceIdParams,
      response: { 200: CustomPriceDeleted, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      return removeCustomPrice(app.database, projectId, request.params.id, auditActor(request));
    },
  });

  app.get('/api/v1/prices/repricing', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'The recent re-pricings of the project, newest first, with their progress',
      querystring: ProjectQuery,
      response: { 200: RepricingJobList, ...errors },
    },
    handler: async (request) => ({
      items: await listRepricingJobs(app.database.db, projectForRequest(request, request.query.projectId, 'metrics')),
    }),
  });

  app.get('/api/v1/prices/repricing/:id', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'One re-pricing and its progress',
      querystring: ProjectQuery,
      params: RepricingJobIdParams,
      response: { 200: RepricingJob, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'metrics');
      return getRepricingJob(app.database.db, projectId, request.params.id);
    },
  });

  app.post('/api/v1/prices/repricing/:id/retry', {
    onRequest: auth,
    schema: {
      tags: ['pricing'],
      summary: 'Retry a failed re-pricing from where it stopped',
      querystring: ProjectQuery,
      params: RepricingJobIdParams,
      response: { 200: RepricingJob, ...errors, 409: ErrorBody },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      return retryRepricing(app.database, projectId, request.params.id, auditActor(request));
    },
  });
};
