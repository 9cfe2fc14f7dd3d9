import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, isClientDataError, postgresErrorMessage, temporaryUnavailability } from '../../errors';
import { requestIngestKey } from '../../plugins/auth';
import { decodeJsonExport, OtlpJsonError } from './decode-json';
import { decodeProtobufExport, encodeProtobufResponse, encodeProtobufStatus, OtlpDecodeError } from './decode-protobuf';
import type { OtlpExport } from './otlp-model';
import { ingestOtlpExport } from './service';

const gunzipAsync = promisify(gunzip);

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

const ExportTraceServiceResponse = z
  .object({
    partialSuccess: z.object({ rejectedSpans: z.number().int(), errorMessage: z.string() }).optional(),
  })
  .describe('ExportTraceServiceResponse (protobuf or JSON, as the request was sent)');
const RpcStatus = z
  .object({ code: z.number().int(), message: z.string() })
  .describe('google.rpc.Status, in the encoding of the request');

/** The gRPC status code OTLP/HTTP puts in a Status body for each HTTP status. */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 413: 3, 415: 3, 429: 8, 503: 14 };

function wantsProtobuf(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith(PROTOBUF);
}

/** Protobuf bodies are bytes, which Fastify sends as they are; the route's schema describes the JSON form. */
function sendProtobuf(reply: FastifyReply, bytes: Uint8Array) {
  return reply.type(PROTOBUF).send(Buffer.from(bytes));
}

function sendStatus(request: FastifyRequest, reply: FastifyReply, httpStatus: number, message: string) {
  const code = GRPC_CODE[httpStatus] ?? 13;
  reply.code(httpStatus);
  if (wantsProtobuf(request)) return sendProtobuf(reply, encodeProtobufStatus(code, message));
  return reply.type(JSON_TYPE).send({ code, message });
}

/**
 * OTLP/HTTP trace receiver: a standard exporter works with OTEL_EXPORTER_OTLP_ENDPOINT=<promptlog>/api/otel and an
 * ingest key in OTEL_EXPORTER_OTLP_HEADERS. Registered as its own scope, so its body parsers and its error bodies
 * (google.rpc.Status, as the OTLP specification asks) apply to this route only.
 */
export const otlpRoutes: FastifyPluginAsyncZod = async (app) => {
  const limits = app.config.limits;
  let exportsInProgress = 0;

  app.removeContentTypeParser(JSON_TYPE);
  app.addContentTypeParser(
    [JSON_TYPE, PROTOBUF],
    { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes },
    (_request, body, done) => done(null, body),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendStatus(request, reply, error.statusCode, error.message);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendStatus(
        request,
        reply,
        413,
        `Request body exceeds the ${limits.maxBodyBytes}-byte limit (PROMPTLOG_MAX_BODY_BYTES); export smaller batches`,
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendStatus(request, reply, 415, `Send ${PROTOBUF} or ${JSON_TYPE}`);
    }
    if (isClientDataError(error))
      return sendStatus(request, reply, 400, `The database rejected a value: ${postgresErrorMessage(error)}`);
    const unavailable = temporaryUnavailability(error);
    if (unavailable) {
      request.log.warn(`OTLP export refused, ${unavailable.message}: ${error.message}`);
      reply.header('retry-after', String(unavailable.retryAfterSeconds));
      return sendStatus(request, reply, 503, unavailable.message);
    }
    const status = error.statusCode ?? 500;
    if (status < 500) return sendStatus(request, reply, status, error.message);
    request.log.error({ err: error }, 'OTLP export failed');
    return sendStatus(request, reply, 500, 'Something went wrong on the server; it has been logged');
  });

  // Counted from arrival until the response is done or the connection dropped ('close' comes either way), so a
  // burst is refused before its bodies are read and decoded.
  app.post('/api/otel/v1/traces', {
    onRequest: [
      async (_request, reply) => {
        if (exportsInProgress >= limits.maxConcurrentExports) {
          throw new AppError('unavailable', 'Too many exports in progress; retry shortly', undefined, 1);
        }
        exportsInProgress++;
        reply.raw.once('close', () => {
          exportsInProgress--;
        });
      },
      app.authenticate(['apiKey']),
    ],
    schema: {
      tags: ['ingestion'],
      summary:
        'OTLP/HTTP traces (protobuf or JSON, optionally gzip): LLM spans become executions, other AI spans trace steps',
      response: {
        200: ExportTraceServiceResponse,
        400: RpcStatus,
        401: RpcStatus,
        403: RpcStatus,
        413: RpcStatus,
        415: RpcStatus,
        503: RpcStatus,
      },
    },
    handler: async (request, reply) => {
      const apiKey = requestIngestKey(request);
      const body = await decompressed(request, limits.maxBodyBytes);
      const result = await ingestOtlpExport(app.database, apiKey, decodeExport(request, body), limits);
      app.executionEvents.publish(result.created.map((e) => ({ type: 'created', projectId: apiKey.projectId, ...e })));
      const rejected = result.rejected.count
        ? { rejectedSpans: result.rejected.count, errorMessage: result.rejected.messages.join('; ') }
        : null;
      if (wantsProtobuf(request)) return sendProtobuf(reply, encodeProtobufResponse(rejected));
      return rejected ? { partialSuccess: rejected } : {};
    },
  });
};

async function decompressed(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  const body = request.body;
  if (!Buffer.isBuffer(body)) throw new AppError('validation_failed', 'The request has no body');
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return body;
  if (encoding !== 'gzip') {
    throw new AppError('validation_failed', `Content-Encoding ${encoding} is not supported; send gzip or nothing`);
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AppError(
        'payload_too_large',
        `The decompressed body exceeds the ${maxBytes}-byte limit (PROMPTLOG_MAX_BODY_BYTES); export smaller batches`,
      );
    }
    throw new AppError('validation_failed', `The body is not valid gzip: ${(error as Error).message}`);
  }
}

function decodeExport(request: FastifyRequest, body: Buffer): OtlpExport {
  try {
    return wantsProtobuf(request) ? decodeProtobufExport(body) : decodeJsonExport(body.toString('utf8'));
  } catch (error) {
    if (error instanceof OtlpDecodeError || error instanceof OtlpJsonError) {
      throw new AppError('validation_failed', error.message);
    }
    throw error;
  }
}
