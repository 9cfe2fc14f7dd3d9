import { ErrorBody, HealthResponse } from '@promptlog/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, DATABASE_RETRY_AFTER_SECONDS } from '../../errors';

/** Under a second in all, so an orchestrator's probe with a 1 s timeout never mistakes a busy server for a dead one. */
const DATABASE_PROBE_TIMEOUT_MS = 800;

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', {
    config: { servedUnderPressure: true },
    schema: {
      tags: ['system'],
      summary: 'Whether the server can serve: it answers and its database does (503 when the database does not)',
      response: { 200: HealthResponse, 503: ErrorBody },
    },
    handler: async () => {
      if (!(await app.database.ping(DATABASE_PROBE_TIMEOUT_MS))) {
        throw new AppError(
          'unavailable',
          'The database does not answer; requests are refused until it does',
          undefined,
          DATABASE_RETRY_AFTER_SECONDS,
        );
      }
      return { status: 'ok' as const, database: app.database.kind };
    },
  });
};
