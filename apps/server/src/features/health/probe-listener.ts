import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const HEALTH_PATH = '/api/health';

/**
 * A port of its own for orchestrators' probes (PROMPTLOG_HEALTH_PORT), answering `GET /api/health` exactly as the
 * main port does. Node (libuv ≥ 1.45, nodejs/node#57364) accepts one connection per event-loop turn on each listening
 * socket, so when hundreds of clients connect at once a probe on the main port waits behind all of them, one busy turn
 * each: seconds. On this socket it waits for one turn.
 */
export async function listenForHealthProbes(app: FastifyInstance, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if ((request.method !== 'GET' && request.method !== 'HEAD') || path !== HEALTH_PATH) {
      const message = `This port answers only GET ${HEALTH_PATH}; the API and the web app are on the main port`;
      response
        .writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ error: { code: 'not_found', message } }));
      return;
    }
    app.inject({ method: request.method, url: HEALTH_PATH }).then(
      (answer) => response.writeHead(answer.statusCode, answer.headers as OutgoingHttpHeaders).end(answer.rawPayload),
      (error: unknown) => {
        app.log.error({ err: error }, 'health probe failed');
        response.writeHead(503, { 'retry-after': '1' }).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export async function closeHealthProbes(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
