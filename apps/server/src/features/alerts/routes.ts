import {
  AlertDelivery,
  AlertDeliveryList,
  AlertEventPage,
  AlertEventsQuery,
  AlertRuleIdParams,
  AlertRuleList,
  CreateAlertRuleRequest,
  ErrorBody,
  MarkAlertsReadRequest,
  ProjectQuery,
  SavedAlertRule,
  UpdateAlertRuleRequest,
} from '@promptlog/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActor, projectAccess, requirePrincipal } from '../../plugins/auth';
import type { Need } from '../access/policy';
import {
  type AlertsAccess,
  createRule,
  deleteRule,
  listDeliveries,
  listEvents,
  listRules,
  markRead,
  testRule,
  updateRule,
} from './service';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const changeErrors = { ...errors, 409: ErrorBody };

/** Every member (and read key) sees alerts with `metrics`; rule changes need `admin`, which only admins' sessions pass. */
function alertsAccess(request: FastifyRequest, requested: string | undefined, need: Need): AlertsAccess {
  const principal = requirePrincipal(request);
  const { projectId } = projectAccess(request, requested, need);
  const caller = principal.caller;
  const role = caller.kind === 'session' ? caller.memberships.get(projectId)?.role : undefined;
  return { projectId, userId: principal.kind === 'session' ? principal.user.id : null, canManage: role === 'admin' };
}

export const alertRoutes: FastifyPluginAsyncZod = async (app) => {
  const readers = app.authenticate(['apiKey', 'session']);
  const members = app.authenticate(['session']);

  app.get('/api/v1/alerts/rules', {
    onRequest: readers,
    schema: {
      tags: ['alerts'],
      summary: "The project's alert rules, the built-in ones first; webhook URLs whole only for admins",
      querystring: ProjectQuery,
      response: { 200: AlertRuleList, ...errors },
    },
    handler: async (request) => listRules(app.database, alertsAccess(request, request.query.projectId, 'metrics')),
  });

  app.post('/api/v1/alerts/rules', {
    onRequest: members,
    schema: {
      tags: ['alerts'],
      summary: 'Create an alert rule (admins); a webhook gets a secret, shown in this answer only',
      querystring: ProjectQuery,
      body: CreateAlertRuleRequest,
      response: { 201: SavedAlertRule, ...changeErrors },
    },
    handler: async (request, reply) => {
      const access = alertsAccess(request, request.query.projectId, 'admin');
      return reply.code(201).send(await createRule(app.database, access, request.body, auditActor(request)));
    },
  });

  app.patch('/api/v1/alerts/rules/:id', {
    onRequest: members,
    schema: {
      tags: ['alerts'],
      summary: 'Change an alert rule (admins); a new webhook or rotateSecret answers with the new secret, once',
      querystring: ProjectQuery,
      params: AlertRuleIdParams,
      body: UpdateAlertRuleRequest,
      response: { 200: SavedAlertRule, ...changeErrors },
    },
    handler: async (request) =>
      updateRule(
        app.database,
        alertsAccess(request, request.query.projectId, 'admin'),
        request.params.id,
        request.body,
        auditActor(request),
      ),
  });

  app.delete('/api/v1/alerts/rules/:id', {
    onRequest: members,
    schema: {
      tags: ['alerts'],
      summary: 'Delete an alert rule with its alerts (admins); a built-in rule is turned off instead (409)',
      querystring: ProjectQuery,
      params: AlertRuleIdParams,
      response: { 204: z.undefined(), ...changeErrors },
    },
    handler: async (request, reply) => {
      const access = alertsAccess(request, request.query.projectId, 'admin');
      await deleteRule(app.database, access, request.params.id, auditActor(request));
      return reply.code(204).send();
    },
  });

  app.post('/api/v1/alerts/rules/:id/test', {
    onRequest: members,
    schema: {
      tags: ['alerts'],
      summary: "Send a test delivery to the rule's webhook now and answer with its outcome (admins)",
      querystring: ProjectQuery,
      params: AlertRuleIdParams,
      response: { 200: AlertDelivery, ...errors },
    },
    handler: async (request) =>
      testRule(
        app.database,
        alertsAccess(request, request.query.projectId, 'admin'),
        request.params.id,
        app.config.webhookTimeoutMs,
      ),
  });

  app.get('/api/v1/alerts/rules/:id/deliveries', {
    onRequest: members,
    schema: {
      tags: ['alerts'],
      summary: "A rule's last webhook deliveries with each one's response code (admins)",
      querystring: ProjectQuery,
      params: AlertRuleIdParams,
      response: { 200: AlertDeliveryList, ...errors },
    },
    handler: async (request) =>
      listDeliveries(app.database, alertsAccess(request, request.query.projectId, 'admin'), request.params.id),
  });

  app.get('/api/v1/alerts/events', {
    onRequest: readers,
    schema: {
      tags: ['alerts'],
      summary: "The project's alerts, newest first, with the numbers that fired them and the caller's unread state",
      querystring: AlertEventsQuery,
      response: { 200: AlertEventPage, ...errors },
    },
    handler: async (request) =>
      listEvents(app.database, alertsAccess(request, request.query.projectId, 'metrics'), request.query),
  });

  app.post('/api/v1/alerts/events/read', {
    onRequest: members,
    schema: {
      tags: ['alerts'],
      summary: 'Mark an alert and every older one read, for the logged-in member',
      querystring: ProjectQuery,
      body: MarkAlertsReadRequest,
      response: { 204: z.undefined(), ...errors },
    },
    handler: async (request, reply) => {
      const access = alertsAccess(request, request.query.projectId, 'metrics');
      await markRead(app.database, access, request.body.through);
      return reply.code(204).send();
    },
  });
};
