import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseHandle, MIGRATIONS_DIR, openDatabase } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { priceAndReprice } from '../pricing/test-repricing';
import { decodeHistogram, percentile, SUMMED_COLUMNS } from './measures';
import { DAILY_ROLLUP_TABLES, ROLLER_LOCK, ROLLUP_TABLES, type RollupShape } from './rollup-sql';
import { foldRollupDeltas, rebuildRollups } from './rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

async function ingest(project: TestProject, executions: Record<string, unknown>[]) {
  for (let i = 0; i < executions.length; i += 500) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: { executions: executions.slice(i, i + 500) },
    });
    expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
  }
}

async function get(project: TestProject, path: string) {
  const response = await app.inject({ url: path, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** A small deterministic PRNG so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 10, 1);

/** Executions over 6 days from 2026-11-01, with log-normal latencies (median ~1.2 s, a long tail). */
function seeded(seed: number, count: number) {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return {
      promptId: i % 3 === 0 ? 'summarise' : 'reply',
      promptVersion: 1 + (i % 2),
      source: { type: 'api' },
      model: i % 4 === 0 ? 'acme-llm' : 'gpt-4o-mini',
      provider: i % 4 === 0 ? 'acme' : 'openai',
      status: next() < 0.9 ? 'success' : 'error',
      startedAt: new Date(START + Math.floor(next() * 6 * DAY_MS)).toISOString(),
      latencyMs: Math.max(1, Math.round(Math.exp(7 + 0.8 * normal))),
      usage: { inputTokens: Math.floor(next() * 3000), outputTokens: Math.floor(next() * 800) },
      output: 'x'.repeat((i * 7919) % 4000),
    };
  });
}

/** The exact percentile: the smallest latency with at least `fraction` of the calls at or below it. */
function exactPercentile(sorted: number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/** Every daily row of a project next to the sum of its hours, as text so any difference shows. */
async function dailyAgainstHourly(projectId: string, shape: RollupShape) {
  const hourly = ROLLUP_TABLES[shape];
  const daily = DAILY_ROLLUP_TABLES[shape];
  const keys = daily.dimensions.filter((d) => d !== 'day');
  const sums = SUMMED_COLUMNS.map((m) => `trim_scale(sum(${m})::numeric)::text`).join(` || '|' || `);
  const rows = (sql: string) =>
    handle.query<{ key: string; sums: string }>(sql, [projectId]).then((r) => r.map((row) => [row.key, row.sums]));
  const keyOf = (time: string) => `concat_ws('|', ${[...keys, time].join(', ')})`;
  const fromDaily = await rows(
    `select ${keyOf("to_char(day at time zone 'UTC', 'YYYY-MM-DD')")} as key, ${sums} as sums
     from ${daily.table} where project_id = $1 group by 1 order by 1`,
  );
  const fromHourly = await rows(
    `select ${keyOf("to_char(hour at time zone 'UTC', 'YYYY-MM-DD')")} as key, ${sums} as sums
     from ${hourly.table} where project_id = $1 group by 1 order by 1`,
  );
  return { fromDaily, fromHourly };
}

describe('latency histograms packed in one integer', () => {
  it('decode bucket by bucket, negative counts and carries included', () => {
    const packed = (counts: Record<number, number>) =>
      Object.entries(counts)
        .reduce((sum, [bucket, count]) => sum + BigInt(count) * 10n ** BigInt(12 * Number(bucket)), 0n)
        .toString();
    expect([...decodeHistogram(packed({ 0: 3, 5: 999_999, 226: 7 }))]).toEqual([
      [0, 3],
      [5, 999_999],
      [226, 7],
    ]);
    // A fold that took a re-pricing's negative delta but not yet its positive one.
    expect([...decodeHistogram(packed({ 40: -1, 41: 5 }))]).toEqual([
      [40, -1],
      [41, 5],
    ]);
    expect([...decodeHistogram(packed({ 40: 2, 41: -1 }))]).toEqual([
      [40, 2],
      [41, -1],
    ]);
    expect([...decodeHistogram('0')]).toEqual([]);
  });

  it('gives p50, p95 and p99 within 5% of the exact values, at either grain', async () => {
    const project = await createTestProject(handle);
    const executions = seeded(7, 3000);
    await ingest(project, executions);
    await foldRollupDeltas(handle);
    const sorted = executions.map((e) => e.latencyMs).sort((a, b) => a - b);
    const within5 = (approx: number | null, exact: number) =>
      expect(Math.abs((approx ?? 0) - exact) / exact, `${approx} vs ${exact}`).toBeLessThanOrEqual(0.05);

    // Six days: the daily grain serves the whole days. Two ragged hours: only the hourly one.
    for (const window of [
      'from=2026-10-31T00:00:00Z&to=2026-11-08T00:00:00Z',
      'from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z',
    ]) {
      const summary = await get(project, `/api/v1/analytics/summary?${window}`);
      expect(summary.calls).toBe(3000);
      within5(summary.p50LatencyMs, exactPercentile(sorted, 0.5));
      within5(summary.p95LatencyMs, exactPercentile(sorted, 0.95));
    }
    for (const table of [ROLLUP_TABLES.project.table, DAILY_ROLLUP_TABLES.project.table]) {
      const [row] = await handle.query<{ histogram: string }>(
        `select sum(latency_histogram)::text as histogram from ${table} where project_id = $1`,
        [project.projectId],
      );
      const histogram = decodeHistogram(row?.histogram ?? null);
      for (const fraction of [0.5, 0.95, 0.99])
        within5(percentile(histogram, fraction), exactPercentile(sorted, fraction));
    }
  });
});

describe('daily rollups', () => {
  it('equal the sum of their hours after ingestion, completion, re-pricing and a rebuild', async () => {
    const project = await createTestProject(handle);
    const pendingId = uuidv7();
    await ingest(project, [
      ...seeded(11, 400),
      {
        ...seeded(12, 1)[0],
        id: pendingId,
        status: 'pending',
        latencyMs: undefined,
        output: undefined,
        startedAt: '2026-11-03T23:59:00Z',
      },
    ]);
    await foldRollupDeltas(handle);
    const completed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${pendingId}`,
      headers: project.auth,
      payload: {
        status: 'success',
        endedAt: '2026-11-04T00:00:03Z',
        usage: { inputTokens: 5, outputTokens: 5 },
        output: 'done',
      },
    });
    expect(completed.statusCode).toBe(200);
    await priceAndReprice(app, handle, project, { model: 'acme-llm', inputPerMillion: '0.25', outputPerMillion: '1' });

    const [raw] = await handle.query<{ calls: number; cost: string }>(
      `select count(*)::int as calls, trim_scale(sum(cost_usd))::text as cost from executions where project_id = $1`,
      [project.projectId],
    );
    expect(raw?.calls).toBe(401);
    for (const shape of Object.keys(ROLLUP_TABLES) as RollupShape[]) {
      const { fromDaily, fromHourly } = await dailyAgainstHourly(project.projectId, shape);
      expect(fromDaily.length, shape).toBeGreaterThan(0);
      expect(fromDaily, shape).toEqual(fromHourly);
    }
    const window = 'from=2026-10-30T00:00:00Z&to=2026-11-09T00:00:00Z';
    expect(await get(project, `/api/v1/analytics/summary?${window}`)).toMatchObject({ calls: 401, costUsd: raw?.cost });

    await rebuildRollups(handle, project.projectId);
    for (const shape of Object.keys(ROLLUP_TABLES) as RollupShape[]) {
      const { fromDaily, fromHourly } = await dailyAgainstHourly(project.projectId, shape);
      expect(fromDaily, shape).toEqual(fromHourly);
    }
    expect(await get(project, `/api/v1/analytics/summary?${window}`)).toMatchObject({ calls: 401, costUsd: raw?.cost });
  });

  it('of other projects keep their pending deltas through one project’s rebuild', async () => {
    const rebuilt = await createTestProject(handle);
    const other = await createTestProject(handle);
    await ingest(rebuilt, seeded(31, 50));
    await foldRollupDeltas(handle);
    // The roller's lock held while the other project ingests, so its deltas are still pending when the rebuild,
    // queued on that lock, gets it (a try-lock, as every roller's, fails while a waiter is queued).
    let rebuilding: Promise<void> | undefined;
    while (
      !(await handle.withAdvisoryLock(ROLLER_LOCK, async () => {
        await ingest(other, seeded(37, 200));
        rebuilding = rebuildRollups(handle, rebuilt.projectId);
        if (handle.kind === 'embedded') return true;
        for (;;) {
          const [row] = await handle.query<{ waiting: boolean }>(
            `select exists (select from pg_locks where locktype = 'advisory' and objid = $1 and not granted) as waiting`,
            [ROLLER_LOCK],
          );
          if (row?.waiting) return true;
          await sleep(10);
        }
      }))
    ) {
      await sleep(20);
    }
    await rebuilding;
    await foldRollupDeltas(handle);

    for (const shape of Object.keys(ROLLUP_TABLES) as RollupShape[]) {
      const { fromDaily, fromHourly } = await dailyAgainstHourly(other.projectId, shape);
      expect(fromDaily, shape).toEqual(fromHourly);
    }
    // Whole days: read from the daily rows.
    const window = 'from=2026-10-30T00:00:00Z&to=2026-11-09T00:00:00Z';
    expect(await get(other, `/api/v1/analytics/summary?${window}`)).toMatchObject({ calls: 200 });
    expect(await get(rebuilt, `/api/v1/analytics/summary?${window}`)).toMatchObject({ calls: 50 });
  });

  it('answer windows with ragged ends, breakdowns and daily series exactly as the raw rows do', async () => {
    const project = await createTestProject(handle);
    const executions = seeded(23, 1200);
    // Right at the day boundaries the window and the grains meet at.
    executions.push(
      { ...executions[0], startedAt: '2026-11-02T00:00:00.000Z' } as (typeof executions)[number],
      { ...executions[1], startedAt: '2026-11-01T23:59:59.999Z' } as (typeof executions)[number],
      { ...executions[2], startedAt: '2026-11-05T06:59:59.999Z' } as (typeof executions)[number],
      { ...executions[3], startedAt: '2026-11-05T07:00:00.000Z' } as (typeof executions)[number],
    );
    await ingest(project, executions);
    await foldRollupDeltas(handle);
    const [from, to] = ['2026-11-01T05:00:00Z', '2026-11-05T07:00:00Z'];
    const inWindow = `project_id = $1 and started_at >= '${from}' and started_at < '${to}'`;
    const raw = (select: string, groupBy = '') =>
      handle.query<Record<string, string | number>>(
        `select ${select}, count(*)::int as calls, sum(input_tokens)::float8 as input_tokens,
           trim_scale(sum(cost_usd))::text as cost from executions where ${inWindow} ${groupBy}`,
        [project.projectId],
      );
    /** The percentile the hourly rows alone give for the same window. */
    const hourlyP95 = async (where = '') => {
      const [row] = await handle.query<{ h: string }>(
        `select sum(latency_histogram)::text as h from execution_rollups_hourly
         where project_id = $1 and hour >= '${from}' and hour < '${to}' ${where}`,
        [project.projectId],
      );
      return percentile(decodeHistogram(row?.h ?? null), 0.95);
    };

    const summary = await get(project, `/api/v1/analytics/summary?from=${from}&to=${to}`);
    const [total] = await raw(`'all' as key`);
    expect(summary).toMatchObject({ calls: total?.calls, inputTokens: total?.input_tokens });
    expect(summary.costUsd).toBe(total?.cost ?? null);
    expect(summary.p95LatencyMs).toBe(await hourlyP95());

    for (const [by, column] of [
      ['model', 'model'],
      ['prompt', 'prompt_id'],
      ['version', 'prompt_version'],
    ]) {
      const breakdown = await get(project, `/api/v1/analytics/breakdown?by=${by}&from=${from}&to=${to}`);
      const rows = await raw(`${column}::text as key`, 'group by 1');
      expect(breakdown.items.length).toBe(rows.length);
      for (const row of rows) {
        const item = breakdown.items.find((i: { key: string }) => i.key === row.key);
        expect(item, `${by} ${row.key}`).toMatchObject({ calls: row.calls, inputTokens: row.input_tokens });
        expect(item.p95LatencyMs).toBe(await hourlyP95(`and ${column}::text = '${row.key}'`));
      }
    }

    // UTC days come from the daily rows; Paris days (never on UTC midnights) from the hourly ones.
    for (const tz of ['UTC', 'Europe/Paris']) {
      const series = await get(project, `/api/v1/analytics/timeseries?interval=day&tz=${tz}&from=${from}&to=${to}`);
      const days = await raw(
        `to_char(date_trunc('day', started_at, '${tz}') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as key`,
        'group by 1',
      );
      const expected = new Map(days.map((d) => [d.key, d.calls]));
      for (const point of series.points)
        expect(point.calls, `${tz} ${point.start}`).toBe(expected.get(point.start) ?? 0);
      expect(series.points.reduce((sum: number, p: { calls: number }) => sum + p.calls, 0)).toBe(total?.calls);
    }
  });
});

describe('migration 0010', () => {
  it('converts existing jsonb histograms in place and fills the daily tables from the hours', async () => {
    const { fresh, close } = await freshDatabase();
    try {
      const migrations = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
        entries: { tag: string }[];
      };
      const apply = async (tag: string) => {
        const text = readFileSync(join(MIGRATIONS_DIR, `${tag}.sql`), 'utf8');
        for (const statement of text.split('--> statement-breakpoint')) {
          if (statement.trim()) await fresh.query(statement);
        }
      };
      const tags = migrations.entries.map((e) => e.tag);
      const target = tags.findIndex((tag) => tag.startsWith('0010_'));
      for (const tag of tags.slice(0, target)) await apply(tag);

      const projectId = uuidv7();
      const zeros =
        'calls, success_calls, error_calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls, latency_count, latency_sum_ms';
      const values = (calls: number) => `${calls}, ${calls}, 0, 10, 10, 0, 0, 0, 0.5, ${calls}, 0, ${calls}, 1000`;
      await fresh.query(
        `insert into project_rollups_hourly (project_id, hour, ${zeros}, latency_histogram) values
         ($1, '2026-11-01T10:00:00Z', ${values(3)}, '{"60": 2, "75": 1}'),
         ($1, '2026-11-01T23:00:00Z', ${values(2)}, '{"60": 1, "0": 1}'),
         ($1, '2026-11-02T00:00:00Z', ${values(1)}, '{}')`,
        [projectId],
      );
      await apply(tags[target] as string);

      const hours = await fresh.query<{ histogram: string }>(
        'select latency_histogram::text as histogram from project_rollups_hourly where project_id = $1 order by hour',
        [projectId],
      );
      expect(hours.map((h) => [...decodeHistogram(h.histogram)])).toEqual([
        [
          [60, 2],
          [75, 1],
        ],
        [
          [0, 1],
          [60, 1],
        ],
        [],
      ]);
      const days = await fresh.query<{ day: string; calls: number; cost: string; histogram: string }>(
        `select to_char(day at time zone 'UTC', 'YYYY-MM-DD') as day, calls::int, trim_scale(cost_usd)::text as cost,
           latency_histogram::text as histogram from project_rollups_daily where project_id = $1 order by day`,
        [projectId],
      );
      expect(days.map((d) => [d.day, d.calls, d.cost, [...decodeHistogram(d.histogram)]])).toEqual([
        [
          '2026-11-01',
          5,
          '1',
          [
            [0, 1],
            [60, 3],
            [75, 1],
          ],
        ],
        ['2026-11-02', 1, '0.5', []],
      ]);
    } finally {
      await close();
    }
  });
});

/** An empty database no migration has touched: in memory, or a new PostgreSQL database dropped by close(). */
async function freshDatabase(): Promise<{ fresh: DatabaseHandle; close: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const fresh = await openDatabase({ kind: 'embedded' });
    return { fresh, close: () => fresh.close() };
  }
  const name = `promptlog_migration_${uuidv7().replaceAll('-', '')}`;
  const admin = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
  await admin.query(`create database ${name}`);
  const freshUrl = new URL(url);
  freshUrl.pathname = `/${name}`;
  const fresh = await openDatabase({ kind: 'postgres', url: freshUrl.toString(), poolSize: 1 });
  return {
    fresh,
    close: async () => {
      await fresh.close();
      await admin.query(`drop database if exists ${name}`);
      await admin.close();
    },
  };
}
