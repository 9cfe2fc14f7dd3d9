import type { PromptSummary } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function ingest(project: TestProject, promptIds: string[]): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: promptIds.map((promptId) => ({
        promptId,
        status: 'error',
        source: { type: 'api' },
        model: 'gpt-4o',
      })),
    },
  });
  expect(response.statusCode).toBe(200);
}

describe('GET /api/v1/prompts/:promptId', () => {
  it('answers a prompt seen in the project with its summary', async () => {
    const project = await createTestProject(handle);
    await ingest(project, ['summarize', 'summarize', 'classify']);

    const response = await app.inject({ url: '/api/v1/prompts/summarize', headers: project.auth });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: 'summarize',
      runs24h: 2,
      errors24h: 2,
      errorRate24h: 1,
      versions: [],
      canViewLogs: true,
    });
    expect(response.json().lastRunAt).toEqual(expect.any(String));
  });

  it('answers for the longest prompt key ingestion takes, escaped in the path', async () => {
    const project = await createTestProject(handle);
    const longest = `team/${'a:b/'.repeat(48)}end`.slice(0, 200);
    await ingest(project, [longest]);
    const path = `/api/v1/prompts/${encodeURIComponent(longest)}`;

    const summary = await app.inject({ url: path, headers: project.auth });
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json().id).toBe(longest);
    const texts = await app.inject({ url: `${path}/system-prompts`, headers: project.auth });
    expect(texts.statusCode, texts.body).toBe(200);
  });

  it('answers a prompt never seen with a 404 naming it', async () => {
    const project = await createTestProject(handle);
    await ingest(project, ['summarize']);

    const response = await app.inject({ url: '/api/v1/prompts/no-such-thing', headers: project.auth });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'No prompt no-such-thing in this project' },
    });
  });

  it("does not find another project's prompt", async () => {
    const owner = await createTestProject(handle);
    const other = await createTestProject(handle);
    await ingest(owner, ['private-prompt']);

    const response = await app.inject({ url: '/api/v1/prompts/private-prompt', headers: other.auth });

    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});

const HOUR_MS = 3_600_000;
const agoMs = (ms: number) => new Date(Date.now() - ms).toISOString();

async function ingestRuns(project: TestProject, executions: Record<string, unknown>[]): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: executions.map((e) => ({ source: { type: 'api' }, model: 'gpt-4o', status: 'success', ...e })),
    },
  });
  expect(response.statusCode).toBe(200);
  expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
}

async function listPrompts(project: TestProject): Promise<Record<string, PromptSummary>> {
  const response = await app.inject({ url: '/api/v1/prompts', headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  const items: PromptSummary[] = response.json().items;
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

describe('GET /api/v1/prompts: the 24-hour figures come from the hourly rollups', () => {
  it('sums exact costs, counts unpriced runs apart, and agrees before and after the roller folds', async () => {
    const project = await createTestProject(handle);
    await ingestRuns(project, [
      { promptId: 'priced', costUsd: '0.000000000000001', startedAt: agoMs(5 * 60_000) },
      { promptId: 'priced', costUsd: '1.1', startedAt: agoMs(2 * HOUR_MS) },
      { promptId: 'priced', costUsd: '2.000000000000002', status: 'error', startedAt: agoMs(3 * HOUR_MS) },
      // No price is known for this model: the run is counted, its cost is not.
      { promptId: 'priced', model: 'acme-llm', usage: { inputTokens: 5, outputTokens: 5 }, startedAt: agoMs(60_000) },
      { promptId: 'unpriced', model: 'acme-llm', usage: { inputTokens: 5, outputTokens: 5 } },
    ]);
    const expected = {
      runs24h: 4,
      errors24h: 1,
      errorRate24h: 0.25,
      costUsd24h: '3.100000000000003',
      unpricedRuns24h: 1,
    };

    // Whatever the roller has folded so far, pending deltas included: exact, with no lag behind ingestion.
    const pending = await listPrompts(project);
    expect(pending.priced).toMatchObject(expected);
    expect(pending.unpriced).toMatchObject({ runs24h: 1, costUsd24h: null, unpricedRuns24h: 1 });

    await foldRollupDeltas(handle);
    const folded = await listPrompts(project);
    expect(folded.priced).toMatchObject(expected);
    expect(folded.unpriced).toMatchObject({ runs24h: 1, costUsd24h: null, unpricedRuns24h: 1 });
  });

  it("reads the p95 latency from the histogram, within its 5% precision, and follows a pending run's completion", async () => {
    const project = await createTestProject(handle);
    // Latencies 10, 20, …, 1000 ms: the 95th of the 100 is 950 ms.
    const latencies = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    await ingestRuns(
      project,
      latencies.map((latencyMs, i) => ({ promptId: 'timed', latencyMs, startedAt: agoMs((i + 1) * 60_000) })),
    );
    await foldRollupDeltas(handle);
    const id = uuidv7();
    await ingestRuns(project, [{ id, promptId: 'timed', status: 'pending', startedAt: agoMs(30_000) }]);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: project.auth,
      payload: { status: 'error', error: { type: 'rate_limit', message: 'try later' }, latencyMs: 5 },
    });
    expect(patch.statusCode, patch.body).toBe(200);

    const { timed } = await listPrompts(project);
    expect(timed).toMatchObject({ runs24h: 101, errors24h: 1 });
    // The completed run joins the histogram as the fastest: the 96th of the 101 (95%, rounded up) is 950 ms.
    expect(timed?.p95LatencyMs24h).toBeGreaterThanOrEqual(950 * 0.95);
    expect(timed?.p95LatencyMs24h).toBeLessThanOrEqual(950 * 1.05);
  });

  it('counts runs per hour over the current hour and the 23 before it, and nothing outside them', async () => {
    const project = await createTestProject(handle);
    const starts = [
      agoMs(60_000),
      agoMs(3 * HOUR_MS),
      agoMs(3 * HOUR_MS + 60_000),
      agoMs(10 * HOUR_MS),
      agoMs(25 * HOUR_MS),
      // Ahead of the clock (a client's clock may be): not in any of the 24 hours.
      new Date(Date.now() + 3 * HOUR_MS).toISOString(),
    ];
    await ingestRuns(
      project,
      starts.map((startedAt) => ({ promptId: 'hourly', startedAt })),
    );

    const { hourly } = await listPrompts(project);
    const from = Date.parse(hourly?.hourlyRuns24h.from ?? '');
    expect(from % HOUR_MS).toBe(0);
    expect(Date.now() - from).toBeGreaterThanOrEqual(23 * HOUR_MS);
    expect(Date.now() - from).toBeLessThan(24 * HOUR_MS + 60_000);
    const expected = new Array(24).fill(0);
    for (const start of starts) {
      const hour = Math.floor((Date.parse(start) - from) / HOUR_MS);
      if (hour >= 0 && hour < 24) expected[hour] += 1;
    }
    expect(hourly?.hourlyRuns24h.runs).toEqual(expected);
    expect(expected.reduce((sum, runs) => sum + runs, 0)).toBe(4);
    expect(hourly?.runs24h).toBe(4);
  });

  it('lists a prompt with no runs in the last 24 hours with zeros and nulls, not omitted', async () => {
    const project = await createTestProject(handle);
    const lastRun = agoMs(30 * HOUR_MS);
    await ingestRuns(project, [
      { promptId: 'stale', costUsd: '0.5', latencyMs: 200, startedAt: lastRun },
      { promptId: 'fresh', costUsd: '0.25', latencyMs: 200 },
    ]);
    await foldRollupDeltas(handle);

    const response = await app.inject({ url: '/api/v1/prompts/stale', headers: project.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: 'stale',
      lastRunAt: lastRun.replace('Z', '000Z'),
      runs24h: 0,
      errors24h: 0,
      errorRate24h: null,
      costUsd24h: null,
      unpricedRuns24h: 0,
      p95LatencyMs24h: null,
      hourlyRuns24h: { runs: new Array(24).fill(0) },
    });
    const prompts = await listPrompts(project);
    expect(Object.keys(prompts)).toEqual(['fresh', 'stale']);
    expect(prompts.fresh).toMatchObject({ runs24h: 1, costUsd24h: '0.25' });
  });
});
