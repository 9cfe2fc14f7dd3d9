import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * The web app's policy: its own scripts, styles and API only. React and recharts set styles through the CSSOM
 * (`element.style`), which CSP does not govern, so styles need no 'unsafe-inline'; the favicon is a data: URL.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const HSTS = 'max-age=31536000; includeSubDomains';

// Built once: it computes the header values when it is made (@fastify/helmet made it again for every request).
const helmetMiddleware = helmet({
  // No upgrade-insecure-requests: an install served over plain http would fetch its own assets over https.
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  frameguard: { action: 'deny' },
  // Same-origin requests keep their Referer and Origin (a POST's Origin is "null" under no-referrer).
  referrerPolicy: { policy: 'same-origin' },
  strictTransportSecurity: false,
});

/**
 * Sets the security headers on the raw response, so streams that hijack the reply (server-sent events) keep them too.
 * HSTS only on requests that came over TLS (directly, or by a trusted proxy's X-Forwarded-Proto): the rule the session
 * cookie's Secure flag follows.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  helmetMiddleware(request.raw, reply.raw, (error?: unknown) => {
    if (error) throw error;
  });
  if (request.protocol === 'https') reply.raw.setHeader('strict-transport-security', HSTS);
}

/** Security headers on every response, API answers and errors included (framework errors: see sendFrameworkError). */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', (request, reply, done) => {
      setSecurityHeaders(request, reply);
      done();
    });
  },
  { name: 'security-headers' },
);
