import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startRetentionJob } from '../features/retention/job';

/** Deletes what the projects' retention settings say is too old (every PROMPTLOG_RETENTION_INTERVAL_MS). */
export const retentionPlugin = fp(
  async (app: FastifyInstance) => {
    const stop = startRetentionJob(app.database, { intervalMs: app.config.retentionIntervalMs, log: app.log });
    app.addHook('onClose', () => stop());
  },
  { name: 'retention', dependencies: ['config'] },
);
