import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { credentialsAcceptedBy, type PrincipalKind, SESSION_COOKIE } from './auth';

const SCHEME: Record<PrincipalKind, string> = { apiKey: 'apiKey', session: 'session' };

/**
 * Each route's schema as zod gives it, with the credentials its authenticate hook admits as its security (any one
 * of them will do); a route without that hook (health, login, setup, invites) has none, so the docs show it unlocked.
 */
export const withSecurity: SwaggerTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  const kinds = new Set([input.route.onRequest ?? []].flat().flatMap(credentialsAcceptedBy));
  if (kinds.size === 0) return transformed;
  const security = [...kinds].map((kind) => ({ [SCHEME[kind]]: [] }));
  return { ...transformed, schema: { ...transformed.schema, security } };
};

/** OpenAPI generated from the route schemas, browsable at /api/docs. */
export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Promptlog API',
          description:
            'Log LLM prompt executions and read them back. Authenticate with `Authorization: Bearer <project API key>`; ' +
            'the app itself uses its session cookie, and sends `X-CSRF-Token` with every change.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer' },
            session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          },
        },
      },
      transform: withSecurity,
    });
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      // Swagger UI injects <style> elements; its scripts are files, so only styles are relaxed, and only here.
      transformStaticCSP: (header) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    });
  },
  { name: 'openapi', dependencies: ['security-headers'] },
);
