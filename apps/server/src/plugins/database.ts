import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
  }
}

/** Exposes the config and the already-open database; their lifetime belongs to whoever built the app. */
export const databasePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; database: DatabaseHandle }) => {
    app.decorate('config', opts.config);
    app.decorate('database', opts.database);
  },
  { name: 'config' },
);
