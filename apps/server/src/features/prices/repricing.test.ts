import type { DatabaseHandle } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, logIn, type TestProject, testConfig, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';
import { auditActions } from '../audit/failing-audit';
import { runRepricingChunk, startRepricingWorker } from '../pricing/repricing-jobs';
import { finishRepricing } from '../pricing/test-repricing';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const MODEL = 'acme-batch-llm';
const WINDOW = 'from=2026-05-31T00:00:00Z&to=2026-06-03T00:00:00Z';

/** `count` successful calls of 3,000 input and 1,000 output tokens (400 of them reasoning), a minute apart. */
async function logCalls(project: TestProject, count: number, extra: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: Array.from({ length: count }, (_, i) => ({
        promptId: 'batch',
        status: 'success',
        source: { type: 'api' },
        model: MODEL,
        provider: 'acme',
        startedAt: new Date(Date.parse('2026-06-01T00:00:00Z') + i * 60_000).toISOString(),
        usage: { inputTokens: 3000, outputTokens: 1000, reasoningTokens: 400 },
        ...extra,
      })),
    },
  });
  expect(response.statusCode, response.body).toBe(200);
}

async function adminSession(project: TestProject) {
  const session = await logIn(app, project.email, project.password);
  return { cookies: session.cookies, headers: session.headers };
}

async function setPrice(project: TestProject, body: Record<string, unknown>, priceId?: string) {
  const response = await app.inject({
    method: priceId ? 'PUT' : 'POST',
    url: priceId ? `/api/v1/prices/${priceId}` : '/api/v1/prices',
    ...(await adminSession(project)),
    payload: { model: MODEL, ...body },
  });
  expect(response.statusCode, response.body).toBe(priceId ? 200 : 201);
  return response.json() as { price: { id: string }; repricing: { id: string; state: string } };
}

const job = (project: TestProject, id: string) =>
  app.inject({ url: `/api/v1/prices/repricing/${id}`, headers: project.auth }).then((r) => r.json());

/** The costs of the project's executions, as their distinct amounts, and their exact sum. */
async function rawCosts(project: TestProject) {
  const [row] = await handle.query<{ costs: string[]; total: string | null }>(
    `select array_agg(distinct trim_scale(cost_usd)::text) as costs, trim_scale(sum(cost_usd))::text as total
     from executions where project_id = $1`,
    [project.projectId],
  );
  return row;
}

/** After folding, the analytics summary's cost must equal the sum of the executions' costs: no delta lost or doubled. */
async function expectRollupsExact(project: TestProject, calls: number) {
  await foldRollupDeltas(handle);
  const raw = await rawCosts(project);
  const summary = await app.inject({ url: `/api/v1/analytics/summary?${WINDOW}`, headers: project.auth });
  expect(summary.json()).toMatchObject({ calls, costUsd: raw?.total ?? null });
}

describe('re-pricing in the background', () => {
  it('answers a price change before re-pricing, then walks it chunk by chunk to exact costs and rollups', async () => {
    const project = await createTestProject(handle);
    await logCalls(project, 5);
    await foldRollupDeltas(handle);

    const { repricing } = await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8' });
    expect(repricing).toMatchObject({ state: 'queued', model: MODEL, action: 'created', total: null, processed: 0 });
    // Nothing re-priced yet: the request committed the price and its job only.
    expect(await rawCosts(project)).toMatchObject({ costs: [null], total: null });
    const listed = await app.inject({
      url: `/api/v1/prices/repricing?projectId=${project.projectId}`,
      headers: project.auth,
    });
    expect(listed.json().items).toEqual([expect.objectContaining({ id: repricing.id, state: 'queued' })]);

    const tuning = { projectId: project.projectId, chunkSize: 2 };
    expect(await runRepricingChunk(handle, tuning)).toBe('walked');
    expect(await job(project, repricing.id)).toMatchObject({ state: 'running', total: 5, processed: 2, repriced: 2 });
    // Each chunk commits its costs with their rollup deltas: the totals are exact between chunks too.
    await expectRollupsExact(project, 5);

    expect(await runRepricingChunk(handle, tuning)).toBe('walked');
    expect(await runRepricingChunk(handle, tuning)).toBe('walked');
    expect(await runRepricingChunk(handle, tuning)).toBe('idle');
    const done = await job(project, repricing.id);
    expect(done).toMatchObject({ state: 'done', total: 5, processed: 5, repriced: 5, error: null });
    expect(done.finishedAt).toEqual(expect.any(String));
    // 3,000 × 2 + 1,000 × 8 = 14,000 per million each: reasoning billed as output without a reasoning rate.
    expect(await rawCosts(project)).toEqual({ costs: ['0.014'], total: '0.07' });
    await expectRollupsExact(project, 5);
  });

  it('prices reasoning tokens at a custom reasoning rate, the rest of the output at the output rate', async () => {
    const project = await createTestProject(handle);
    await logCalls(project, 2);
    const created = await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8', reasoningPerMillion: '20' });
    expect(created.price).toMatchObject({ reasoningPerMillion: '20' });
    expect(await finishRepricing(handle, project.projectId)).toEqual(['done']);
    // 3,000 × 2 + 600 × 8 + 400 × 20 = 6,000 + 4,800 + 8,000 = 18,800 per million
    expect(await rawCosts(project)).toEqual({ costs: ['0.0188'], total: '0.0376' });
    await expectRollupsExact(project, 2);
    // A new call is priced at the reasoning rate at ingestion too.
    await logCalls(project, 1, { startedAt: '2026-06-01T12:00:00Z' });
    expect(await rawCosts(project)).toEqual({ costs: ['0.0188'], total: '0.0564' });

    // Cleared, the reasoning tokens are output again; new calls are priced the same way at ingestion.
    await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8' }, created.price.id);
    expect(await finishRepricing(handle, project.projectId)).toEqual(['done', 'done']);
    await logCalls(project, 1, { startedAt: '2026-06-02T00:00:00Z' });
    expect(await rawCosts(project)).toEqual({ costs: ['0.014'], total: '0.056' });
    await expectRollupsExact(project, 4);
  });

  it('pauses when its worker stops and resumes with a new one, counting nothing twice', async () => {
    const project = await createTestProject(handle);
    await logCalls(project, 6);
    await foldRollupDeltas(handle);
    const { repricing } = await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8' });
    const log = { warn: () => undefined };

    const first = startRepricingWorker(handle, { intervalMs: 5, log, projectId: project.projectId, chunkSize: 1 });
    await expect.poll(async () => (await job(project, repricing.id)).processed, { timeout: 20_000 }).toBeGreaterThan(0);
    await first();
    const paused = await job(project, repricing.id);
    // Stopped between two chunks: what it walked is committed, with the cursor to go on from.
    expect(paused.processed).toBe(paused.repriced);
    if (paused.state !== 'done') expect(paused.state).toBe('running');

    const second = startRepricingWorker(handle, { intervalMs: 5, log, projectId: project.projectId, chunkSize: 4 });
    await expect.poll(async () => (await job(project, repricing.id)).state, { timeout: 20_000 }).toBe('done');
    await second();
    expect(await job(project, repricing.id)).toMatchObject({ total: 6, processed: 6, repriced: 6 });
    await expectRollupsExact(project, 6);

    // A chunk walked again (as after a crash between its writes and its cursor, were they apart) writes nothing.
    await handle.query(`update repricing_jobs set state = 'running', cursor = null where id = $1`, [repricing.id]);
    await finishRepricing(handle, project.projectId);
    expect(await job(project, repricing.id)).toMatchObject({ state: 'done', processed: 12, repriced: 6 });
    expect(await rawCosts(project)).toEqual({ costs: ['0.014'], total: '0.084' });
    await expectRollupsExact(project, 6);
  });

  it('runs two jobs of a project in the order they were made, the later against the latest price', async () => {
    const project = await createTestProject(handle);
    await logCalls(project, 3);
    const created = await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8' });
    const changed = await setPrice(project, { inputPerMillion: '1', outputPerMillion: '4' }, created.price.id);

    const tuning = { projectId: project.projectId, chunkSize: 10 };
    expect(await runRepricingChunk(handle, tuning)).toBe('walked');
    // The first job's chunk already resolved against the price as it is now; the second re-walks and finds it so.
    expect(await job(project, created.repricing.id)).toMatchObject({ state: 'done', repriced: 3 });
    expect(await job(project, changed.repricing.id)).toMatchObject({ state: 'queued', processed: 0 });
    expect(await runRepricingChunk(handle, tuning)).toBe('walked');
    expect(await job(project, changed.repricing.id)).toMatchObject({ state: 'done', processed: 3, repriced: 0 });
    // 3,000 × 1 + 1,000 × 4 = 7,000 per million
    expect(await rawCosts(project)).toEqual({ costs: ['0.007'], total: '0.021' });
    await expectRollupsExact(project, 3);
  });

  it('retries a failing chunk, then says why it failed; an admin retries it and it completes', async () => {
    const project = await createTestProject(handle);
    await logCalls(project, 3);
    const { repricing } = await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8' });
    const trigger = `fail_reprice_${uuidv7().replaceAll('-', '')}`;
    await handle.db.execute(
      sql.raw(`create function ${trigger}() returns trigger language plpgsql as $$
        begin raise exception 'cost update refused by a test'; end $$`),
    );
    // On the deltas every changing chunk writes in its transaction, not on the partitioned executions: DDL there locks
    // every partition, and deadlocked with other test files' queries on the shared database.
    await handle.db.execute(
      sql.raw(`create trigger ${trigger} before insert on execution_rollup_deltas for each row
        when (new.project_id = '${project.projectId}') execute function ${trigger}()`),
    );
    const tuning = { projectId: project.projectId, maxAttempts: 2, retryDelayMs: 1 };
    try {
      expect(await runRepricingChunk(handle, tuning)).toBe('failed');
      expect(await job(project, repricing.id)).toMatchObject({
        state: 'queued',
        processed: 0,
        error: 'cost update refused by a test',
      });
      const failAgain = async () => {
        await runRepricingChunk(handle, tuning);
        return (await job(project, repricing.id)).state;
      };
      await expect.poll(failAgain, { timeout: 20_000 }).toBe('failed');
    } finally {
      await handle.db.execute(sql.raw(`drop trigger ${trigger} on execution_rollup_deltas`));
      await handle.db.execute(sql.raw(`drop function ${trigger}()`));
    }
    expect(await job(project, repricing.id)).toMatchObject({
      state: 'failed',
      processed: 0,
      repriced: 0,
      error: 'cost update refused by a test',
    });
    expect(await runRepricingChunk(handle, tuning)).toBe('idle');
    expect(await rawCosts(project)).toMatchObject({ total: null });
    await expectRollupsExact(project, 3);

    const session = await adminSession(project);
    const retry = () =>
      app.inject({ method: 'POST', url: `/api/v1/prices/repricing/${repricing.id}/retry`, ...session });
    const retried = await retry();
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: repricing.id, state: 'queued', error: null });
    expect((await retry()).statusCode).toBe(409);
    expect(await auditActions(handle, project.projectId)).toEqual(['price.repricing_retried', 'price.created']);

    expect(await finishRepricing(handle, project.projectId)).toEqual(['done']);
    expect(await job(project, repricing.id)).toMatchObject({ state: 'done', processed: 3, repriced: 3 });
    expect(await rawCosts(project)).toEqual({ costs: ['0.014'], total: '0.042' });
    await expectRollupsExact(project, 3);
  });

  it('records the job with each price change it audits, and keeps other projects’ jobs apart', async () => {
    const project = await createTestProject(handle);
    const other = await createTestProject(handle);
    const created = await setPrice(project, { inputPerMillion: '2', outputPerMillion: '8' });
    const [event] = await handle.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where project_id = $1 and action = 'price.created'`,
      [project.projectId],
    );
    expect(event?.details).toMatchObject({ id: created.price.id, repricingId: created.repricing.id });
    expect((await job(other, created.repricing.id)).error?.code).toBe('not_found');
    const listed = await app.inject({ url: '/api/v1/prices/repricing', headers: other.auth });
    expect(listed.json().items).toEqual([]);
    const retried = await app.inject({
      method: 'POST',
      url: `/api/v1/prices/repricing/${created.repricing.id}/retry`,
      ...(await adminSession(other)),
    });
    expect(retried.statusCode).toBe(404);
    await finishRepricing(handle, project.projectId);
  });

  it('is walked by the server’s own background worker', async () => {
    const project = await createTestProject(handle);
    await logCalls(project, 2);
    const background = await buildApp(testConfig({ PROMPTLOG_REPRICING_INTERVAL_MS: '20' }), handle);
    try {
      await background.ready();
      const session = await logIn(background, project.email, project.password);
      const created = await background.inject({
        method: 'POST',
        url: '/api/v1/prices',
        cookies: session.cookies,
        headers: session.headers,
        payload: { model: MODEL, inputPerMillion: '2', outputPerMillion: '8' },
      });
      expect(created.statusCode, created.body).toBe(201);
      await expect
        .poll(async () => (await job(project, created.json().repricing.id)).state, { timeout: 20_000 })
        .toBe('done');
    } finally {
      await background.close();
    }
    expect(await rawCosts(project)).toEqual({ costs: ['0.014'], total: '0.028' });
  });
});
