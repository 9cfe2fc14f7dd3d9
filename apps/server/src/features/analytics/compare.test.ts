import type { ComparedMeasure, VersionComparison } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from './rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const REFUSAL = "I'm sorry, but I can't help with that.";
const window = 'from=2026-10-01T00:00:00Z&to=2026-10-03T00:00:00Z';

interface Calls {
  version: number;
  count: number;
  /** The i-th call (0-based) failed. */
  error?: (i: number) => boolean;
  refusal?: (i: number) => boolean;
  latencyMs?: (i: number) => number;
  outputTokens?: (i: number) => number;
  /** The i-th answer's length in characters (a refusal keeps its own). */
  outputChars?: (i: number) => number;
}

/** Calls of prompt `reply` spread over the window's first 24 hours, so each side has many rollup rows. */
function executions({ version, count, error, refusal, latencyMs, outputTokens, outputChars }: Calls) {
  return Array.from({ length: count }, (_, i) => {
    const failed = error?.(i) ?? false;
    return {
      promptId: 'reply',
      promptVersion: version,
      status: failed ? 'error' : 'success',
      source: { type: 'api' },
      model: 'gpt-4o-mini',
      provider: 'openai',
      startedAt: new Date(Date.parse('2026-10-01T00:00:00Z') + (i % 24) * 3_600_000 + i * 1000).toISOString(),
      latencyMs: latencyMs?.(i) ?? 200 + (i % 7) * 10,
      ...(failed
        ? { error: { type: i % 2 ? 'timeout' : 'rate_limit', message: 'Failed' } }
        : { output: refusal?.(i) ? REFUSAL : outputChars ? 'x'.repeat(outputChars(i)) : 'Here is your reply.' }),
      usage: { inputTokens: 100, outputTokens: outputTokens?.(i) ?? 40 + (i % 5) },
    };
  });
}

async function ingest(project: TestProject, ...groups: Calls[]) {
  const all = groups.flatMap(executions);
  for (let start = 0; start < all.length; start += 100) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: { executions: all.slice(start, start + 100) },
    });
    expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
  }
  await foldRollupDeltas(handle);
}

async function compare(project: TestProject, query: string): Promise<VersionComparison> {
  const response = await app.inject({ url: `/api/v1/prompts/reply/compare?${query}&${window}`, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

function measure(comparison: VersionComparison, key: ComparedMeasure['measure']): ComparedMeasure {
  const found = comparison.measures.find((m) => m.measure === key);
  if (!found) throw new Error(`no ${key} in the comparison`);
  return found;
}

describe('comparing two versions of a prompt', () => {
  it('calls a version worse when it clearly errs and refuses more, with an interval that excludes 0', async () => {
    const project = await createTestProject(handle);
    await ingest(
      project,
      { version: 1, count: 200, error: (i) => i % 50 === 7, refusal: (i) => i === 11 },
      { version: 2, count: 200, error: (i) => i % 5 === 3, refusal: (i) => i % 10 === 1 },
    );
    const comparison = await compare(project, 'a=1&b=2');
    expect(comparison).toMatchObject({
      a: { version: 1, calls: 200 },
      b: { version: 2, calls: 200 },
      alpha: 0.01,
      confidence: 0.98,
    });

    // 4 of 200 against 40 of 200.
    const errors = measure(comparison, 'errorRate');
    expect(errors).toMatchObject({ a: 0.02, b: 0.2, n: { a: 200, b: 200 }, verdict: 'worse' });
    expect(errors.difference).toBeCloseTo(0.18, 10);
    expect(errors.test?.kind).toBe('two_proportion');
    expect(errors.test?.pValue).toBeLessThan(0.01);
    const [low, high] = errors.test?.ci ?? [0, 0];
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(0.18);
    expect(high).toBeGreaterThan(0.18);
    expect(measure(comparison, 'successRate').verdict).toBe('worse');
    // 1 refusal in 200 against 20 (one call in ten, none of them failed).
    expect(measure(comparison, 'refusalRate')).toMatchObject({ a: 0.005, b: 0.1, verdict: 'worse' });
    // Unchanged: nothing truncated on either side, no JSON checked, the same latencies.
    expect(measure(comparison, 'truncationRate')).toMatchObject({ a: 0, b: 0, verdict: 'no_clear_difference' });
    expect(measure(comparison, 'jsonInvalidRate')).toMatchObject({ a: null, b: null, verdict: 'untested' });
    expect(measure(comparison, 'p95LatencyMs').verdict).toBe('no_clear_difference');
    expect(measure(comparison, 'calls')).toMatchObject({ a: 200, b: 200, verdict: null, test: null });
    expect(comparison.errorTypes).toEqual([
      { type: 'timeout', a: 4, b: 20 },
      { type: 'rate_limit', a: 0, b: 20 },
    ]);

    // The other way round, the same difference is an improvement.
    const reversed = await compare(project, 'a=2&b=1');
    expect(measure(reversed, 'errorRate').verdict).toBe('better');
    expect(measure(reversed, 'errorRate').test?.ci[1]).toBeLessThan(0);
  });

  it('says "no clear difference" for a small difference over few calls, with the calls each side had', async () => {
    const project = await createTestProject(handle);
    await ingest(
      project,
      { version: 1, count: 12, error: (i) => i === 3 },
      { version: 2, count: 10, error: (i) => i === 2 || i === 5 },
    );
    const errors = measure(await compare(project, 'a=1&b=2'), 'errorRate');
    expect(errors).toMatchObject({ n: { a: 12, b: 10 }, verdict: 'no_clear_difference' });
    expect(errors.b).toBeGreaterThan(errors.a ?? 1);
    const [low, high] = errors.test?.ci ?? [0, 0];
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
  });

  it('judges latency percentiles from the histograms, and means per call from the rollup rows', async () => {
    const project = await createTestProject(handle);
    await ingest(
      project,
      { version: 1, count: 120, latencyMs: (i) => 100 + (i % 10) * 5, outputTokens: (i) => 40 + (i % 5) },
      { version: 2, count: 120, latencyMs: (i) => 400 + (i % 10) * 20, outputTokens: (i) => 120 + (i % 5) },
      { version: 3, count: 120, latencyMs: (i) => 100 + (i % 10) * 5, outputTokens: (i) => 40 + (i % 5) },
    );
    const slower = await compare(project, 'a=1&b=2');
    for (const key of ['p50LatencyMs', 'p95LatencyMs'] as const) {
      const latency = measure(slower, key);
      expect(latency).toMatchObject({ verdict: 'worse', n: { a: 120, b: 120 }, test: { kind: 'quantile_shift' } });
      expect(latency.difference).toBeGreaterThan(200);
      expect(latency.test?.shares?.reference).toBe('a');
      expect(latency.test?.ci[0]).toBeGreaterThan(0);
    }
    const tokens = measure(slower, 'tokensPerCall');
    expect(tokens).toMatchObject({ a: 142, b: 222, verdict: 'worse', test: { kind: 'ratio' } });
    expect(tokens.test?.ci[0]).toBeGreaterThan(0);

    const faster = await compare(project, 'a=2&b=1');
    expect(measure(faster, 'p95LatencyMs')).toMatchObject({ verdict: 'better', test: { shares: { reference: 'b' } } });
    expect(measure(faster, 'p95LatencyMs').test?.ci[1]).toBeLessThan(0);

    const same = await compare(project, 'a=1&b=3');
    expect(measure(same, 'p50LatencyMs').verdict).toBe('no_clear_difference');
    expect(measure(same, 'p95LatencyMs').verdict).toBe('no_clear_difference');
    expect(measure(same, 'tokensPerCall').verdict).toBe('no_clear_difference');
  });

  it('judges the p95 output length from the histograms, as longer or shorter', async () => {
    const project = await createTestProject(handle);
    await ingest(
      project,
      { version: 1, count: 200, outputChars: (i) => 200 + (i % 20) * 10 },
      { version: 2, count: 200, outputChars: (i) => 200 + (i % 20) * 10 + (i % 20 >= 15 ? 2000 : 0) },
      { version: 3, count: 200, outputChars: (i) => 205 + (i % 20) * 10 },
    );
    const longer = measure(await compare(project, 'a=1&b=2'), 'p95OutputChars');
    expect(longer).toMatchObject({ verdict: 'higher', n: { a: 200, b: 200 }, test: { kind: 'quantile_shift' } });
    // The 190th of 200 lengths: 380 and 2380 characters.
    expect(Math.abs((longer.a ?? 0) - 380) / 380).toBeLessThanOrEqual(0.049);
    expect(Math.abs((longer.b ?? 0) - 2380) / 2380).toBeLessThanOrEqual(0.049);
    expect(longer.test?.shares?.reference).toBe('a');
    expect(measure(await compare(project, 'a=2&b=1'), 'p95OutputChars').verdict).toBe('lower');
    expect(measure(await compare(project, 'a=1&b=3'), 'p95OutputChars').verdict).toBe('no_clear_difference');
  });

  it('reads only the window and filters asked for, and compares nothing with itself', async () => {
    const project = await createTestProject(handle);
    await ingest(project, { version: 1, count: 5 }, { version: 2, count: 5, error: () => true });
    const onlySuccesses = await compare(project, 'a=1&b=2&status=success');
    expect(onlySuccesses.b.calls).toBe(0);
    expect(measure(onlySuccesses, 'errorRate')).toMatchObject({ a: 0, b: null, verdict: 'untested' });
    const empty = await app.inject({
      url: '/api/v1/prompts/reply/compare?a=1&b=2&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
      headers: project.auth,
    });
    expect(empty.json()).toMatchObject({ a: { calls: 0 }, b: { calls: 0 }, errorTypes: [] });

    const itself = await app.inject({ url: `/api/v1/prompts/reply/compare?a=1&b=1&${window}`, headers: project.auth });
    expect(itself.statusCode).toBe(400);
    expect(itself.json().error.issues).toEqual([{ path: 'b', message: 'must differ from a' }]);
  });
});
