import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startRoller } from '../features/analytics/rollups';

/** Keeps the hourly rollups caught up with ingestion (every PROMPTLOG_ROLLUP_INTERVAL_MS) while the server runs. */
export const rollupsPlugin = fp(
  async (app: FastifyInstance) => {
    const stop = startRoller(
      app.database,
      (error) => app.log.warn({ err: error }, 'folding rollup deltas failed'),
      app.config.rollupIntervalMs,
    );
    app.addHook('onClose', () => stop());
  },
  { name: 'rollups', dependencies: ['config'] },
);
