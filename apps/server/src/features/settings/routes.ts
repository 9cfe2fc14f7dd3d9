import {
  ErrorBody,
  ProjectQuery,
  ProjectSettings,
  RedactionPreview,
  RedactionPreviewRequest,
  UpdateProjectSettings,
} from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActor, projectForRequest } from '../../plugins/auth';
import { getProjectSettings, previewRedaction, updateProjectSettings } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminSession = app.authenticate(['session']);

  app.get('/api/v1/settings', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: "The project's retention, payload policy and redaction rules",
      querystring: ProjectQuery,
      response: { 200: ProjectSettings, ...errors },
    },
    handler: async (request) =>
      getProjectSettings(app.database, projectForRequest(request, request.query.projectId, 'admin')),
  });

  app.patch('/api/v1/settings', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Change some settings; redaction and payload policy apply to executions ingested from now on',
      querystring: ProjectQuery,
      body: UpdateProjectSettings,
      response: { 200: ProjectSettings, ...errors },
    },
    handler: async (request) => {
      const projectId = projectForRequest(request, request.query.projectId, 'admin');
      return updateProjectSettings(app.database, projectId, request.body, auditActor(request));
    },
  });

  app.post('/api/v1/settings/redaction-preview', {
    onRequest: adminSession,
    schema: {
      tags: ['governance'],
      summary: 'Show what redaction rules would do to a sample text, without saving them',
      querystring: ProjectQuery,
      body: RedactionPreviewRequest,
      response: { 200: RedactionPreview, ...errors },
    },
    handler: async (request) => {
      projectForRequest(request, request.query.projectId, 'admin');
      return previewRedaction(request.body);
    },
  });
};
