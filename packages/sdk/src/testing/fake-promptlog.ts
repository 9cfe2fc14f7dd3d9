import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionInput, ExecutionPatch } from '@promptlog/contracts';

export const FAKE_API_KEY = 'pl_test_fake_key_0123456789';

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  bytes: number;
  body: unknown;
  /** The ids of the executions in a batch, or the completed id of a PATCH. */
  ids: string[];
  status: number;
}

/**
 * One failure the fake answers with before it behaves normally again: an HTTP status, a connection
 * dropped before handling the request, or one dropped after storing it (the answer is lost).
 */
export type Failure = { status: number; headers?: Record<string, string> } | 'drop-connection' | 'drop-answer';

/**
 * A local Promptlog ingestion endpoint: batches and PATCH completions, validated with the real
 * contracts and with the server's default limits, so what it accepts the real server accepts.
 */
export interface FakePromptlog {
  url: string;
  apiKey: string;
  requests: ReceivedRequest[];
  /** Stored executions by id, completions applied. */
  stored: Map<string, Record<string, unknown>>;
  /** Items the fake rejected, with the contract's complaint. */
  rejected: { id: string | null; message: string }[];
  /** Answers the next requests with these failures, in order. */
  failNext(...failures: Failure[]): void;
  /** Keeps requests waiting until `release()`. */
  hold(): void;
  release(): void;
  /** Resolves once `condition` holds, checked after every request (fails after 10 s instead of hanging). */
  waitFor(condition: () => boolean, description?: string): Promise<void>;
  close(): Promise<void>;
}

const LIMITS = { maxBatchSize: 1000, maxBodyBytes: 10 * 1024 * 1024, maxRecordBytes: 2 * 1024 * 1024 };

export async function startFakePromptlog(): Promise<FakePromptlog> {
  const requests: ReceivedRequest[] = [];
  const stored = new Map<string, Record<string, unknown>>();
  const rejected: FakePromptlog['rejected'] = [];
  const failures: Failure[] = [];
  const watchers = new Set<() => void>();
  let holding = false;
  let held: (() => void)[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).finally(() => {
      for (const check of [...watchers]) check();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const path = req.url ?? '';
    const record: ReceivedRequest = {
      method: req.method ?? '',
      path,
      authorization: req.headers.authorization,
      bytes: raw.length,
      body: parseJson(raw.toString('utf8')),
      ids: [],
      status: 0,
    };
    record.ids = idsOf(record.body, path);
    requests.push(record);
    if (holding) await new Promise<void>((resolve) => held.push(resolve));
    const failure = failures.shift();
    if (failure === 'drop-connection') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (failure === 'drop-answer') {
        req.socket.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (failure && failure !== 'drop-answer') {
      return answer(failure.status, { error: { code: 'fake', message: 'Failing on purpose' } }, failure.headers);
    }
    if (record.authorization !== `Bearer ${FAKE_API_KEY}`) {
      return answer(401, { error: { code: 'unauthorized', message: 'Invalid API key' } });
    }
    if (raw.length > LIMITS.maxBodyBytes) {
      return answer(413, { error: { code: 'payload_too_large', message: 'Body over PROMPTLOG_MAX_BODY_BYTES' } });
    }
    if (req.method === 'POST' && path === '/api/v1/executions/batch') return answer(...ingestBatch(record.body));
    const patchId = /^\/api\/v1\/executions\/([^/]+)$/.exec(path)?.[1];
    if (req.method === 'PATCH' && patchId) return answer(...complete(decodeURIComponent(patchId), record.body));
    answer(404, { error: { code: 'not_found', message: `No route ${req.method} ${path}` } });
  }

  function ingestBatch(body: unknown): [number, unknown] {
    const items = isRecord(body) && Array.isArray(body.executions) ? body.executions : undefined;
    if (!items || items.length === 0) return [400, { error: { code: 'validation_failed', message: 'bad envelope' } }];
    if (items.length > LIMITS.maxBatchSize) {
      return [413, { error: { code: 'payload_too_large', message: 'Batch over PROMPTLOG_MAX_BATCH_SIZE' } }];
    }
    const results = items.map((item: unknown) => {
      const rawId = isRecord(item) && typeof item.id === 'string' ? item.id : null;
      const parsed = ExecutionInput.safeParse(item);
      if (!parsed.success || JSON.stringify(item).length > LIMITS.maxRecordBytes) {
        const message = parsed.success ? 'over PROMPTLOG_MAX_RECORD_BYTES' : parsed.error.message;
        rejected.push({ id: rawId, message });
        return { id: rawId, status: 'rejected', error: { code: 'validation_failed', message } };
      }
      const id = rawId ?? `generated-${stored.size}`;
      if (stored.has(id)) return { id, status: 'duplicate' };
      stored.set(id, { ...(item as Record<string, unknown>) });
      return { id, status: 'created' };
    });
    return [200, { results }];
  }

  function complete(id: string, body: unknown): [number, unknown] {
    const parsed = ExecutionPatch.safeParse(body);
    if (!parsed.success) {
      rejected.push({ id, message: parsed.error.message });
      return [400, { error: { code: 'validation_failed', message: parsed.error.message } }];
    }
    const execution = stored.get(id);
    if (!execution) return [404, { error: { code: 'not_found', message: `No execution ${id}` } }];
    if (execution.status !== 'pending') return [409, { error: { code: 'conflict', message: 'Already completed' } }];
    const patch = body as Record<string, unknown>;
    const metadata = isRecord(patch.metadata)
      ? { ...(execution.metadata as object), ...patch.metadata }
      : execution.metadata;
    stored.set(id, { ...execution, ...patch, metadata, completed: true });
    return [200, { id }];
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: FAKE_API_KEY,
    requests,
    stored,
    rejected,
    failNext: (...next) => failures.push(...next),
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const resolve of held) resolve();
      held = [];
    },
    waitFor(condition, description = 'the condition') {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!condition()) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`Timed out waiting for ${description}`));
        }, 10_000);
        watchers.add(check);
        check();
      });
    },
    close() {
      holding = false;
      for (const resolve of held) resolve();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idsOf(body: unknown, path: string): string[] {
  if (isRecord(body) && Array.isArray(body.executions)) {
    return body.executions.map((item: unknown) => (isRecord(item) && typeof item.id === 'string' ? item.id : ''));
  }
  const patchId = /^\/api\/v1\/executions\/([^/]+)$/.exec(path)?.[1];
  return patchId ? [decodeURIComponent(patchId)] : [];
}
