import type { DatabaseHandle } from '@promptlog/db';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config';
import { alertRoutes } from './features/alerts/routes';
import { analyticsRoutes } from './features/analytics/routes';
import { apiKeyRoutes } from './features/api-keys/routes';
import { auditRoutes } from './features/audit/routes';
import { authRoutes } from './features/auth/routes';
import { compareSampleRoutes } from './features/compare-samples/routes';
import { conversationRoutes } from './features/conversations/routes';
import { datasetRoutes } from './features/datasets/routes';
import { executionRoutes } from './features/executions/routes';
import { healthRoutes } from './features/health/routes';
import { liveRoutes } from './features/live/routes';
import { logsRoutes } from './features/logs/routes';
import { memberRoutes } from './features/members/routes';
import { modelRoutes } from './features/models/routes';
import { otlpRoutes } from './features/otlp/routes';
import { priceRoutes } from './features/prices/routes';
import { projectRoutes } from './features/projects/routes';
import { promptRoutes } from './features/prompts/routes';
import { reviewRoutes } from './features/reviews/routes';
import { settingsRoutes } from './features/settings/routes';
import { suggestionRoutes } from './features/suggestions/routes';
import { systemPromptRoutes } from './features/system-prompts/routes';
import { traceRoutes } from './features/traces/routes';
import { viewRoutes } from './features/views/routes';
import { refuseNulInUrl } from './lib/nul-in-url';
import { urlWithoutSecrets } from './lib/secrets';
import { alertsPlugin } from './plugins/alerts';
import { authPlugin } from './plugins/auth';
import { databasePlugin } from './plugins/database';
import { errorsPlugin, sendFrameworkError } from './plugins/errors';
import { liveEventsPlugin } from './plugins/live-events';
import { loadSheddingPlugin } from './plugins/load-shedding';
import { openapiPlugin } from './plugins/openapi';
import { partitionsPlugin } from './plugins/partitions';
import { repricingPlugin } from './plugins/repricing';
import { retentionPlugin } from './plugins/retention';
import { rollupsPlugin } from './plugins/rollups';
import { securityHeadersPlugin } from './plugins/security-headers';
import { spaPlugin } from './plugins/spa';

/** Builds the whole application on an open database; never listens (server.ts does, tests inject). */
export async function buildApp(config: Config, database: DatabaseHandle): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      serializers: {
        req: (request) => ({ method: request.method, url: urlWithoutSecrets(request.url), remoteAddress: request.ip }),
      },
    },
    bodyLimit: config.limits.maxBodyBytes,
    // A prompt key has up to 200 characters, each up to 3 once escaped in a path (`/` is %2F); the default is 100.
    routerOptions: { maxParamLength: 600 },
    // Two access-log lines per request cost ingestion throughput; errors are always logged.
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    return503OnClosing: true,
    trustProxy: config.trustProxy,
    frameworkErrors: sendFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  // Only JSON bodies: a cross-site form can post text/plain without a preflight, and no route needs it.
  app.removeContentTypeParser('text/plain');
  app.setSerializerCompiler(serializerCompiler);

  await app.register(databasePlugin, { config, database });
  await app.register(errorsPlugin);
  // Before any hook that can refuse a request, so refusals carry the headers too.
  await app.register(securityHeadersPlugin);
  app.addHook('onRequest', refuseNulInUrl);
  await app.register(loadSheddingPlugin);
  await app.register(authPlugin);
  await app.register(openapiPlugin);
  await app.register(liveEventsPlugin);
  await app.register(partitionsPlugin);
  await app.register(rollupsPlugin);
  await app.register(repricingPlugin);
  await app.register(retentionPlugin);
  await app.register(alertsPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(executionRoutes);
  await app.register(otlpRoutes);
  await app.register(logsRoutes);
  await app.register(viewRoutes);
  await app.register(reviewRoutes);
  await app.register(datasetRoutes);
  await app.register(traceRoutes);
  await app.register(conversationRoutes);
  await app.register(liveRoutes);
  await app.register(promptRoutes);
  await app.register(systemPromptRoutes);
  await app.register(compareSampleRoutes);
  await app.register(priceRoutes);
  await app.register(modelRoutes);
  await app.register(suggestionRoutes);
  await app.register(analyticsRoutes);
  await app.register(memberRoutes);
  await app.register(apiKeyRoutes);
  await app.register(settingsRoutes);
  await app.register(auditRoutes);
  await app.register(alertRoutes);
  await app.register(projectRoutes);

  await app.register(spaPlugin);
  return app;
}
