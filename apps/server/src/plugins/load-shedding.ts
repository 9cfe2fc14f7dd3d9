import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, LOAD_RETRY_AFTER_SECONDS } from '../errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Whether the route still answers while the server sheds load (health must, or a probe would restart it). */
    servedUnderPressure?: boolean;
  }
}

function overloaded(): AppError {
  return new AppError('unavailable', 'The server is overloaded; retry later', undefined, LOAD_RETRY_AFTER_SECONDS);
}

/** The web app's files are cheap to serve, and a page missing one of its scripts goes blank. */
function isExempt(request: FastifyRequest): boolean {
  return request.routeOptions.config.servedUnderPressure === true || !request.url.startsWith('/api/');
}

/**
 * Refuses new API requests with 503 and Retry-After while more are in progress than the server gets through in a
 * moment, queries queue for the pool, the event loop lags (or is saturated, if so configured) or memory is past its
 * ceiling, so an overload turns into quick refusals that clients retry instead of a queue that grows until nothing
 * answers in time. @fastify/under-pressure watches the event loop, memory and the pool's queue.
 */
export const loadSheddingPlugin = fp(
  async (app: FastifyInstance) => {
    const {
      enabled,
      maxEventLoopDelayMs,
      maxEventLoopUtilization,
      maxRssBytes,
      maxRequestsInProgress,
      maxWaitingForConnection,
    } = app.config.loadShedding;
    if (!enabled) return;
    // API requests being served (not shed): past the limit, each new one would only wait behind the others.
    let apiRequestsInProgress = 0;
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      maxRssBytes,
      maxEventLoopUtilization,
      sampleInterval: 250,
      eventLoopUtilizationMode: 'interval',
      healthCheck: async () => app.database.waitingForConnection() <= maxWaitingForConnection,
      healthCheckInterval: 20,
      retryAfter: LOAD_RETRY_AFTER_SECONDS,
      // Rejecting hands the error to the route's own error handler, so OTLP clients get their protocol's answer.
      pressureHandler: async (request) => {
        if (!isExempt(request)) throw overloaded();
      },
    });
    // under-pressure samples; a burst (every client retrying at once after an outage) arrives between two samples,
    // so the cap on requests in progress is checked as each one arrives. After under-pressure's own hook, so only
    // requests it let through count; 'close' comes however they end.
    app.addHook('onRequest', async (request, reply) => {
      if (isExempt(request)) return;
      if (apiRequestsInProgress >= maxRequestsInProgress) throw overloaded();
      apiRequestsInProgress++;
      reply.raw.once('close', () => {
        apiRequestsInProgress--;
      });
    });
  },
  { name: 'load-shedding', dependencies: ['config'] },
);
