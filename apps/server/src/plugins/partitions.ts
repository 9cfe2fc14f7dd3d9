import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PARTITION_MAINTENANCE_INTERVAL_MS, startPartitionMaintenance } from '../features/partitions/job';

/**
 * Creates the monthly partitions of executions and their payloads before the server takes requests, then every
 * hour, so the months ahead always exist.
 */
export const partitionsPlugin = fp(
  async (app: FastifyInstance) => {
    const stop = await startPartitionMaintenance(app.database, {
      intervalMs: PARTITION_MAINTENANCE_INTERVAL_MS,
      log: app.log,
    });
    app.addHook('onClose', () => stop());
  },
  { name: 'partitions', dependencies: ['config'] },
);
