import {
  ConversationListPage,
  ConversationParams,
  ConversationThread,
  ConversationThreadQuery,
  ErrorBody,
  ListConversationsQuery,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { projectAccess } from '../../plugins/auth';
import { getConversationThread, listConversations } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const auth = app.authenticate(['apiKey', 'session']);

  app.get('/api/v1/conversations', {
    onRequest: auth,
    schema: {
      tags: ['conversations'],
      summary:
        'Conversations (sessions), latest activity first, keyset-paginated, with their calls, errors, exact cost, tokens, duration and users; read from their rollups within seconds of ingestion. A member granted only some prompts sees the conversations that ran only those.',
      querystring: ListConversationsQuery,
      response: { 200: ConversationListPage, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      return listConversations(app.database, projectId, request.query, logs);
    },
  });

  app.get('/api/v1/conversations/:conversationId', {
    onRequest: auth,
    schema: {
      tags: ['conversations'],
      summary:
        'One conversation as a thread: its executions oldest first (narrow rows, only prompts whose logs you may read), keyset-paginated, and its totals',
      params: ConversationParams,
      querystring: ConversationThreadQuery,
      response: { 200: ConversationThread, ...errors },
    },
    handler: async (request) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'logs');
      return getConversationThread(app.database, projectId, request.params.conversationId, request.query, logs);
    },
  });
};
