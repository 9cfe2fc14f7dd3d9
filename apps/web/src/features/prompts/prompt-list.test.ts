import { describe, expect, it } from 'vitest';
import {
  compareDecimals,
  filterPrompts,
  nextSort,
  parsePromptListView,
  promptsInView,
  sortPatch,
  sortPrompts,
} from './prompt-list';

type Row = {
  id: string;
  lastRunAt: string | null;
  runs24h: number;
  errorRate24h: number | null;
  costUsd24h: string | null;
  p95LatencyMs24h: number | null;
};

const row = (id: string, fields: Partial<Row> = {}): Row => ({
  id,
  lastRunAt: null,
  runs24h: 0,
  errorRate24h: null,
  costUsd24h: null,
  p95LatencyMs24h: null,
  ...fields,
});

const prompts = [
  row('summarize', {
    lastRunAt: '2026-12-02T10:00:00.000000Z',
    runs24h: 40,
    errorRate24h: 0.1,
    costUsd24h: '0.000000000000002',
    p95LatencyMs24h: 911.1,
  }),
  row('classify-ticket', {
    lastRunAt: '2026-12-02T12:00:00.000000Z',
    runs24h: 5,
    errorRate24h: 0,
    costUsd24h: '0.000000000000001',
    p95LatencyMs24h: 120,
  }),
  row('Checkout-assistant', {
    lastRunAt: '2026-12-01T09:00:00.000000Z',
    runs24h: 0,
  }),
  row('translate', { lastRunAt: '2026-12-02T11:00:00.000000Z', runs24h: 3, errorRate24h: 1, costUsd24h: '12.5' }),
  row('never-run'),
];
const ids = (rows: readonly Row[]) => rows.map((r) => r.id);

describe('searching prompts by id', () => {
  it('keeps the prompts whose id contains the text, ignoring case and surrounding space', () => {
    expect(ids(filterPrompts(prompts, 'CHECK'))).toEqual(['Checkout-assistant']);
    expect(ids(filterPrompts(prompts, '  t '))).toEqual(['classify-ticket', 'Checkout-assistant', 'translate']);
  });

  it('needs every word typed, in any order', () => {
    expect(ids(filterPrompts(prompts, 'ticket class'))).toEqual(['classify-ticket']);
    expect(ids(filterPrompts(prompts, 'ticket summarize'))).toEqual([]);
  });

  it('keeps everything for an empty search', () => {
    expect(filterPrompts(prompts, '')).toBe(prompts);
    expect(filterPrompts(prompts, '   ')).toBe(prompts);
  });
});

describe('sorting prompts', () => {
  it('sorts by name A to Z and back, ignoring case', () => {
    expect(ids(sortPrompts(prompts, 'name', 'asc'))).toEqual([
      'Checkout-assistant',
      'classify-ticket',
      'never-run',
      'summarize',
      'translate',
    ]);
    expect(ids(sortPrompts(prompts, 'name', 'desc'))[0]).toBe('translate');
  });

  it('puts prompts without the value last in either direction, in name order', () => {
    expect(ids(sortPrompts(prompts, 'lastRun', 'desc'))).toEqual([
      'classify-ticket',
      'translate',
      'summarize',
      'Checkout-assistant',
      'never-run',
    ]);
    expect(ids(sortPrompts(prompts, 'lastRun', 'asc'))).toEqual([
      'Checkout-assistant',
      'summarize',
      'translate',
      'classify-ticket',
      'never-run',
    ]);
    expect(ids(sortPrompts(prompts, 'errorRate', 'asc'))).toEqual([
      'classify-ticket',
      'summarize',
      'translate',
      'Checkout-assistant',
      'never-run',
    ]);
    expect(ids(sortPrompts(prompts, 'p95', 'desc'))).toEqual([
      'summarize',
      'classify-ticket',
      'Checkout-assistant',
      'never-run',
      'translate',
    ]);
  });

  it('sorts runs as numbers, ties in name order', () => {
    expect(ids(sortPrompts(prompts, 'runs', 'desc'))).toEqual([
      'summarize',
      'classify-ticket',
      'translate',
      'Checkout-assistant',
      'never-run',
    ]);
  });

  it('sorts costs exactly, past what a double tells apart', () => {
    expect(ids(sortPrompts(prompts, 'cost', 'desc')).slice(0, 3)).toEqual([
      'translate',
      'summarize',
      'classify-ticket',
    ]);
    expect(ids(sortPrompts(prompts, 'cost', 'asc')).slice(0, 3)).toEqual(['classify-ticket', 'summarize', 'translate']);
  });

  it('filters and sorts as the view says, leaving its input alone', () => {
    const copy = [...prompts];
    expect(ids(promptsInView(prompts, { q: 'a', sort: 'cost', order: 'desc' }))).toEqual([
      'translate',
      'summarize',
      'classify-ticket',
      'Checkout-assistant',
    ]);
    expect(prompts).toEqual(copy);
  });
});

describe('comparing decimal strings', () => {
  it('orders by sign, magnitude and then digit by digit', () => {
    expect(compareDecimals('0.000000000000001', '0.000000000000002')).toBeLessThan(0);
    expect(compareDecimals('10', '9.999999999999999')).toBeGreaterThan(0);
    expect(compareDecimals('1.50', '1.5')).toBe(0);
    expect(compareDecimals('0', '0.000')).toBe(0);
    expect(compareDecimals('-0.2', '0.1')).toBeLessThan(0);
    expect(compareDecimals('-2', '-1.5')).toBeLessThan(0);
    expect(compareDecimals('007.1', '7.01')).toBeGreaterThan(0);
  });
});

describe('the list view in the URL', () => {
  it('reads the search and sort, falling back to the last run first', () => {
    expect(parsePromptListView(new URLSearchParams(''))).toEqual({ q: '', sort: 'lastRun', order: 'desc' });
    expect(parsePromptListView(new URLSearchParams('q=chat&sort=cost&order=asc'))).toEqual({
      q: 'chat',
      sort: 'cost',
      order: 'asc',
    });
    expect(parsePromptListView(new URLSearchParams('sort=name'))).toMatchObject({ sort: 'name', order: 'asc' });
    expect(parsePromptListView(new URLSearchParams('sort=bogus&order=sideways'))).toMatchObject({
      sort: 'lastRun',
      order: 'desc',
    });
  });

  it('turns a sorted column around and starts another in its own first order', () => {
    const view = { q: '', sort: 'cost', order: 'desc' } as const;
    expect(nextSort(view, 'cost')).toEqual({ sort: 'cost', order: 'asc' });
    expect(nextSort({ ...view, order: 'asc' }, 'cost')).toEqual({ sort: 'cost', order: 'desc' });
    expect(nextSort(view, 'name')).toEqual({ sort: 'name', order: 'asc' });
    expect(nextSort(view, 'p95')).toEqual({ sort: 'p95', order: 'desc' });
  });

  it('writes only what differs from the defaults, and reads back what it wrote', () => {
    expect(sortPatch('lastRun', 'desc')).toEqual({ sort: null, order: null });
    expect(sortPatch('name', 'asc')).toEqual({ sort: 'name', order: null });
    expect(sortPatch('cost', 'asc')).toEqual({ sort: 'cost', order: 'asc' });
    for (const [sort, order] of [
      ['lastRun', 'asc'],
      ['name', 'desc'],
      ['p95', 'desc'],
    ] as const) {
      const patch = sortPatch(sort, order);
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(patch)) if (value) params.set(key, String(value));
      expect(parsePromptListView(params)).toMatchObject({ sort, order });
    }
  });
});
