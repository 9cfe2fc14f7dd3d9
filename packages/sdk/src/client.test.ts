import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Promptlog, type PromptlogOptions } from './client.js';
import type { PromptlogError } from './errors.js';
import { type FakePromptlog, startFakePromptlog } from './testing/fake-promptlog.js';
import type { ExecutionInput } from './types.js';

let server: FakePromptlog;
const clients: Promptlog[] = [];

beforeAll(async () => {
  server = await startFakePromptlog();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.shutdown()));
  await server.close();
});
afterEach(() => {
  server.release();
});

/** A client for the fake server that sends only when told to (or as configured). */
function newClient(options: PromptlogOptions = {}): { promptlog: Promptlog; errors: PromptlogError[] } {
  const errors: PromptlogError[] = [];
  const promptlog = new Promptlog({
    baseUrl: server.url,
    apiKey: server.apiKey,
    flushAt: 100_000,
    flushIntervalMs: 60_000,
    onError: (error) => errors.push(error),
    ...options,
  });
  clients.push(promptlog);
  return { promptlog, errors };
}

function execution(promptId: string, overrides: Partial<ExecutionInput> = {}): ExecutionInput {
  return { promptId, status: 'success', source: { type: 'api' }, model: 'gpt-4o-mini', ...overrides };
}

function requestsFor(ids: string[]) {
  return server.requests.filter((request) => request.ids.some((id) => ids.includes(id)));
}

function storedCount(ids: string[]): number {
  return ids.filter((id) => server.stored.has(id)).length;
}

describe('Promptlog: batching', () => {
  it('queues records and sends them as one batch with the key once flushAt is reached, without a flush', async () => {
    const { promptlog, errors } = newClient({ flushAt: 3 });
    const ids = ['a', 'b', 'c'].map((name) => promptlog.log(execution(`batch-${name}`)));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await server.waitFor(() => storedCount(ids) === 3, 'the batch');
    const [request, ...others] = requestsFor(ids);
    expect(others).toEqual([]);
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/v1/executions/batch',
      authorization: `Bearer ${server.apiKey}`,
      ids,
    });
    expect(errors).toEqual([]);
  });

  it('keeps the id the record brings', async () => {
    const { promptlog } = newClient();
    const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(promptlog.log(execution('own-id', { id }))).toBe(id);
    await promptlog.flush();
    expect(server.stored.get(id)).toMatchObject({ promptId: 'own-id' });
  });

  it('sends what is queued after flushIntervalMs, without a flush', async () => {
    const { promptlog } = newClient({ flushIntervalMs: 20 });
    const ids = [promptlog.log(execution('interval-1')), promptlog.log(execution('interval-2'))];
    await server.waitFor(() => storedCount(ids) === 2, 'the interval flush');
    expect(requestsFor(ids)).toHaveLength(1);
  });

  it('flush() resolves once everything queued is stored; a flush with nothing queued sends nothing', async () => {
    const { promptlog } = newClient();
    const ids = Array.from({ length: 5 }, (_, index) => promptlog.log(execution(`flush-${index}`)));
    expect(promptlog.queuedCount).toBe(5);
    await Promise.all([promptlog.flush(), promptlog.flush()]);
    expect(storedCount(ids)).toBe(5);
    expect(requestsFor(ids)).toHaveLength(1);
    const before = server.requests.length;
    await promptlog.flush();
    expect(server.requests.length).toBe(before);
  });

  it('serialises a record when it is logged, so later changes to the objects passed in do not alter it', async () => {
    const { promptlog } = newClient();
    const inputs = { question: 'first' };
    const id = promptlog.log(execution('snapshot', { inputs }));
    inputs.question = 'changed';
    await promptlog.flush();
    expect(server.stored.get(id)?.inputs).toEqual({ question: 'first' });
  });
});

describe('Promptlog: the server limits', () => {
  it('splits a large queue into batches of at most 1000 records', async () => {
    const { promptlog } = newClient();
    const ids = Array.from({ length: 2500 }, (_, index) =>
      promptlog.log(execution('split-count', { inputs: { index } })),
    );
    await promptlog.flush();
    expect(requestsFor(ids).map((request) => request.ids.length)).toEqual([1000, 1000, 500]);
    expect(storedCount(ids)).toBe(2500);
  });

  it('splits batches at about 5 MB of JSON', async () => {
    const { promptlog, errors } = newClient();
    const big = 'x'.repeat(1_500_000);
    const ids = Array.from({ length: 5 }, () => promptlog.log(execution('split-bytes', { output: big })));
    await promptlog.flush();
    const requests = requestsFor(ids);
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(request.bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(storedCount(ids)).toBe(5);
    expect(errors).toEqual([]);
  });

  it('reports a record over 2 MB to onError and drops it, and sends the others', async () => {
    const { promptlog, errors } = newClient();
    const tooLarge = promptlog.log(execution('too-large', { output: 'y'.repeat(2 * 1024 * 1024 + 1) }));
    const fine = promptlog.log(execution('too-large-neighbour'));
    await promptlog.flush();
    expect(server.stored.has(tooLarge)).toBe(false);
    expect(server.stored.has(fine)).toBe(true);
    expect(requestsFor([tooLarge])).toEqual([]);
    expect(errors).toMatchObject([{ kind: 'record_too_large', details: { executionIds: [tooLarge] } }]);
  });

  it('halves a batch the server refuses as too large (413) until it fits', async () => {
    const { promptlog, errors } = newClient();
    const ids = Array.from({ length: 4 }, (_, index) => promptlog.log(execution(`halves-${index}`)));
    server.failNext({ status: 413 });
    await promptlog.flush();
    expect(requestsFor(ids).map((request) => request.ids.length)).toEqual([4, 2, 2]);
    expect(storedCount(ids)).toBe(4);
    expect(errors).toEqual([]);
  });
});

describe('Promptlog: retries', () => {
  it.each([
    ['Retry-After in seconds', () => ({ 'retry-after': '1' })],
    ['Retry-After as an HTTP date', () => ({ 'retry-after': new Date(Date.now() + 1000).toUTCString() })],
    ['no Retry-After (exponential backoff)', () => undefined],
  ])('retries a server answering 503 twice (%s): nothing lost, nothing doubled, same ids', async (_, headers) => {
    const { promptlog, errors } = newClient();
    const ids = Array.from({ length: 3 }, (_, index) => promptlog.log(execution(`retry-${index}`)));
    server.failNext({ status: 503, headers: headers() }, { status: 503, headers: headers() });
    await promptlog.flush();
    const attempts = requestsFor(ids);
    expect(attempts.map((request) => request.status)).toEqual([503, 503, 200]);
    for (const attempt of attempts) expect(attempt.ids).toEqual(ids);
    expect(storedCount(ids)).toBe(3);
    expect(errors).toEqual([]);
  });

  it('retries after a dropped connection and a 429', async () => {
    const { promptlog, errors } = newClient();
    const ids = [promptlog.log(execution('retry-network'))];
    server.failNext('drop-connection', { status: 429, headers: { 'retry-after': '0' } });
    await promptlog.flush();
    expect(requestsFor(ids).map((request) => request.status)).toEqual([-1, 429, 200]);
    expect(storedCount(ids)).toBe(1);
    expect(errors).toEqual([]);
  });

  it('stores a batch once when the answer to the first attempt was lost', async () => {
    const { promptlog, errors } = newClient();
    const ids = [promptlog.log(execution('answer-lost-1')), promptlog.log(execution('answer-lost-2'))];
    server.failNext('drop-answer');
    await promptlog.flush();
    expect(requestsFor(ids)).toHaveLength(2);
    expect(storedCount(ids)).toBe(2);
    expect(errors).toEqual([]);
  });

  it('gives up after maxRetries and reports the records it could not deliver', async () => {
    const { promptlog, errors } = newClient({ maxRetries: 1 });
    const ids = [promptlog.log(execution('give-up'))];
    server.failNext({ status: 500 }, { status: 500 });
    await promptlog.flush();
    expect(requestsFor(ids)).toHaveLength(2);
    expect(errors).toMatchObject([{ kind: 'delivery_failed', details: { status: 500, executionIds: ids } }]);
    const next = promptlog.log(execution('after-give-up'));
    await promptlog.flush();
    expect(server.stored.has(next)).toBe(true);
  });
});

describe('Promptlog: refusals and errors', () => {
  it('reports records the server rejects and does not resend them; the valid ones are stored', async () => {
    const { promptlog, errors } = newClient();
    const bad = promptlog.log(execution('not a valid prompt key'));
    const good = promptlog.log(execution('valid-neighbour'));
    await promptlog.flush();
    expect(server.stored.has(good)).toBe(true);
    expect(requestsFor([bad])).toHaveLength(1);
    expect(errors).toMatchObject([{ kind: 'rejected', details: { executionIds: [bad] } }]);
    server.rejected.length = 0;
  });

  it('reports a refused API key without retrying and without showing the key', async () => {
    const errors: PromptlogError[] = [];
    const promptlog = new Promptlog({
      baseUrl: server.url,
      apiKey: 'pl_wrong_secret_key',
      onError: (e) => errors.push(e),
    });
    clients.push(promptlog);
    const id = promptlog.log(execution('wrong-key'));
    await promptlog.flush();
    expect(requestsFor([id])).toHaveLength(1);
    expect(errors).toMatchObject([{ kind: 'unauthorized', details: { status: 401 } }]);
    expect(JSON.stringify(errors.map((e) => [e.message, e.details]))).not.toContain('pl_wrong_secret_key');
  });

  it('warns on the console once per kind of problem by default, never with the key', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const promptlog = new Promptlog({ baseUrl: server.url, apiKey: 'pl_other_wrong_key' });
      clients.push(promptlog);
      promptlog.log(execution('warn-once-1'));
      await promptlog.flush();
      promptlog.log(execution('warn-once-2'));
      await promptlog.flush();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/\[promptlog\].*401/);
      expect(String(warn.mock.calls[0]?.[0])).not.toContain('pl_other_wrong_key');
    } finally {
      warn.mockRestore();
    }
  });

  it('never throws into the application: unserialisable records and a throwing onError', () => {
    const { promptlog, errors } = newClient();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const id = promptlog.log(execution('circular', { metadata: circular }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    promptlog.log(execution('bigint', { inputs: { n: 10n } }));
    expect(errors.map((error) => error.kind)).toEqual(['invalid_record', 'invalid_record']);

    const throwing = new Promptlog({
      baseUrl: server.url,
      apiKey: server.apiKey,
      onError: () => {
        throw new Error('handler bug');
      },
    });
    clients.push(throwing);
    expect(() => throwing.log(execution('circular', { metadata: circular }))).not.toThrow();
    expect(promptlog.queuedCount).toBe(0);
  });

  it('drops the oldest records when the queue is full, counts them and reports it', async () => {
    const { promptlog, errors } = newClient({ maxQueueSize: 5 });
    const ids = Array.from({ length: 8 }, (_, index) => promptlog.log(execution(`overflow-${index}`)));
    expect(promptlog.droppedCount).toBe(3);
    expect(promptlog.queuedCount).toBe(5);
    await promptlog.flush();
    expect(ids.map((id) => server.stored.has(id))).toEqual([false, false, false, true, true, true, true, true]);
    expect(errors.map((error) => error.kind)).toEqual(['queue_overflow', 'queue_overflow', 'queue_overflow']);
    expect(errors.flatMap((error) => error.details.executionIds)).toEqual(ids.slice(0, 3));
  });
});

describe('Promptlog: configuration', () => {
  it('reads PROMPTLOG_URL and PROMPTLOG_API_KEY when no options are given', async () => {
    vi.stubEnv('PROMPTLOG_URL', `${server.url}/`);
    vi.stubEnv('PROMPTLOG_API_KEY', server.apiKey);
    try {
      const promptlog = new Promptlog();
      clients.push(promptlog);
      const id = promptlog.log(execution('from-env'));
      await promptlog.flush();
      expect(server.stored.has(id)).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('without an API key sends nothing, says so once, and still returns ids', async () => {
    vi.stubEnv('PROMPTLOG_API_KEY', '');
    try {
      const errors: PromptlogError[] = [];
      const promptlog = new Promptlog({ baseUrl: server.url, onError: (error) => errors.push(error) });
      const before = server.requests.length;
      expect(promptlog.log(execution('no-key'))).toMatch(/^[0-9a-f-]{36}$/);
      await promptlog.flush();
      expect(server.requests.length).toBe(before);
      expect(errors.map((error) => error.kind)).toEqual(['not_configured']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('Promptlog: shutdown', () => {
  it('delivers everything queued, then refuses new records', async () => {
    const { promptlog, errors } = newClient();
    const ids = Array.from({ length: 3 }, (_, index) => promptlog.log(execution(`shutdown-${index}`)));
    server.failNext({ status: 503, headers: { 'retry-after': '0' } });
    await promptlog.shutdown();
    expect(storedCount(ids)).toBe(3);
    const late = promptlog.log(execution('after-shutdown'));
    await promptlog.flush();
    expect(server.stored.has(late)).toBe(false);
    expect(errors.map((error) => error.kind)).toEqual(['closed']);
  });

  const child = promisify(execFile);
  const sdkEntry = fileURLToPath(new URL('./index.ts', import.meta.url));

  it('never keeps a Node process alive: an armed flush timer and a pending retry let it exit', async () => {
    const script = `
      const { Promptlog } = await import(${JSON.stringify(sdkEntry)});
      const idle = new Promptlog({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', flushIntervalMs: 600000, onError() {} });
      idle.log({ promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' });
      const retrying = new Promptlog({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', flushAt: 1, onError() {} });
      retrying.log({ promptId: 'p', status: 'success', source: { type: 'api' }, model: 'm' });
      console.log('logged');
    `;
    const { stdout } = await child(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('logged');
  });

  it('keeps the process alive while the application awaits shutdown(), through retries', async () => {
    server.failNext({ status: 503, headers: { 'retry-after': '1' } });
    const script = `
      const { Promptlog } = await import(${JSON.stringify(sdkEntry)});
      const promptlog = new Promptlog({ baseUrl: ${JSON.stringify(server.url)}, apiKey: ${JSON.stringify(server.apiKey)} });
      const id = promptlog.log({ promptId: 'child-process', status: 'success', source: { type: 'api' }, model: 'm' });
      await promptlog.shutdown();
      console.log(id);
    `;
    const { stdout } = await child(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 20_000,
    });
    const id = stdout.trim();
    expect(requestsFor([id]).map((request) => request.status)).toEqual([503, 200]);
    expect(server.stored.has(id)).toBe(true);
  });
});

describe('Promptlog: completing pending executions', () => {
  it('sends the completion with PATCH after the pending record was stored, retrying it like a batch', async () => {
    const { promptlog, errors } = newClient({ flushAt: 1 });
    const id = promptlog.log(execution('pending', { status: 'pending' }));
    await server.waitFor(() => server.stored.get(id)?.status === 'pending', 'the pending record');
    server.failNext({ status: 502 });
    promptlog.complete(id, { status: 'success', output: 'done', usage: { inputTokens: 3, outputTokens: 1 } });
    await promptlog.flush();
    expect(server.stored.get(id)).toMatchObject({ status: 'success', output: 'done', completed: true });
    const patches = server.requests.filter((request) => request.method === 'PATCH' && request.ids[0] === id);
    expect(patches.map((request) => request.status)).toEqual([502, 200]);
    expect(errors).toEqual([]);
  });

  it('counts a completion as delivered when a retry finds that the lost first attempt was applied', async () => {
    const { promptlog, errors } = newClient({ flushAt: 1 });
    const id = promptlog.log(execution('pending-lost-answer', { status: 'pending' }));
    await server.waitFor(() => server.stored.get(id)?.status === 'pending', 'the pending record');
    server.failNext('drop-answer');
    promptlog.complete(id, { status: 'error', error: { type: 'provider', message: 'boom' } });
    await promptlog.flush();
    const patches = server.requests.filter((request) => request.method === 'PATCH' && request.ids[0] === id);
    expect(patches.map((request) => request.status)).toEqual([200, 409]);
    expect(server.stored.get(id)).toMatchObject({ status: 'error' });
    expect(errors).toEqual([]);
  });

  it('merges the completion into a pending record that is still queued', async () => {
    const { promptlog } = newClient();
    const id = promptlog.log(execution('pending-folded', { status: 'pending', metadata: { a: 1 } }));
    promptlog.complete(id, { status: 'cancelled', metadata: { b: 2 } });
    await promptlog.flush();
    expect(requestsFor([id]).map((request) => request.method)).toEqual(['POST']);
    expect(server.stored.get(id)).toMatchObject({ status: 'cancelled', metadata: { a: 1, b: 2 } });
  });

  it('reports a completion whose pending record was never stored instead of sending it', async () => {
    const { promptlog, errors } = newClient();
    const id = promptlog.log(execution('not a valid key', { status: 'pending' }));
    await promptlog.flush();
    promptlog.complete(id, { status: 'success' });
    await promptlog.flush();
    expect(server.requests.filter((request) => request.method === 'PATCH' && request.ids[0] === id)).toEqual([]);
    expect(errors.map((error) => error.kind)).toEqual(['rejected', 'completion_failed']);
    server.rejected.length = 0;
  });
});
