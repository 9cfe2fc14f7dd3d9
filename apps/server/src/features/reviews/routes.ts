import {
  CreateReviewLabelRequest,
  ErrorBody,
  ExecutionIdParams,
  ProjectQuery,
  ReviewLabel,
  ReviewLabelIdParams,
  ReviewLabelList,
  ReviewState,
  SaveReviewRequest,
  UpdateReviewLabelRequest,
} from '@promptlog/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectAccess, requirePrincipal } from '../../plugins/auth';
import { assertCanReadLogsOf, assertCanReview, canReview, resolveProjectAccess } from '../access/policy';
import { createLabel, deleteLabel, listLabels, updateLabel } from './labels';
import { getReview, type ReviewTarget, saveReview } from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const changeErrors = { ...errors, 409: ErrorBody };

/** The project whose labels a request manages: one whose logs the caller reads, as an editor or admin. */
function labelManagerProject(request: FastifyRequest, requested: string | undefined): string {
  const { projectId } = projectAccess(request, requested, 'logs');
  assertCanReview(requirePrincipal(request).caller, projectId);
  return projectId;
}

/** May the caller read this execution's logs, and review it? The first is required; `forWriting` requires both. */
function reviewAccess(request: FastifyRequest, forWriting: boolean) {
  const { caller } = requirePrincipal(request);
  return ({ projectId, promptId }: ReviewTarget) => {
    assertCanReadLogsOf(resolveProjectAccess(caller, projectId, 'logs').logs, promptId);
    if (forWriting) assertCanReview(caller, projectId);
    return { canReview: canReview(caller, projectId) };
  };
}

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  const readers = app.authenticate(['apiKey', 'session']);
  const members = app.authenticate(['session']);

  app.get('/api/v1/review-labels', {
    onRequest: readers,
    schema: {
      tags: ['reviews'],
      summary: "The project's review labels, by name: whoever reads logs sees them; editors and admins manage them",
      querystring: ProjectQuery,
      response: { 200: ReviewLabelList, ...errors },
    },
    handler: async (request) => {
      const { projectId } = projectAccess(request, request.query.projectId, 'logs');
      return listLabels(app.database, projectId, canReview(requirePrincipal(request).caller, projectId));
    },
  });

  app.post('/api/v1/review-labels', {
    onRequest: members,
    schema: {
      tags: ['reviews'],
      summary: 'Create a review label: a name (unique in the project, ignoring case) and a colour',
      querystring: ProjectQuery,
      body: CreateReviewLabelRequest,
      response: { 201: ReviewLabel, ...changeErrors },
    },
    handler: async (request, reply) => {
      const projectId = labelManagerProject(request, request.query.projectId);
      return reply.code(201).send(await createLabel(app.database, projectId, request.body, auditActor(request)));
    },
  });

  app.patch('/api/v1/review-labels/:id', {
    onRequest: members,
    schema: {
      tags: ['reviews'],
      summary: 'Rename or recolour a review label; the reviews that carry it show the change',
      querystring: ProjectQuery,
      params: ReviewLabelIdParams,
      body: UpdateReviewLabelRequest,
      response: { 200: ReviewLabel, ...changeErrors },
    },
    handler: async (request) => {
      const projectId = labelManagerProject(request, request.query.projectId);
      return updateLabel(app.database, projectId, request.params.id, request.body, auditActor(request));
    },
  });

  app.delete('/api/v1/review-labels/:id', {
    onRequest: members,
    schema: {
      tags: ['reviews'],
      summary: 'Delete a review label, taking it off every review that has it',
      querystring: ProjectQuery,
      params: ReviewLabelIdParams,
      response: { 204: z.undefined(), ...errors },
    },
    handler: async (request, reply) => {
      const projectId = labelManagerProject(request, request.query.projectId);
      await deleteLabel(app.database, projectId, request.params.id, auditActor(request));
      return reply.code(204).send();
    },
  });

  app.get('/api/v1/executions/:id/review', {
    onRequest: readers,
    schema: {
      tags: ['reviews'],
      summary: "One execution's review (rating, note, labels, who and when), null until it has one",
      params: ExecutionIdParams,
      response: { 200: ReviewState, ...errors },
    },
    handler: async (request) => {
      const principal = requirePrincipal(request);
      // An API key's scope is checked before looking anything up, so an ingest-only key learns nothing.
      if (principal.kind === 'apiKey') projectAccess(request, undefined, 'logs');
      return getReview(app.database, principal.projectIds, request.params.id, reviewAccess(request, false));
    },
  });

  app.put('/api/v1/executions/:id/review', {
    onRequest: members,
    schema: {
      tags: ['reviews'],
      summary:
        "Set an execution's review: thumbs up or down, a note, labels; the whole review as it should be (all empty clears it)",
      params: ExecutionIdParams,
      body: SaveReviewRequest,
      response: { 200: ReviewState, ...errors },
    },
    handler: async (request) =>
      saveReview(
        app.database,
        requirePrincipal(request).projectIds,
        request.params.id,
        request.body,
        auditActor(request),
        reviewAccess(request, true),
      ),
  });
};
