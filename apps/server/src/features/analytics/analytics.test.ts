import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, logBatch, type TestProject, useTestApp } from '../../test/harness';
import { priceAndReprice } from '../pricing/test-repricing';
import { outputCharsOf } from './measures';
import { foldRollupDeltas, rebuildRollups } from './rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function get(project: TestProject, path: string) {
  const response = await app.inject({ url: path, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const base = { promptId: 'reply', source: { type: 'api' }, model: 'gpt-4o-mini', provider: 'openai' };
const window = 'from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z';

describe('analytics from the hourly rollups', () => {
  it('summarises calls, rates, tokens, exact cost, unpriced calls and latency percentiles', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [
      {
        ...base,
        status: 'success',
        startedAt: '2026-11-01T10:05:00Z',
        latencyMs: 100,
        usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400 },
      },
      {
        ...base,
        status: 'success',
        startedAt: '2026-11-01T10:35:00Z',
        latencyMs: 200,
        usage: { inputTokens: 1000, outputTokens: 200, reasoningTokens: 50 },
      },
      {
        ...base,
        status: 'error',
        startedAt: '2026-11-01T11:00:00Z',
        latencyMs: 1000,
        error: { type: 'timeout', message: 'slow' },
      },
      {
        ...base,
        status: 'success',
        model: 'acme-llm',
        provider: 'acme',
        startedAt: '2026-11-02T09:00:00Z',
        latencyMs: 300,
        usage: { inputTokens: 10, outputTokens: 10 },
        thinking: 'hmm',
      },
    ]);
    await foldRollupDeltas(handle);
    const summary = await get(project, `/api/v1/analytics/summary?promptId=reply&${window}`);
    // gpt-4o-mini: (600 × 0.15 + 400 × 0.075 + 200 × 0.6) + (1000 × 0.15 + 200 × 0.6) = 240 + 270 → 0.00051
    expect(summary).toMatchObject({
      calls: 4,
      successRate: 0.75,
      errorRate: 0.25,
      inputTokens: 2010,
      outputTokens: 410,
      cacheReadTokens: 400,
      reasoningTokens: 50,
      totalTokens: 2420,
      costUsd: '0.00051',
      // acme-llm has no price; the failed gpt-4o-mini call reported no tokens and costs $0 at its price.
      unpricedCalls: 1,
      thinkingCalls: 1,
      avgLatencyMs: 400,
    });
    expect(summary.p50LatencyMs).toBeGreaterThan(200 * 0.95);
    expect(summary.p50LatencyMs).toBeLessThan(200 * 1.05);
    expect(summary.p95LatencyMs).toBeGreaterThan(1000 * 0.95);
    expect(summary.p95LatencyMs).toBeLessThan(1000 * 1.05);
  });

  it('reports no known cost as null, never as 0, and an empty window as zero calls', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [
      {
        ...base,
        model: 'acme-llm',
        provider: 'acme',
        status: 'success',
        startedAt: '2026-11-01T10:00:00Z',
        usage: { inputTokens: 5, outputTokens: 5 },
      },
    ]);
    await foldRollupDeltas(handle);
    expect(await get(project, `/api/v1/analytics/summary?${window}`)).toMatchObject({
      calls: 1,
      costUsd: null,
      unpricedCalls: 1,
    });
    expect(
      await get(project, '/api/v1/analytics/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z'),
    ).toMatchObject({
      calls: 0,
      successRate: null,
      costUsd: null,
      p95LatencyMs: null,
    });
  });

  it('reports refusal, truncation and JSON-invalid rates and the average answer length, by version too', async () => {
    const project = await createTestProject(handle);
    const at = (minute: number) => `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`;
    const json = { request: { parameters: { response_format: { type: 'json_object' } } } };
    await logBatch(app, project, [
      { ...base, promptVersion: 1, status: 'success', startedAt: at(1), output: 'Paris.' },
      {
        ...base,
        promptVersion: 2,
        status: 'success',
        startedAt: at(2),
        output: "I'm sorry, but I can't help with that.",
      },
      { ...base, promptVersion: 2, status: 'success', startedAt: at(3), output: 'Je ne peux pas vous aider.' },
      { ...base, promptVersion: 2, status: 'success', startedAt: at(4), output: '{"a": 1}', ...json },
      { ...base, promptVersion: 2, status: 'success', startedAt: at(5), output: '{"a": ', ...json },
      {
        ...base,
        promptVersion: 2,
        status: 'success',
        startedAt: at(6),
        output: 'and so',
        metadata: { finishReason: 'length' },
      },
      { ...base, promptVersion: 2, status: 'pending', startedAt: at(7) },
    ]);
    await foldRollupDeltas(handle);
    const summary = await get(project, `/api/v1/analytics/summary?${window}`);
    const answered = [
      'Paris.',
      "I'm sorry, but I can't help with that.",
      'Je ne peux pas vous aider.',
      '{"a": 1}',
      '{"a": ',
      'and so',
    ];
    expect(summary).toMatchObject({
      calls: 7,
      refusalRate: 2 / 7,
      truncationRate: 1 / 7,
      jsonCheckedCalls: 2,
      jsonInvalidRate: 1 / 2,
      avgOutputChars: Math.round((answered.join('').length / answered.length) * 10) / 10,
    });
    const byVersion = await get(project, `/api/v1/analytics/breakdown?by=version&sort=refusalRate&${window}`);
    expect(byVersion.items.map((item: { key: string; refusalRate: number }) => [item.key, item.refusalRate])).toEqual([
      ['2', 2 / 6],
      ['1', 0],
    ]);
    expect(byVersion.items[1]).toMatchObject({ jsonInvalidRate: null, avgOutputChars: 6 });
    const empty = await get(project, '/api/v1/analytics/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    expect(empty).toMatchObject({
      refusalRate: null,
      truncationRate: null,
      jsonInvalidRate: null,
      avgOutputChars: null,
    });
  });

  it('returns every bucket of the window in the requested time zone, across a DST change', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [
      // 23:30 UTC on 24 Oct is 01:30 on 25 Oct in Paris (UTC+2 until the 26th).
      { ...base, status: 'success', startedAt: '2025-10-24T23:30:00Z' },
      { ...base, status: 'error', startedAt: '2025-10-26T12:00:00Z', error: { type: 'rate_limit', message: 'x' } },
    ]);
    await foldRollupDeltas(handle);
    const series = await get(
      project,
      '/api/v1/analytics/timeseries?from=2025-10-24T22:00:00Z&to=2025-10-27T23:00:00Z&interval=day&tz=Europe/Paris&by=errorType',
    );
    expect(series.points.map((p: { start: string; calls: number }) => [p.start, p.calls])).toEqual([
      ['2025-10-24T22:00:00Z', 1],
      ['2025-10-25T22:00:00Z', 1],
      ['2025-10-26T23:00:00Z', 0],
    ]);
    expect(series.points[2].costUsd).toBeNull();
    const timeouts = series.series.find((s: { key: string | null }) => s.key === 'rate_limit');
    expect(timeouts.points.map((p: { calls: number }) => p.calls)).toEqual([0, 1, 0]);
  });

  it('breaks down by any dimension, sorted by any measure, naming absent values null', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [
      { ...base, status: 'success', startedAt: '2026-11-01T10:00:00Z', location: { field: 'subject' }, latencyMs: 50 },
      {
        ...base,
        status: 'success',
        startedAt: '2026-11-01T10:00:00Z',
        location: { field: 'body' },
        latencyMs: 900,
        model: 'gpt-4o',
      },
      { ...base, status: 'error', startedAt: '2026-11-01T10:00:00Z', location: { field: 'body' }, latencyMs: 800 },
      { ...base, status: 'success', startedAt: '2026-11-01T10:00:00Z', promptId: 'other', latencyMs: 10 },
    ]);
    await foldRollupDeltas(handle);
    const byField = await get(project, `/api/v1/analytics/breakdown?by=field&${window}`);
    expect(byField.items.map((i: { key: string | null; calls: number }) => [i.key, i.calls])).toEqual([
      ['body', 2],
      [null, 1],
      ['subject', 1],
    ]);
    expect(byField.items[0].models).toEqual(['gpt-4o', 'gpt-4o-mini']);
    const byLatency = await get(project, `/api/v1/analytics/breakdown?by=prompt&sort=p95LatencyMs&order=asc&${window}`);
    expect(byLatency.items.map((i: { key: string }) => i.key)).toEqual(['other', 'reply']);
    const filtered = await get(
      project,
      `/api/v1/analytics/breakdown?by=status&promptId=reply&model=gpt-4o-mini&${window}`,
    );
    expect(filtered.items.map((i: { key: string; calls: number }) => [i.key, i.calls])).toEqual([
      ['error', 1],
      ['success', 1],
    ]);
  });

  it('follows a pending execution’s completion and a custom price’s re-pricing', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    await logBatch(app, project, [
      { ...base, id, model: 'acme-llm', provider: 'acme', status: 'pending', startedAt: '2026-11-01T10:00:00Z' },
    ]);
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: project.auth,
      payload: { status: 'success', endedAt: '2026-11-01T10:00:02Z', usage: { inputTokens: 1000000, outputTokens: 0 } },
    });
    await foldRollupDeltas(handle);
    const statuses = await get(project, `/api/v1/analytics/breakdown?by=status&${window}`);
    expect(statuses.items.map((i: { key: string; calls: number }) => [i.key, i.calls])).toEqual([['success', 1]]);
    expect(await get(project, `/api/v1/analytics/summary?${window}`)).toMatchObject({
      costUsd: null,
      inputTokens: 1000000,
      avgLatencyMs: 2000,
    });

    await priceAndReprice(app, handle, project, { model: 'acme-llm', inputPerMillion: '0.25', outputPerMillion: '1' });
    expect(await get(project, `/api/v1/analytics/summary?${window}`)).toMatchObject({
      calls: 1,
      costUsd: '0.25',
      unpricedCalls: 0,
    });
  });

  it('names a bad time zone and a reversed window', async () => {
    const project = await createTestProject(handle);
    const badZone = await app.inject({ url: '/api/v1/analytics/timeseries?tz=Mars/Olympus', headers: project.auth });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error.issues[0].path).toBe('tz');
    const reversed = await app.inject({
      url: `/api/v1/analytics/summary?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z`,
      headers: project.auth,
    });
    expect(reversed.statusCode).toBe(400);
  });
});

describe('rollups match the raw executions exactly (property test)', () => {
  const SOURCES = ['chat', 'workflow', 'api', 'playground', 'project_tool', 'mcp'];
  const STATUSES = ['success', 'error', 'cancelled', 'pending'];
  const MODELS = [
    ['gpt-4o-mini', 'openai'],
    ['claude-3-5-haiku-latest', 'anthropic'],
    ['acme-llm', 'acme'],
  ];

  /** A small deterministic PRNG so a failure can be replayed from its seed. */
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  const RAW_SUMS = `select count(*) as calls,
      count(*) filter (where status = 'success') as success_calls,
      coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
      coalesce(sum(cache_read_tokens), 0) as cache_read_tokens, coalesce(sum(cache_write_tokens), 0) as cache_write_tokens,
      coalesce(sum(reasoning_tokens), 0) as reasoning_tokens, trim_scale(sum(cost_usd))::text as cost_usd,
      count(*) - count(cost_usd) as unpriced, count(*) filter (where has_thinking) as thinking,
      round(avg(latency_ms), 1)::float8 as avg_latency,
      count(*) filter (where signals & 4 <> 0) as refusals, count(*) filter (where signals & 1 <> 0) as truncations,
      count(json_valid) as json_checked, count(*) filter (where json_valid = false) as json_invalid,
      round(avg(output_chars), 1)::float8 as avg_output_chars
    from executions where project_id = $1`;

  /** Outputs with signals, logged as a client would: plain answers, refusals, cut-off and JSON answers, none. */
  const OUTPUTS: Record<string, unknown>[] = [
    {},
    { output: 'The capital of France is Paris.' },
    { output: "I'm sorry, but I can't help with that." },
    { output: 'Leider kann ich dabei nicht helfen.' },
    { output: 'A long answer that went on and', metadata: { finishReason: 'length' } },
    { output: '{"ok": true}', request: { parameters: { response_format: { type: 'json_object' } } } },
    { output: '{"items": [1, 2', request: { parameters: { response_format: { type: 'json_object' } } } },
    { output: { choices: [{ message: { content: '[1, 2' }, finish_reason: 'length' }] } },
    { output: '' },
  ];

  it.each([1, 2, 3])('seed %i: every measure equals a plain SQL aggregation over the raw rows', async (seed) => {
    const project = await createTestProject(handle);
    const next = random(seed);
    const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)] as T;
    const executions = Array.from({ length: 150 }, () => {
      const [model, provider] = pick(MODELS);
      const input = Math.floor(next() * 5000);
      const cacheRead = Math.floor(next() * input * 0.5);
      const output = Math.floor(next() * 2000);
      const priced = next() < 0.1;
      return {
        promptId: pick(['a', 'b', 'c']),
        promptVersion: next() < 0.2 ? undefined : 1 + Math.floor(next() * 3),
        status: pick(STATUSES),
        source: { type: pick(SOURCES) },
        model,
        provider,
        startedAt: new Date(Date.UTC(2026, 10, 1) + Math.floor(next() * 3 * 86_400_000)).toISOString(),
        latencyMs: next() < 0.1 ? undefined : Math.floor(next() * 5000),
        usage:
          next() < 0.15
            ? undefined
            : {
                inputTokens: input,
                outputTokens: output,
                cacheReadTokens: cacheRead,
                reasoningTokens: Math.floor(output * next()),
              },
        costUsd: priced ? (next() * 0.01).toFixed(9) : undefined,
        location: next() < 0.5 ? { field: pick(['subject', 'body']) } : undefined,
        thinking: next() < 0.2 ? 'reasoning' : undefined,
        error: next() < 0.3 ? { type: pick(['timeout', 'rate_limit', 'provider']), message: 'x' } : undefined,
        ...pick(OUTPUTS),
      };
    });
    for (let i = 0; i < executions.length; i += 50) await logBatch(app, project, executions.slice(i, i + 50));
    // A few completions of pending executions, so negative deltas are exercised too.
    const pending = await handle.query<{ id: string }>(
      `select id from executions where project_id = $1 and status = 'pending' limit 5`,
      [project.projectId],
    );
    for (const { id } of pending) {
      await app.inject({
        method: 'PATCH',
        url: `/api/v1/executions/${id}`,
        headers: project.auth,
        payload: {
          status: 'success',
          usage: { inputTokens: 777, outputTokens: 33 },
          output: "I'm sorry, but I can't help with that.",
        },
      });
    }
    await foldRollupDeltas(handle);

    const expectations = async (where = '', params: unknown[] = []) => {
      const [raw] = await handle.query<Record<string, number | string | null>>(`${RAW_SUMS} ${where}`, [
        project.projectId,
        ...params,
      ]);
      return raw;
    };
    const compare = async (query: string, where: string, params: unknown[]) => {
      const summary = await get(
        project,
        `/api/v1/analytics/summary?from=2026-10-31T00:00:00Z&to=2026-11-10T00:00:00Z&${query}`,
      );
      const raw = await expectations(where, params);
      expect(summary.calls).toBe(Number(raw?.calls));
      expect(summary.successRate).toBe(Number(raw?.calls) ? Number(raw?.success_calls) / Number(raw?.calls) : null);
      expect(summary.inputTokens).toBe(Number(raw?.input_tokens));
      expect(summary.outputTokens).toBe(Number(raw?.output_tokens));
      expect(summary.cacheReadTokens).toBe(Number(raw?.cache_read_tokens));
      expect(summary.cacheWriteTokens).toBe(Number(raw?.cache_write_tokens));
      expect(summary.reasoningTokens).toBe(Number(raw?.reasoning_tokens));
      expect(summary.costUsd).toBe(raw?.cost_usd ?? null);
      expect(summary.unpricedCalls).toBe(Number(raw?.unpriced));
      expect(summary.thinkingCalls).toBe(Number(raw?.thinking));
      expect(summary.avgLatencyMs).toBe(raw?.avg_latency ?? null);
      const calls = Number(raw?.calls);
      expect(summary.refusalRate).toBe(calls ? Number(raw?.refusals) / calls : null);
      expect(summary.truncationRate).toBe(calls ? Number(raw?.truncations) / calls : null);
      const checked = Number(raw?.json_checked);
      expect(summary.jsonCheckedCalls).toBe(checked);
      expect(summary.jsonInvalidRate).toBe(checked ? Number(raw?.json_invalid) / checked : null);
      expect(summary.avgOutputChars).toBe(raw?.avg_output_chars ?? null);
    };
    // Unfiltered reads the project table, promptId alone the prompt table, model alone the model table,
    // other filters the full table.
    await compare('', '', []);
    await compare('promptId=b', `and prompt_id = 'b'`, []);
    await compare(
      'promptId=a&status=error&status=cancelled',
      `and prompt_id = 'a' and status in ('error', 'cancelled')`,
      [],
    );
    await compare('source=workflow&version=2', `and source_type = 'workflow' and prompt_version = 2`, []);
    await compare('model=acme-llm', `and model = 'acme-llm'`, []);

    // The rebuild from raw rows lands on the same numbers.
    const before = await get(
      project,
      '/api/v1/analytics/breakdown?by=field&from=2026-10-31T00:00:00Z&to=2026-11-10T00:00:00Z',
    );
    await rebuildRollups(handle, project.projectId);
    const after = await get(
      project,
      '/api/v1/analytics/breakdown?by=field&from=2026-10-31T00:00:00Z&to=2026-11-10T00:00:00Z',
    );
    expect(after).toEqual(before);
  });
});

describe('output length p95 from the rollups’ histograms', () => {
  /** Within the buckets' bound: a length is read at its bucket's geometric middle, at most √1.1 − 1 ≈ 4.9% off. */
  const withinBuckets = (approx: number | null, exact: number | null, what: string) => {
    if (exact === null) return expect(approx, what).toBeNull();
    if (exact === 0) return expect(approx, what).toBe(0);
    expect(Math.abs((approx ?? Number.NaN) - exact) / exact, `${what}: ${approx} vs ${exact}`).toBeLessThanOrEqual(
      0.049,
    );
  };
  const wide = 'from=2026-10-31T00:00:00Z&to=2026-11-08T00:00:00Z';

  it('reads a bucket back within 4.9% of every length it holds, from 0 to 1,000,000 characters', async () => {
    const buckets = await handle.query<{ bucket: number; least: number; most: number }>(
      `select promptlog_output_chars_bucket(v) as bucket, min(v) as least, max(v) as most
       from generate_series(0, 1000000) v group by 1 order by 1`,
    );
    expect(buckets.at(-1)?.bucket).toBe(145);
    for (const { bucket, least, most } of buckets) {
      withinBuckets(outputCharsOf(bucket), least, `bucket ${bucket}`);
      withinBuckets(outputCharsOf(bucket), most, `bucket ${bucket}`);
    }
  });

  it('gives the p95 within the buckets’ bound by summary, day, version and model; follows completions, re-pricing and a rebuild', async () => {
    const project = await createTestProject(handle);
    const next = (() => {
      let state = 14;
      return () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state / 2 ** 31;
      };
    })();
    const pending: { id: string; endedAt: string }[] = [];
    const executions = Array.from({ length: 500 }, (_, i) => {
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      const version = 1 + (i % 2);
      // Version 2 answers about three times longer; a few answers are empty, one is a million characters.
      const length =
        i === 7 ? 1_000_000 : next() < 0.05 ? 0 : Math.round(Math.exp(6.2 + (version - 1) * 1.1 + 1.1 * normal));
      const startedAt = new Date(Date.UTC(2026, 10, 1) + Math.floor(next() * 4 * 86_400_000)).toISOString();
      const common = {
        ...base,
        promptVersion: version,
        startedAt,
        model: i % 3 === 0 ? 'acme-llm' : 'gpt-4o-mini',
        provider: i % 3 === 0 ? 'acme' : 'openai',
        usage: { inputTokens: 100, outputTokens: 50 },
      };
      if (i % 25 === 3) {
        const id = uuidv7();
        pending.push({ id, endedAt: new Date(Date.parse(startedAt) + 2000).toISOString() });
        return { ...common, id, status: 'pending' };
      }
      if (i % 25 === 4) return { ...common, status: 'error', error: { type: 'timeout', message: 'no answer' } };
      return { ...common, status: 'success', output: 'x'.repeat(Math.min(length, 1_000_000)) };
    });
    for (let i = 0; i < executions.length; i += 100) await logBatch(app, project, executions.slice(i, i + 100));
    await foldRollupDeltas(handle);

    const exact = async (groupBy: string) => {
      const rows = await handle.query<{ key: string; p95: number | null }>(
        `select ${groupBy}::text as key, percentile_disc(0.95) within group (order by output_chars) as p95
         from executions where project_id = $1 group by 1`,
        [project.projectId],
      );
      return new Map(rows.map((row) => [row.key, row.p95 === null ? null : Number(row.p95)]));
    };
    const check = async () => {
      const summary = await get(project, `/api/v1/analytics/summary?${wide}`);
      withinBuckets(summary.p95OutputChars, (await exact(`'all'`)).get('all') ?? null, 'summary');
      const days = await exact(`to_char(date_trunc('day', started_at, 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);
      const series = await get(project, `/api/v1/analytics/timeseries?interval=day&tz=UTC&${wide}`);
      expect(series.points.length).toBe(8);
      for (const point of series.points)
        withinBuckets(point.p95OutputChars, days.get(point.start) ?? null, point.start);
      for (const [by, column] of [
        ['version', 'prompt_version'],
        ['model', 'model'],
      ]) {
        const expected = await exact(column as string);
        const { items } = await get(project, `/api/v1/analytics/breakdown?by=${by}&${wide}`);
        expect(items.length).toBe(expected.size);
        for (const item of items)
          withinBuckets(item.p95OutputChars, expected.get(item.key) ?? null, `${by} ${item.key}`);
      }
      return summary;
    };
    const before = await check();
    expect(before.p95OutputChars).toBeGreaterThan(before.avgOutputChars);
    const byVersion = await get(project, `/api/v1/analytics/breakdown?by=version&${wide}`);
    const [v1, v2] = [1, 2].map((v) => byVersion.items.find((i: { key: string }) => i.key === String(v)));
    expect(v2.p95OutputChars).toBeGreaterThan(v1.p95OutputChars * 2);

    // Completions answering at length move the p95 (the pending calls had no answer to count).
    for (const { id, endedAt } of pending) {
      const completed = await app.inject({
        method: 'PATCH',
        url: `/api/v1/executions/${id}`,
        headers: project.auth,
        payload: { status: 'success', endedAt, output: 'y'.repeat(60_000) },
      });
      expect(completed.statusCode, completed.body).toBe(200);
    }
    await foldRollupDeltas(handle);
    const completed = await check();
    expect(completed.p95OutputChars).toBeGreaterThan(before.p95OutputChars);

    // Re-pricing takes each acme-llm call back and counts it again: the lengths stay as they were.
    await priceAndReprice(app, handle, project, { model: 'acme-llm', inputPerMillion: '0.25', outputPerMillion: '1' });
    const repriced = await check();
    expect(completed.unpricedCalls).toBeGreaterThan(100);
    expect(repriced.unpricedCalls).toBe(0);
    expect(repriced).toMatchObject({
      calls: completed.calls,
      avgOutputChars: completed.avgOutputChars,
      p95OutputChars: completed.p95OutputChars,
    });

    // The rebuild from raw rows gives the same figures as the incremental folds.
    const reads = [
      `/api/v1/analytics/summary?${wide}`,
      `/api/v1/analytics/timeseries?interval=day&tz=UTC&${wide}`,
      `/api/v1/analytics/timeseries?interval=hour&from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z`,
      `/api/v1/analytics/breakdown?by=version&${wide}`,
      `/api/v1/analytics/breakdown?by=model&${wide}`,
    ];
    const incremental = await Promise.all(reads.map((path) => get(project, path)));
    await rebuildRollups(handle, project.projectId);
    expect(await Promise.all(reads.map((path) => get(project, path)))).toEqual(incremental);
  });

  it('is null without an answer', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [
      { ...base, status: 'pending', startedAt: '2026-11-01T10:00:00Z' },
      { ...base, status: 'error', startedAt: '2026-11-01T10:00:00Z', error: { type: 'timeout', message: 'x' } },
    ]);
    await foldRollupDeltas(handle);
    expect(await get(project, `/api/v1/analytics/summary?${window}`)).toMatchObject({
      calls: 2,
      avgOutputChars: null,
      p95OutputChars: null,
    });
  });
});
