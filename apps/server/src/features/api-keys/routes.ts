import {
  ApiKeyIdParams,
  ApiKeyList,
  CreateApiKeyRequest,
  CreatedApiKey,
  ErrorBody,
  ProjectQuery,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectForRequest } from '../../plugins/auth';
import { issueApiKey, listApiKeys, revokeApiKey } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminSession = app.authenticate(['session']);

  app.get('/api/v1/api-keys', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: "The project's API keys with scopes, creator and last use; never the keys themselves",
      querystring: ProjectQuery,
      response: { 200: ApiKeyList, ...errors },
    },
    handler: async (request) => ({
      items: await listApiKeys(app.database, projectForRequest(request, request.query.projectId, 'admin')),
    }),
  });

  app.post('/api/v1/api-keys', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Create an API key; the key is in this response only',
      querystring: ProjectQuery,
      body: CreateApiKeyRequest,
      response: { 201: CreatedApiKey, ...errors },
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      const created = await issueApiKey(app.database, projectId, request.body, auditActor(request));
      return reply.code(201).send(created);
    },
  });

  app.delete('/api/v1/api-keys/:id', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Revoke an API key: the very next request with it is refused',
      querystring: ProjectQuery,
      params: ApiKeyIdParams,
      response: { 204: z.undefined(), ...errors },
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      await revokeApiKey(app.database, projectId, request.params.id, auditActor(request));
      return reply.code(204).send();
    },
  });
};
