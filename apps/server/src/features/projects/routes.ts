import {
  CreatedProject,
  CreateProjectRequest,
  ErrorBody,
  ProjectParams,
  ProjectSummary,
  RenameProjectRequest,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectForRequest, requireSession } from '../../plugins/auth';
import { ProjectPurges } from './purge';
import { addProject, deleteProject, renameProject } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const session = app.authenticate(['session']);
  const purges = new ProjectPurges(app.database, app.log);
  app.addHook('onClose', () => purges.close());
  // Purges a stopped server left unfinished (this process's or another's, which purging twice at once tolerates).
  app.addHook('onReady', () => purges.resumeUnfinished());

  app.post('/api/v1/projects', {
    onRequest: session,
    schema: {
      tags: ['projects'],
      summary:
        'Create a project (any logged-in user); its creator becomes its admin, and its first API key is in this response only',
      body: CreateProjectRequest,
      response: { 201: CreatedProject, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
    handler: async (request, reply) => {
      const created = await addProject(app.database, requireSession(request).user, request.body);
      return reply.code(201).send(created);
    },
  });

  app.patch('/api/v1/projects/:projectId', {
    onRequest: session,
    schema: {
      tags: ['projects'],
      summary: "Rename a project (the project's admins)",
      params: ProjectParams,
      body: RenameProjectRequest,
      response: { 200: ProjectSummary, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.params.projectId, 'admin');
      return renameProject(app.database, projectId, request.body, requireSession(request).user);
    },
  });

  app.delete('/api/v1/projects/:projectId', {
    onRequest: session,
    schema: {
      tags: ['projects'],
      summary:
        "Delete a project (the project's admins) with its members, keys, invites, prompts, prices and audit log at once; " +
        'its executions, payloads, trace steps and rollups are then removed in the background',
      params: ProjectParams,
      response: { 204: z.undefined(), ...errors },
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.params.projectId, 'admin');
      const { user } = requireSession(request);
      const { name } = await deleteProject(app.database, projectId, user);
      request.log.info({ projectId, projectName: name, by: user.email }, 'project deleted');
      purges.start(projectId);
      return reply.code(204).send();
    },
  });
};
