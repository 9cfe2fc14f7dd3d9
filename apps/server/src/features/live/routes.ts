import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectForRequest } from '../../plugins/auth';

const EventsQuery = z.object({ projectId: z.uuid().optional(), promptId: z.string().min(1).optional() });
const HEARTBEAT_MS = 25_000;

export const liveRoutes: FastifyPluginAsyncZod = async (app) => {
  const openStreams = new Set<() => void>();
  // Open event streams would otherwise keep a graceful shutdown waiting forever.
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  app.get('/api/v1/executions/events', {
    onRequest: app.authenticate(['session', 'apiKey']),
    schema: {
      tags: ['executions'],
      summary:
        'Server-sent events: `event: execution` with {type: created|completed, id, promptId, status, source, version, model, tags} as executions are stored or completed',
      querystring: EventsQuery,
    },
    handler: async (request, reply) => {
      const projectId = projectForRequest(request, request.query.projectId, 'metrics');
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.write('retry: 3000\n: connected\n\n');
      const unsubscribe = app.executionEvents.subscribe(
        { projectId, promptId: request.query.promptId },
        ({ projectId: _project, ...event }) => {
          stream.write(`event: execution\ndata: ${JSON.stringify(event)}\n\n`);
        },
      );
      const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
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
