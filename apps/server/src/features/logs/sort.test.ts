import { EXECUTION_SORTS, type ExecutionSort } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestProject, type TestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

type Item = {
  id: string;
  status: string;
  startedAt: string;
  latencyMs: number | null;
  costUsd: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  tags: string[];
};

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 12, minute)).toISOString();

/**
 * 26 executions of "reply" with ties on every key and rows without a value: pending ones have no latency, some have no
 * usage (no tokens), the unknown model is unpriced unless a cost is sent. Two pairs share a start.
 */
const FIXTURE = Array.from({ length: 26 }, (_, i) => {
  const pending = i % 7 === 3;
  return {
    promptId: 'reply',
    status: pending ? 'pending' : i % 4 === 1 ? 'error' : 'success',
    source: { type: 'api' },
    model: 'house-model',
    startedAt: at(i === 9 ? 8 : i === 21 ? 20 : i),
    ...(pending ? {} : { latencyMs: ((i * 37) % 5) * 100 }),
    ...(i % 5 === 2 ? {} : { costUsd: String(((i * 13) % 4) / 4) }),
    ...(i % 6 === 1 ? {} : { usage: { inputTokens: ((i * 7) % 5) * 10, outputTokens: (i % 3) * 5 } }),
    ...(i % 3 === 0 ? { inputs: { text: `needle ${i}` }, tags: ['needle'] } : {}),
  };
});

beforeAll(async () => {
  project = await createTestProject(handle);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions: FIXTURE },
  });
  expect(response.json().results.every((r: { status: string }) => r.status === 'created')).toBe(true);
});

const KEYS: Record<string, (item: Item) => number | null> = {
  time: (item) => Date.parse(item.startedAt),
  latency: (item) => item.latencyMs,
  cost: (item) => (item.costUsd === null ? null : Number(item.costUsd)),
  tokens: (item) =>
    item.inputTokens === null || item.outputTokens === null ? null : item.inputTokens + item.outputTokens,
};

/** The order the API promises: by the key, rows without it last either way, ties by id in the same direction. */
function expectedOrder(items: Item[], sort: ExecutionSort): string[] {
  const [key = '', direction] = sort.split('_');
  const value = KEYS[key] ?? (() => null);
  const sign = direction === 'desc' ? -1 : 1;
  return [...items]
    .sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      if (x === null || y === null) return x === y ? sign * (a.id < b.id ? -1 : 1) : x === null ? 1 : -1;
      if (x !== y) return sign * (x - y);
      return sign * (a.id < b.id ? -1 : 1);
    })
    .map((item) => item.id);
}

async function page(query: string, target: FastifyInstance = app) {
  const response = await target.inject({ url: `/api/v1/executions?promptId=reply&${query}`, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Item[]; nextCursor: string | null; searched?: { through: string } };
}

/** Every page of a listing, following nextCursor. */
async function walk(query: string, target: FastifyInstance = app): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const body = await page(`${query}${cursor ? `&cursor=${cursor}` : ''}`, target);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('the walk did not end');
}

describe('GET /api/v1/executions sorted', () => {
  let all: Item[];
  beforeAll(async () => {
    all = (await page('limit=200')).items;
    expect(all).toHaveLength(FIXTURE.length);
    // The fixture has what the walks must get through: ties and rows without a value for each key.
    expect(all.filter((item) => item.latencyMs === null).length).toBeGreaterThan(1);
    expect(all.filter((item) => item.costUsd === null).length).toBeGreaterThan(1);
    expect(all.filter((item) => item.inputTokens === null).length).toBeGreaterThan(1);
  });

  it.each(EXECUTION_SORTS)('walks %s three rows at a time through every row once, in order', async (sort) => {
    const walked = await walk(`sort=${sort}&limit=3`);
    expect(walked.map((item) => item.id)).toEqual(expectedOrder(all, sort));
  });

  it.each(EXECUTION_SORTS)('lists %s in one page as the walk does', async (sort) => {
    const { items, nextCursor } = await page(`sort=${sort}&limit=200`);
    expect(items.map((item) => item.id)).toEqual(expectedOrder(all, sort));
    expect(nextCursor).toBeNull();
  });

  it('ends a page exactly at the last row with a value and goes on with the rows without one', async () => {
    const withLatency = all.filter((item) => item.latencyMs !== null).length;
    const first = await page(`sort=latency_desc&limit=${withLatency}`);
    expect(first.items.every((item) => item.latencyMs !== null)).toBe(true);
    const rest = await page(`sort=latency_desc&limit=200&cursor=${first.nextCursor}`);
    expect(rest.items.map((item) => item.latencyMs)).toEqual(Array(all.length - withLatency).fill(null));
    expect(rest.nextCursor).toBeNull();
  });

  it.each([
    ['status=success', (item: Item) => item.status === 'success'],
    ['status=pending', (item: Item) => item.status === 'pending'],
    [
      `from=${at(5)}&to=${at(18)}`,
      (item: Item) =>
        Date.parse(item.startedAt) >= Date.parse(at(5)) && Date.parse(item.startedAt) < Date.parse(at(18)),
    ],
  ])('combines %s with each sort', async (filter, keep) => {
    for (const sort of EXECUTION_SORTS) {
      const walked = await walk(`${filter}&sort=${sort}&limit=4`);
      expect(
        walked.map((item) => item.id),
        sort,
      ).toEqual(expectedOrder(all.filter(keep), sort));
    }
  });

  it('searches in the sort’s order within its budget and finds every match across pages', async () => {
    const budgeted = await createTestApp(handle, { searchScanExecutions: 4 });
    try {
      const matches = all.filter((item) => item.tags.includes('needle'));
      expect(matches).toHaveLength(9);
      for (const sort of ['latency_desc', 'cost_asc', 'tokens_desc'] as const) {
        const walked = await walk(`q=needle&sort=${sort}&limit=2`, budgeted);
        expect(
          walked.map((item) => item.id),
          sort,
        ).toEqual(expectedOrder(matches, sort));
      }
    } finally {
      await budgeted.close();
    }
  });

  it('refuses a cursor of another sort with a 400 that says so, and an unknown sort', async () => {
    const { nextCursor } = await page('sort=latency_desc&limit=2');
    for (const [query, message] of [
      [
        `sort=latency_asc&cursor=${nextCursor}`,
        'continues the sort latency_desc, not latency_asc; start again without it',
      ],
      [`cursor=${nextCursor}`, 'continues the sort latency_desc, not time_desc; start again without it'],
    ]) {
      const response = await app.inject({ url: `/api/v1/executions?promptId=reply&${query}`, headers: project.auth });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.issues).toEqual([{ path: 'cursor', message }]);
    }
    const unknown = await app.inject({ url: '/api/v1/executions?sort=mood_desc', headers: project.auth });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.issues[0].path).toBe('sort');
  });
});
