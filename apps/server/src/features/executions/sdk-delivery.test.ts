import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseHandle } from '@promptlog/db';
import { Promptlog, type PromptlogError, wrapOpenAI } from '@promptlog/sdk';
import { type FakeProviders, startFakeProviders } from '@promptlog/sdk/testing';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestProject, openTestDatabase } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;
let appUrl: string;
let providers: FakeProviders;

beforeAll(async () => {
  handle = await openTestDatabase();
  app = await createTestApp(handle);
  appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  providers = await startFakeProviders();
});
afterAll(async () => {
  await providers?.close();
  await app?.close();
  await handle?.close();
});

interface FlakyProxy {
  url: string;
  /** Every request that reached the proxy: its status and the execution ids it carried. */
  seen: { method: string; status: number; ids: string[] }[];
  close(): Promise<void>;
}

/** Stands in front of the server and answers 503 to the first requests, then forwards. */
async function startFlakyProxy(target: string, failures: { retryAfter?: string }[]): Promise<FlakyProxy> {
  const seen: FlakyProxy['seen'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = body ? JSON.parse(body) : {};
      const ids: string[] = Array.isArray(parsed.executions)
        ? parsed.executions.map((execution: { id: string }) => execution.id)
        : [(req.url ?? '').split('/').at(-1) ?? ''];
      const failure = failures.shift();
      if (failure) {
        seen.push({ method: req.method ?? '', status: 503, ids });
        res.writeHead(503, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
        res.end();
        return;
      }
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
        body,
      });
      seen.push({ method: req.method ?? '', status: upstream.status, ids });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface StoredRow {
  id: string;
  status: string;
  model: string;
  provider: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cost_usd: string | null;
  cost_origin: string;
  error_type: string | null;
  time_to_first_token_ms: number | null;
  payloads: number;
}

async function storedRows(projectId: string): Promise<StoredRow[]> {
  return handle.query<StoredRow>(
    `select e.id, e.status, e.model, e.provider, e.input_tokens, e.output_tokens, e.cache_read_tokens,
            e.cost_usd::text as cost_usd, e.cost_origin, e.error_type, e.time_to_first_token_ms,
            (select count(*)::int from execution_payloads p where p.project_id = e.project_id and p.execution_id = e.id) as payloads
       from executions e where e.project_id = $1`,
    [projectId],
  );
}

describe('the SDK delivering to the real server', () => {
  it('stores every wrapped call exactly once, with usage, cost and status, through a server that answers 503 twice', async () => {
    const project = await createTestProject(handle);
    const proxy = await startFlakyProxy(appUrl, [{ retryAfter: '1' }, {}]);
    const errors: PromptlogError[] = [];
    const promptlog = new Promptlog({
      baseUrl: proxy.url,
      apiKey: project.apiKey,
      flushAt: 3,
      flushIntervalMs: 50,
      onError: (error) => errors.push(error),
    });
    const openai = wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: providers.openaiBaseURL, maxRetries: 0 }), {
      promptlog,
      promptId: 'sdk-delivery',
      promptVersion: 1,
    });
    const messages = [{ role: 'user' as const, content: 'Where is my order?' }];

    for (let call = 0; call < 4; call++) {
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    }
    for (let call = 0; call < 3; call++) {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream);
    }
    for (const model of ['error-429', 'error-401']) {
      await expect(openai.chat.completions.create({ model, messages })).rejects.toThrow();
    }
    await promptlog.shutdown();
    await proxy.close();

    expect(errors).toEqual([]);
    const rows = await storedRows(project.projectId);
    expect(rows).toHaveLength(9);
    expect(rows.every((row) => row.payloads === 1)).toBe(true);

    // The refused attempts carried the same ids as the attempt that was stored: retried, not re-logged.
    const refused = proxy.seen.filter((request) => request.status === 503);
    expect(refused).toHaveLength(2);
    const stored = new Set(rows.map((row) => row.id));
    for (const request of refused) for (const id of request.ids) expect(stored.has(id)).toBe(true);
    expect(new Set(proxy.seen.flatMap((request) => request.ids))).toEqual(stored);

    // gpt-4o-mini: $0.15/M input, $0.075/M cached input, $0.60/M output; the fake reports 120 input
    // tokens of which 20 cached, and 30 output: (100 × 0.15 + 20 × 0.075 + 30 × 0.6) / 1e6.
    const successes = rows.filter((row) => row.status === 'success');
    expect(successes).toHaveLength(7);
    for (const row of successes) {
      expect(row).toMatchObject({
        model: 'gpt-4o-mini',
        provider: 'openai',
        input_tokens: 120,
        output_tokens: 30,
        cache_read_tokens: 20,
        cost_origin: 'catalog',
      });
      expect(Number(row.cost_usd)).toBe(0.0000345);
    }
    expect(successes.filter((row) => row.time_to_first_token_ms !== null)).toHaveLength(3);
    const failures = rows
      .filter((row) => row.status === 'error')
      .map((row) => [row.model, row.error_type, row.cost_usd]);
    expect(failures.sort()).toEqual([
      ['error-401', 'authentication', null],
      ['error-429', 'rate_limit', null],
    ]);
  });

  it('logs a long call as pending, then completes it with PATCH through the same flaky server', async () => {
    const project = await createTestProject(handle);
    const failures: { retryAfter?: string }[] = [];
    const proxy = await startFlakyProxy(appUrl, failures);
    const errors: PromptlogError[] = [];
    const promptlog = new Promptlog({
      baseUrl: proxy.url,
      apiKey: project.apiKey,
      flushAt: 1,
      onError: (e) => errors.push(e),
    });
    const openai = wrapOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: providers.openaiBaseURL, maxRetries: 0 }), {
      promptlog,
      promptId: 'sdk-pending',
      logPending: true,
    });
    const call = openai.chat.completions.create({
      model: 'hold-gpt-4o-mini',
      messages: [{ role: 'user', content: 'Slow' }],
    });
    await until(async () => (await storedRows(project.projectId))[0]?.status === 'pending');
    await until(async () => providers.heldCount > 0);
    // The completion meets one 503 before it is applied.
    failures.push({ retryAfter: '0' });
    providers.release();
    await call;
    await promptlog.shutdown();
    await proxy.close();

    expect(errors).toEqual([]);
    const rows = await storedRows(project.projectId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'success', input_tokens: 120, output_tokens: 30, payloads: 1 });
    expect(proxy.seen.map((request) => [request.method, request.status])).toEqual([
      ['POST', 200],
      ['PATCH', 503],
      ['PATCH', 200],
    ]);
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
