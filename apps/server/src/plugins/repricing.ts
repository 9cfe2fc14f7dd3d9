import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startRepricingWorker } from '../features/pricing/repricing-jobs';

/**
 * Re-prices executions after custom price changes, in the background (every PROMPTLOG_REPRICING_INTERVAL_MS). On
 * close it stops after the chunk under way; an unfinished job resumes at the next start, in this process or another.
 */
export const repricingPlugin = fp(
  async (app: FastifyInstance) => {
    const stop = startRepricingWorker(app.database, { intervalMs: app.config.repricingIntervalMs, log: app.log });
    app.addHook('onClose', () => stop());
  },
  { name: 'repricing', dependencies: ['config'] },
);
