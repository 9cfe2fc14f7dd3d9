import {
  CreateViewRequest,
  ErrorBody,
  ListViewsQuery,
  ProjectQuery,
  SavedView,
  SavedViewList,
  UpdateViewRequest,
  ViewIdParams,
} from '@promptlog/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectAccess, requirePrincipal } from '../../plugins/auth';
import { type ViewsAccess, viewsAccessOf } from './policy';
import { createView, deleteView, listViews, updateView } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const changeErrors = { ...errors, 409: ErrorBody };

/** Views belong to the Logs tab: every route needs the logs of a prompt, then the policy decides the rest. */
function viewsAccess(request: FastifyRequest, requested: string | undefined): ViewsAccess {
  const principal = requirePrincipal(request);
  const access = projectAccess(request, requested, 'logs');
  return viewsAccessOf(principal.caller, principal.kind === 'session' ? principal.user.id : null, access);
}

export const viewRoutes: FastifyPluginAsyncZod = async (app) => {
  const readers = app.authenticate(['apiKey', 'session']);
  const members = app.authenticate(['session']);

  app.get('/api/v1/views', {
    onRequest: readers,
    schema: {
      tags: ['views'],
      summary:
        "Saved views of the Logs tab the caller may see, by name: one prompt's and the project-wide ones with promptId",
      querystring: ListViewsQuery,
      response: { 200: SavedViewList, ...errors },
    },
    handler: async (request) =>
      listViews(app.database, viewsAccess(request, request.query.projectId), request.query.promptId),
  });

  app.post('/api/v1/views', {
    onRequest: members,
    schema: {
      tags: ['views'],
      summary: "Save a view: a name and the Logs tab's search params, for one prompt or (promptId null) every prompt",
      querystring: ProjectQuery,
      body: CreateViewRequest,
      response: { 201: SavedView, ...changeErrors },
    },
    handler: async (request, reply) => {
      const access = viewsAccess(request, request.query.projectId);
      return reply.code(201).send(await createView(app.database, access, request.body, auditActor(request)));
    },
  });

  app.patch('/api/v1/views/:id', {
    onRequest: members,
    schema: {
      tags: ['views'],
      summary: 'Rename a view or replace its state: the member who saved it, or an admin',
      querystring: ProjectQuery,
      params: ViewIdParams,
      body: UpdateViewRequest,
      response: { 200: SavedView, ...changeErrors },
    },
    handler: async (request) => {
      const access = viewsAccess(request, request.query.projectId);
      return updateView(app.database, access, request.params.id, request.body, auditActor(request));
    },
  });

  app.delete('/api/v1/views/:id', {
    onRequest: members,
    schema: {
      tags: ['views'],
      summary: 'Delete a view: the member who saved it, or an admin',
      querystring: ProjectQuery,
      params: ViewIdParams,
      response: { 204: z.undefined(), ...errors },
    },
    handler: async (request, reply) => {
      await deleteView(
        app.database,
        viewsAccess(request, request.query.projectId),
        request.params.id,
        auditActor(request),
      );
      return reply.code(204).send();
    },
  });
};
