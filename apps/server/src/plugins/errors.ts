import type { ErrorBody, ErrorIssue } from '@promptlog/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isClientDataError, postgresErrorMessage, temporaryUnavailability } from '../errors';
import { setSecurityHeaders } from './security-headers';

function body(code: string, message: string, issues?: ErrorIssue[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/**
 * For Fastify's `frameworkErrors`: a URL the router cannot decode, or a path parameter over its length limit. Fastify
 * answers these before any hook runs, so the security headers are set here.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  setSecurityHeaders(request, reply);
  return reply.code(error.statusCode ?? 400).send(body('bad_request', error.message));
}

/**
 * A body this size or smaller is read to its end before an answer sent without reading it (a refused key, say).
 * Node closes a connection whose request it did not read, and a client still sending then gets a reset instead of
 * the answer: an SDK would retry a revoked key as a network error instead of saying what is wrong. Larger bodies are
 * not worth receiving for a refusal.
 */
export const DRAINED_BODY_BYTES = 1024 * 1024;
const DRAIN_TIMEOUT_MS = 5_000;

function drainRequestBody(request: FastifyRequest): Promise<void> | undefined {
  const raw = request.raw;
  if (raw.complete || raw.readableEnded || raw.destroyed) return undefined;
  const length = Number(request.headers['content-length']);
  if (!(length > 0 && length <= DRAINED_BODY_BYTES)) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}

function issuePath(instancePath: string): string {
  return instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)';
}

export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', async (request, _reply, payload) => {
      await drainRequestBody(request);
      return payload;
    });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validationContext ?? 'body';
        const issues = error.validation.map((v) => ({
          path: issuePath(v.instancePath),
          message: v.message ?? 'is invalid',
        }));
        const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        return reply.code(400).send(body('validation_failed', `Invalid request ${where}: ${summary}`, issues));
      }
      if (error instanceof AppError) {
        if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
        return reply.code(error.statusCode).send(body(error.code, error.message, error.issues));
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply
          .code(413)
          .send(
            body(
              'payload_too_large',
              `Request body exceeds the ${app.config.limits.maxBodyBytes}-byte limit (PROMPTLOG_MAX_BODY_BYTES); send smaller batches`,
            ),
          );
      }
      if (isClientDataError(error)) {
        return reply
          .code(400)
          .send(body('validation_failed', `The database rejected a value: ${postgresErrorMessage(error)}`));
      }
      const unavailable = temporaryUnavailability(error);
      if (unavailable) {
        request.log.warn(`request refused, ${unavailable.message}: ${error.message}`);
        reply.header('retry-after', String(unavailable.retryAfterSeconds));
        return reply.code(503).send(body('unavailable', unavailable.message));
      }
      const status = error.statusCode ?? 500;
      if (status < 500) {
        const code = error.code?.startsWith('FST_ERR_CTP') ? 'invalid_body' : 'bad_request';
        return reply.code(status).send(body(code, error.message));
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(body('internal', 'Something went wrong on the server; it has been logged'));
    });
  },
  { name: 'errors', dependencies: ['config'] },
);
