import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startAlertsJob } from '../features/alerts/job';

/** Evaluates alert rules (every PROMPTLOG_ALERTS_INTERVAL_MS) and sends their webhooks, in the background. */
export const alertsPlugin = fp(
  async (app: FastifyInstance) => {
    const stop = startAlertsJob(app.database, {
      intervalMs: app.config.alertsIntervalMs,
      deliveryTimeoutMs: app.config.webhookTimeoutMs,
      publicUrl: app.config.publicUrl,
      log: app.log,
    });
    app.addHook('onClose', () => stop());
  },
  { name: 'alerts', dependencies: ['config'] },
);
