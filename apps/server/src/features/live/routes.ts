import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectAccess } from '../../plugins/auth';
import { canReadLogsOf } from '../access/policy';
import type { LiveMessage } from './execution-events';

const EventsQuery = z.object({ projectId: z.uuid().optional(), promptId: z.string().min(1).optional() });
// Loose: the other headers (credentials among them) stay as they came.
const EventsHeaders = z.looseObject({ 'last-event-id': z.string().optional() });
const HEARTBEAT_MS = 25_000;

const sse = ({ id, event, data }: LiveMessage) => `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;

export const liveRoutes: FastifyPluginAsyncZod = async (app) => {
  const openStreams = new Set<() => void>();
  // Open event streams would otherwise keep a graceful shutdown waiting forever.
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  app.get('/api/v1/executions/events', {
    // A browser's EventSource gives up for good on any answer but 200, so a reconnect is never shed.
    config: { servedUnderPressure: true },
    // Node sends a HEAD answer's headers only when it ends, which a stream never does.
    exposeHeadRoute: false,
    onRequest: app.authenticate(['session', 'apiKey']),
    schema: {
      tags: ['executions'],
      summary:
        'Server-sent events: `event: execution` with {type: created|completed, id, promptId, status, source, version, model, tags, conversationId} as executions are stored or completed ' +
        '(tags and conversationId only for prompts whose logs the caller reads). ' +
        'Every message has an id; a reconnect with `Last-Event-ID` is first sent the events it missed, or `event: resync` when they cannot all be replayed (read the list again).',
      querystring: EventsQuery,
      headers: EventsHeaders,
    },
    handler: async (request, reply) => {
      const { projectId, logs } = projectAccess(request, request.query.projectId, 'metrics');
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const events = app.executionEvents;
      const unsubscribe = events.subscribe(
        { projectId, promptId: request.query.promptId },
        (message) => stream.write(sse(message)),
        request.headers['last-event-id'] || undefined,
        (promptId) => canReadLogsOf(logs, promptId),
      );
      // An id without data moves the client's position past the events it was not sent, so a quiet stream
      // still resumes from a recent point.
      stream.write(`retry: 3000\nid: ${events.lastEventId}\n: connected\n\n`);
      const heartbeat = setInterval(() => stream.write(`id: ${events.lastEventId}\n: heartbeat\n\n`), HEARTBEAT_MS);
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(end);
        stream.end();
      };
      openStreams.add(end);
      request.raw.on('close', end);
    },
  });
};
