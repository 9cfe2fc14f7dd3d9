import { type DatabaseHandle, openDatabase, traceSpans } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  createTestApp,
  createTestProject,
  logIn,
  openIsolatedTestDatabase,
  type TestProject,
} from '../../test/harness';
import { ALL_ROLLUP_TABLES, ROLLUP_TABLES } from '../analytics/rollup-sql';
import { foldRollupDeltas, rebuildRollups } from '../analytics/rollups';
import { RETENTION_LOCK, runRetention, startRetentionJob } from './job';
import { applyRetention, type RetentionReport } from './service';

// A clock in the past. The file has a database of its own, as other files' retention runs, with their own clocks,
// would delete its projects' executions, which are old by theirs.
const NOW = new Date('2001-03-01T12:00:00Z');
const DAY_MS = 86_400_000;
const WINDOW = 'from=2001-01-01T00:00:00Z&to=2001-03-02T00:00:00Z';

let handle: DatabaseHandle;
let app: FastifyInstance;

beforeAll(async () => {
  handle = await openIsolatedTestDatabase();
  app = await createTestApp(handle);
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY_MS).toISOString();
}

/** Two executions (a success and an error) on each of the `days` days before NOW, 30 minutes past the day's mark. */
async function ingestDays(project: TestProject, days: number): Promise<Map<number, string[]>> {
  const ids = new Map<number, string[]>();
  const executions = Array.from({ length: days }, (_, i) => i + 1).flatMap((day) => {
    const pair = [uuidv7(), uuidv7()];
    ids.set(day, pair);
    return pair.map((id, n) => ({
      id,
      promptId: n === 0 ? 'reply' : 'summarise',
      model: 'acme-llm',
      provider: 'acme',
      source: { type: 'api' },
      status: n === 0 ? 'success' : 'error',
      startedAt: new Date(NOW.getTime() - day * DAY_MS + 30 * 60_000).toISOString(),
      latencyMs: 100 * day,
      usage: { inputTokens: 10 * day, outputTokens: day },
      costUsd: '0.001',
      inputs: { day },
      output: `answer ${day}`,
      tags: [`day-${day}`],
      ...(n === 1 ? { error: { type: 'timeout', message: 'slow' } } : {}),
    }));
  });
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions },
  });
  expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
  return ids;
}

async function summary(project: TestProject, window = WINDOW) {
  const response = await app.inject({ url: `/api/v1/analytics/summary?${window}`, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

// Set with SQL: the settings API is not part of this feature.
async function setRetention(project: TestProject, days: number | null, rollupDays: number | null = null) {
  await handle.query('update projects set retention_days = $2, rollup_retention_days = $3 where id = $1', [
    project.projectId,
    days,
    rollupDays,
  ]);
}

async function stored(project: TestProject) {
  const [row] = await handle.query<{ executions: number; payloads: number; oldest: string }>(
    `select (select count(*) from executions where project_id = $1)::int as executions,
       (select count(*) from execution_payloads where project_id = $1)::int as payloads,
       (select min(started_at) from executions where project_id = $1) as oldest`,
    [project.projectId],
  );
  return { executions: row?.executions, payloads: row?.payloads, oldest: new Date(row?.oldest ?? 0) };
}

function reportFor(report: RetentionReport | null, project: TestProject) {
  return report?.projects.find((p) => p.projectId === project.projectId);
}

describe('applyRetention', () => {
  it('deletes executions and payloads older than retention_days in batches, keeping everything else and the analytics', async () => {
    const expiring = await createTestProject(handle);
    const keepsAll = await createTestProject(handle);
    const longRetention = await createTestProject(handle);
    const ids = await ingestDays(expiring, 20);
    await ingestDays(keepsAll, 20);
    await ingestDays(longRetention, 20);
    await setRetention(expiring, 7);
    await setRetention(longRetention, 30);
    await foldRollupDeltas(handle);
    const before = await summary(expiring);
    expect(before.calls).toBe(40);

    const report = await applyRetention(handle, { now: NOW, batchSize: 5, pauseMs: 1 });

    expect(report.complete).toBe(true);
    expect(reportFor(report, expiring)).toEqual({
      projectId: expiring.projectId,
      executionsBefore: daysAgo(7),
      executions: 26,
      payloads: 26,
      traceSpans: 0,
      conversations: 0,
      reviews: 0,
      systemPrompts: 0,
      rollupsBefore: null,
      rollupRows: 0,
    });
    expect(reportFor(report, longRetention)).toMatchObject({ executions: 0, payloads: 0 });
    expect(reportFor(report, keepsAll)).toBeUndefined();
    const left = await stored(expiring);
    expect(left).toMatchObject({ executions: 14, payloads: 14 });
    expect(left.oldest.getTime()).toBeGreaterThanOrEqual(Date.parse(daysAgo(7)));
    expect(await stored(keepsAll)).toMatchObject({ executions: 40, payloads: 40 });
    expect(await stored(longRetention)).toMatchObject({ executions: 40, payloads: 40 });
    const read = (id: string | undefined) =>
      app.inject({ url: `/api/v1/executions/${id}`, headers: expiring.auth }).then((r) => r.statusCode);
    expect(await read(ids.get(8)?.[0])).toBe(404);
    expect(await read(ids.get(7)?.[0])).toBe(200);

    // The rollups still count the deleted executions.
    await foldRollupDeltas(handle);
    expect(await summary(expiring)).toEqual(before);
    expect(await summary(expiring, `from=${daysAgo(21)}&to=${daysAgo(7)}`)).toMatchObject({
      calls: 26,
      errorRate: 0.5,
    });

    // Neither a rebuild from the raw rows left, nor one after retention is switched off, loses them.
    await rebuildRollups(handle, expiring.projectId, NOW);
    expect(await summary(expiring)).toEqual(before);
    await setRetention(expiring, null);
    await rebuildRollups(handle, expiring.projectId, NOW);
    expect(await summary(expiring)).toEqual(before);
  });

  it('deletes the reviews of the executions it deletes, with their labels, and keeps the others', async () => {
    const project = await createTestProject(handle);
    const ids = await ingestDays(project, 10);
    await setRetention(project, 7);
    const admin = await logIn(app, project.email, project.password);
    const as = { cookies: admin.cookies, headers: admin.headers };
    const label = await app.inject({
      ...as,
      method: 'POST',
      url: `/api/v1/review-labels?projectId=${project.projectId}`,
      payload: { name: 'Old', color: 'gray' },
    });
    for (const day of [9, 8, 2]) {
      const reviewed = await app.inject({
        ...as,
        method: 'PUT',
        url: `/api/v1/executions/${ids.get(day)?.[0]}/review`,
        payload: { rating: 'down', labels: [label.json().id] },
      });
      expect(reviewed.statusCode, reviewed.body).toBe(200);
    }

    const report = await applyRetention(handle, { now: NOW, batchSize: 1, pauseMs: 1 });

    expect(reportFor(report, project)).toMatchObject({ executions: 6, reviews: 2 });
    const [left] = await handle.query<{ reviews: number; links: number }>(
      `select (select count(*) from execution_reviews where project_id = $1)::int as reviews,
         (select count(*) from execution_review_labels where project_id = $1)::int as links`,
      [project.projectId],
    );
    expect(left).toEqual({ reviews: 1, links: 1 });
  });

  it('deletes trace steps started before retention_days in batches, and no one else’s', async () => {
    const expiring = await createTestProject(handle);
    const keepsAll = await createTestProject(handle);
    // One step an hour over the 10 days before NOW, in one long-running trace per day.
    const steps = (project: TestProject) =>
      Array.from({ length: 240 }, (_, hour) => ({
        projectId: project.projectId,
        traceId: `day-${Math.floor(hour / 24)}`,
        spanId: `step-${hour}`,
        name: 'tool call',
        kind: 'tool',
        startedAt: new Date(NOW.getTime() - (hour + 0.5) * 3_600_000).toISOString(),
        status: 'ok' as const,
      }));
    await handle.db.insert(traceSpans).values([...steps(expiring), ...steps(keepsAll)]);
    await setRetention(expiring, 3);

    const report = await applyRetention(handle, { now: NOW, batchSize: 50, pauseMs: 0 });

    expect(reportFor(report, expiring)).toMatchObject({ executionsBefore: daysAgo(3), traceSpans: 240 - 72 });
    const remaining = async (project: TestProject) =>
      handle.query<{ count: number; oldest: string }>(
        'select count(*)::int as count, min(started_at) as oldest from trace_spans where project_id = $1',
        [project.projectId],
      );
    const [left] = await remaining(expiring);
    expect(left?.count).toBe(72);
    expect(new Date(left?.oldest ?? 0).getTime()).toBeGreaterThanOrEqual(Date.parse(daysAgo(3)));
    expect((await remaining(keepsAll))[0]?.count).toBe(240);
    const again = await applyRetention(handle, { now: NOW, batchSize: 50, pauseMs: 0 });
    expect(reportFor(again, expiring)).toMatchObject({ traceSpans: 0 });
  });

  it('leaves the rebuild of a project retention never touched recounting every hour', async () => {
    const project = await createTestProject(handle);
    await ingestDays(project, 3);
    await foldRollupDeltas(handle);
    const before = await summary(project);
    for (const { table } of Object.values(ROLLUP_TABLES)) {
      await handle.query(`delete from ${table} where project_id = $1`, [project.projectId]);
    }

    await rebuildRollups(handle, project.projectId, NOW);

    expect(await summary(project)).toEqual(before);
  });

  it('finds nothing to delete on a second run', async () => {
    const project = await createTestProject(handle);
    await ingestDays(project, 10);
    await setRetention(project, 3, 5);
    const first = await applyRetention(handle, { now: NOW, batchSize: 4, pauseMs: 0 });
    expect(reportFor(first, project)).toMatchObject({ executions: 14, payloads: 14 });
    expect(reportFor(first, project)?.rollupRows).toBeGreaterThan(0);
    await foldRollupDeltas(handle);

    const second = await applyRetention(handle, { now: NOW, batchSize: 4, pauseMs: 0 });

    expect(reportFor(second, project)).toMatchObject({ executions: 0, payloads: 0, rollupRows: 0 });
    expect(await stored(project)).toMatchObject({ executions: 6, payloads: 6 });
  });

  it('deletes hourly and daily aggregates, pending deltas and tags seen of the UTC days before rollup_retention_days, and no executions', async () => {
    const project = await createTestProject(handle);
    await ingestDays(project, 15);
    await setRetention(project, null, 10);
    // Whole UTC days, so a day row stays the sum of its hours.
    const cutoff = `${daysAgo(10).slice(0, 10)}T00:00:00.000Z`;

    // Right after ingestion, so deltas of old hours may still be pending.
    const report = await applyRetention(handle, { now: NOW, batchSize: 3, pauseMs: 0 });
    await foldRollupDeltas(handle);

    expect(reportFor(report, project)).toMatchObject({ executionsBefore: null, executions: 0, rollupsBefore: cutoff });
    const tables = [
      { table: 'execution_rollup_deltas', time: 'hour' },
      ...ALL_ROLLUP_TABLES,
      { table: 'tags_seen_daily', time: 'day' },
    ];
    for (const { table, time } of tables) {
      const [row] = await handle.query<{ old: number; kept: number }>(
        `select count(*) filter (where ${time} < $2)::int as old, count(*) filter (where ${time} >= $2)::int as kept
         from ${table} where project_id = $1`,
        [project.projectId, cutoff],
      );
      expect(row?.old, table).toBe(0);
      if (table !== 'execution_rollup_deltas') expect(row?.kept, table).toBeGreaterThan(0);
    }
    expect(await summary(project, `from=2001-01-01T00:00:00Z&to=${cutoff}`)).toMatchObject({ calls: 0 });
    expect(await summary(project)).toMatchObject({ calls: 20 });
    expect(await stored(project)).toMatchObject({ executions: 30, payloads: 30 });
  });

  it('stops between batches when its signal aborts, leaving the rest to the next run', async () => {
    const project = await createTestProject(handle);
    await ingestDays(project, 10);
    await setRetention(project, 1);
    const stop = new AbortController();

    const running = applyRetention(handle, { now: NOW, batchSize: 4, pauseMs: 60_000, signal: stop.signal });
    await vi.waitFor(async () => expect((await stored(project)).executions).toBe(16));
    stop.abort();

    const report = await running;
    expect(report.complete).toBe(false);
    expect(reportFor(report, project)).toMatchObject({ executions: 4 });
    const next = await applyRetention(handle, { now: NOW, batchSize: 4, pauseMs: 0 });
    expect(reportFor(next, project)).toMatchObject({ executions: 14 });
  });
});

describe('the retention job', () => {
  it('runs every interval with its clock and stops cleanly', async () => {
    const project = await createTestProject(handle);
    await ingestDays(project, 5);
    await setRetention(project, 2);
    const log = { info: vi.fn(), warn: vi.fn() };
    const clock = vi.fn(() => NOW);

    // The job's own timers are fake, so "no run after stop" is checked over an hour of its time, not a short sleep.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stop = startRetentionJob(handle, { intervalMs: 10, log, clock, pauseMs: 0 });
      await vi.waitFor(async () => expect((await stored(project)).executions).toBe(4));
      await stop();

      expect(log.warn).not.toHaveBeenCalled();
      expect(log.info).toHaveBeenCalledWith(
        {
          projects: expect.arrayContaining([expect.objectContaining({ projectId: project.projectId, executions: 6 })]),
        },
        'data retention deleted old rows',
      );
      const runs = clock.mock.calls.length;
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(clock.mock.calls.length).toBe(runs);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does nothing when disabled', async () => {
    const clock = vi.fn(() => NOW);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stop = startRetentionJob(handle, { intervalMs: 0, log: { info: vi.fn(), warn: vi.fn() }, clock });
      await vi.advanceTimersByTimeAsync(3_600_000);
      await stop();
      expect(clock).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs once at a time in a process', async () => {
    const results = await Promise.all([runRetention(handle, { now: NOW }), runRetention(handle, { now: NOW })]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  // Only PostgreSQL has other sessions that could hold the lock; the embedded database is one process's.
  if (process.env.TEST_DATABASE_URL) {
    it('skips the run while another process holds the lock', async () => {
      const project = await createTestProject(handle);
      await ingestDays(project, 3);
      await setRetention(project, 1);
      // A pool of one connection: every query runs in the same session, as another process's would.
      const [current] = await handle.query<{ name: string }>('select current_database() as name');
      const url = new URL(process.env.TEST_DATABASE_URL ?? '');
      url.pathname = `/${current?.name}`;
      const other = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 1 });
      try {
        await other.query('select pg_advisory_lock($1)', [RETENTION_LOCK]);
        expect(await runRetention(handle, { now: NOW })).toBeNull();
        expect((await stored(project)).executions).toBe(6);
        await other.query('select pg_advisory_unlock($1)', [RETENTION_LOCK]);
        expect(reportFor(await runRetention(handle, { now: NOW }), project)).toMatchObject({ executions: 4 });
      } finally {
        await other.close();
      }
    });
  }
});
