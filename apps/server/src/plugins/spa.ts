import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Whether index.html answers this path: not the API, not a missing hashed asset (a stale tab's chunk must fail as
 * a 404, not parse HTML as JavaScript), and nothing that climbs out of the web root however it is encoded.
 */
export function isAppPath(urlPath: string): boolean {
  if (urlPath === '/api' || urlPath.startsWith('/api/') || urlPath.startsWith('/assets/')) return false;
  let decoded = urlPath;
  // Decoded until stable (a few rounds), so double-encoded dots and slashes count too.
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      break;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return false;
  return !decoded.split('/').some((segment) => segment === '.' || segment === '..');
}

/**
 * Serves the built web app: hashed assets are immutable, a GET or HEAD of any other app path gets index.html (no-cache)
 * so client-side routes survive a reload, and everything else unknown is a JSON 404.
 */
export const spaPlugin = fp(
  async (app: FastifyInstance) => {
    const root = app.config.webDistDir;
    const built = existsSync(path.join(root, 'index.html'));
    if (!built) app.log.warn(`web app not built (${root} is missing); run "pnpm build" to serve the UI`);
    app.setNotFoundHandler((request, reply) => {
      const url = request.url.split('?')[0] ?? '/';
      // HEAD answers as GET does (headers, no body): uptime monitors check the app with it.
      if (!built || (request.method !== 'GET' && request.method !== 'HEAD') || !isAppPath(url)) {
        return reply.code(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${url}` } });
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
    if (!built) return;
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      // The build writes .br and .gz beside each text file; a browser that accepts one gets it, with Vary set.
      preCompressed: true,
      setHeaders: (res, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  },
  { name: 'spa', dependencies: ['config', 'errors'] },
);
