import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Serves the built web app: hashed assets are immutable, every other GET outside /api gets index.html
 * (no-cache) so client-side routes survive a reload, and unknown /api paths stay JSON 404s.
 */
export const spaPlugin = fp(
  async (app: FastifyInstance) => {
    const root = app.config.webDistDir;
    const built = existsSync(path.join(root, 'index.html'));
    if (!built) app.log.warn(`web app not built (${root} is missing); run "pnpm build" to serve the UI`);
    app.setNotFoundHandler((request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      if (!built || request.method !== 'GET' || url.startsWith('/api/') || url === '/api') {
        return reply.code(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${url}` } });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
    if (!built) return;
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      setHeaders: (res, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  },
  { name: 'spa', dependencies: ['config', 'errors'] },
);
