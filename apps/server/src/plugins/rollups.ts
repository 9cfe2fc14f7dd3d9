import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { startRoller } from '../features/analytics/rollups';

/** Keeps the hourly rollups caught up with ingestion (every second) while the server runs. */
export const rollupsPlugin = fp(
  async (app: FastifyInstance, opts: { intervalMs?: number }) => {
    const stop = startRoller(
      app.database,
      (error) => app.log.warn({ err: error }, 'folding rollup deltas failed'),
      opts.intervalMs,
    );
    app.addHook('onClose', () => stop());
  },
  { name: 'rollups', dependencies: ['config'] },
);
