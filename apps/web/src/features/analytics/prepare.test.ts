import type { BreakdownItem, Measures, Timeseries, TimeseriesPoint } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import {
  bucketCost,
  bucketLabels,
  costText,
  itemCalls,
  itemCost,
  labelUnknown,
  OTHER_ID,
  prepareCostChart,
  prepareErrorStack,
  prepareLatency,
  prepareOutputLength,
  prepareSignalRates,
  rankPrompts,
  signalRows,
  signalTiles,
  sortFieldRows,
  summaryTiles,
  topN,
} from './prepare';

const EMPTY: Measures = {
  calls: 0,
  successRate: null,
  errorRate: null,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
  costUsd: null,
  unpricedCalls: 0,
  thinkingCalls: 0,
  avgLatencyMs: null,
  p50LatencyMs: null,
  p95LatencyMs: null,
  refusalRate: null,
  truncationRate: null,
  jsonCheckedCalls: 0,
  jsonInvalidRate: null,
  avgOutputChars: null,
  p95OutputChars: null,
};

const measures = (fields: Partial<Measures>): Measures => ({ ...EMPTY, ...fields });
const point = (start: string, fields: Partial<Measures> = {}): TimeseriesPoint => ({ start, ...measures(fields) });
const item = (key: string | null, fields: Partial<Measures> = {}): BreakdownItem => ({
  key,
  models: [],
  ...measures(fields),
});

describe('bucketLabels', () => {
  it('labels days by the local midnight across the end of summer time', () => {
    // Paris leaves summer time on 25 Oct 2026: that day starts at 22:00Z and lasts 25 hours.
    expect(bucketLabels('2026-10-24T22:00:00Z', 'day', 'Europe/Paris').label).toBe('25 Oct');
    expect(bucketLabels('2026-10-25T23:00:00Z', 'day', 'Europe/Paris').label).toBe('26 Oct');
    expect(bucketLabels('2026-10-25T23:00:00Z', 'day', 'Europe/Paris').fullLabel).toBe('Mon, 26 Oct 2026');
  });

  it('tells the two local 02:00 hours of a DST change apart', () => {
    const first = bucketLabels('2026-10-25T00:00:00Z', 'hour', 'Europe/Paris');
    const second = bucketLabels('2026-10-25T01:00:00Z', 'hour', 'Europe/Paris');
    expect(first.label).toBe('02:00');
    expect(second.label).toBe('02:00');
    expect(first.fullLabel).not.toBe(second.fullLabel);
    expect(first.fullLabel).toMatch(/CEST|GMT\+2/);
    expect(second.fullLabel).toMatch(/CET\b|GMT\+1/);
  });

  it('formats the same instant in the reader’s zone', () => {
    expect(bucketLabels('2026-11-23T05:00:00Z', 'hour', 'UTC').label).toBe('05:00');
    expect(bucketLabels('2026-11-23T05:00:00Z', 'hour', 'America/New_York').label).toBe('00:00');
    expect(bucketLabels('2026-11-23T05:00:00Z', 'day', 'Asia/Tokyo').label).toBe('23 Nov');
    expect(bucketLabels('2026-11-23T05:00:00Z', 'day', 'Pacific/Honolulu').label).toBe('22 Nov');
  });
});

describe('cost over time', () => {
  it('keeps unknown cost apart from zero cost', () => {
    expect(bucketCost(measures({ calls: 0 }))).toBe(0);
    expect(bucketCost(measures({ calls: 3, costUsd: null, unpricedCalls: 3 }))).toBeNull();
    expect(bucketCost(measures({ calls: 3, costUsd: '0' }))).toBe(0);
    expect(bucketCost(measures({ calls: 3, costUsd: '0.0125' }))).toBe(0.0125);
  });

  it('shows tokens and says why when nothing in the window is priced', () => {
    const series: Timeseries = {
      points: [
        point('2026-11-23T10:00:00Z', { calls: 2, unpricedCalls: 2, inputTokens: 100, outputTokens: 20 }),
        point('2026-11-23T11:00:00Z'),
      ],
    };
    const chart = prepareCostChart(series, 'hour', 'UTC');
    expect(chart.mode).toBe('tokens');
    expect(chart.title).toBe('Token usage over time');
    expect(chart.note).toContain('No call in this window has a known price (2 unpriced)');
    expect(chart.rows[0]).toMatchObject({ inputTokens: 100, outputTokens: 20, label: '10:00' });
  });

  it('draws cost when something is priced and leaves unpriced buckets empty, not $0', () => {
    const series: Timeseries = {
      points: [
        point('2026-11-23T10:00:00Z', { calls: 2, costUsd: '0.5', unpricedCalls: 1 }),
        point('2026-11-23T11:00:00Z', { calls: 1, costUsd: null, unpricedCalls: 1 }),
        point('2026-11-23T12:00:00Z'),
      ],
    };
    const chart = prepareCostChart(series, 'hour', 'UTC');
    expect(chart.mode).toBe('cost');
    expect(chart.rows.map((row) => row.cost)).toEqual([0.5, null, 0]);
    expect(chart.note).toContain('2 of 3 calls have no known price');
    expect(chart.note).toContain('1 bucket has no priced call');
  });

  it('says nothing about prices when there were no calls at all', () => {
    const chart = prepareCostChart({ points: [point('2026-11-23T10:00:00Z')] }, 'hour', 'UTC');
    expect(chart.note).toBeNull();
  });
});

describe('prepareErrorStack', () => {
  it('stacks error types with zeros where a type is missing from a bucket', () => {
    const starts = ['2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z', '2026-11-23T12:00:00Z'];
    const series: Timeseries = {
      points: starts.map((start) => point(start, { calls: 4 })),
      series: [
        { key: null, points: starts.map((start) => point(start, { calls: 3, errorRate: 0 })) },
        {
          key: 'timeout',
          points: [
            point(starts[0] ?? '', { calls: 2, errorRate: 1 }),
            point(starts[2] ?? '', { calls: 1, errorRate: 1 }),
          ],
        },
        { key: 'rate_limit', points: starts.map((start, i) => point(start, { calls: i, errorRate: i ? 1 : null })) },
      ],
    };
    const stack = prepareErrorStack(series, 'hour', 'UTC');
    expect(stack.series).toEqual([
      { key: 'e1', label: 'timeout' },
      { key: 'e2', label: 'rate_limit' },
    ]);
    expect(stack.rows.map((row) => [row.e1, row.e2])).toEqual([
      [2, 0],
      [0, 1],
      [1, 2],
    ]);
    expect(stack.total).toBe(6);
  });

  it('names errors without a type rather than dropping them', () => {
    const start = '2026-11-23T10:00:00Z';
    const stack = prepareErrorStack(
      {
        points: [point(start, { calls: 2 })],
        series: [{ key: null, points: [point(start, { calls: 2, errorRate: 0.5 })] }],
      },
      'hour',
      'UTC',
    );
    expect(stack.series).toEqual([{ key: 'e0', label: 'no type recorded' }]);
    expect(stack.rows[0]?.e0).toBe(1);
  });
});

describe('prepareLatency', () => {
  it('keeps empty buckets as gaps', () => {
    const rows = prepareLatency(
      {
        points: [
          point('2026-11-23T10:00:00Z', { calls: 1, p50LatencyMs: 300, p95LatencyMs: 900 }),
          point('2026-11-23T11:00:00Z'),
        ],
      },
      'hour',
      'UTC',
    );
    expect(rows.map((row) => [row.p50, row.p95])).toEqual([
      [300, 900],
      [null, null],
    ]);
  });
});

describe('topN', () => {
  const items = [item('a', { calls: 5 }), item('b', { calls: 9 }), item(null, { calls: 1 }), item('c', { calls: 3 })];

  it('keeps the largest and sums the rest into Other', () => {
    const rows = topN(items, 2, itemCalls, '(no field)');
    expect(rows.map((row) => [row.id, row.label, row.value])).toEqual([
      ['b', 'b', 9],
      ['a', 'a', 5],
      [OTHER_ID, 'Other (2)', 4],
    ]);
  });

  it('names a missing key and adds no Other when everything fits', () => {
    const rows = topN(items, 10, itemCalls, '(no field)');
    expect(rows).toHaveLength(4);
    expect(rows.at(-1)?.label).toBe('(no field)');
  });

  it('does not count unknown cost as zero', () => {
    const rows = topN(
      [item('x', { calls: 1, costUsd: '0.2' }), item('y', { calls: 1 }), item('z', { calls: 1 })],
      1,
      itemCost,
      '?',
    );
    expect(rows.map((row) => row.value)).toEqual([0.2, null]);
  });
});

describe('labelUnknown', () => {
  it('names the bars an unknown value leaves empty', () => {
    const rows = labelUnknown(
      topN([item('a', { calls: 1, costUsd: '0.1' }), item('b', { calls: 1 })], 5, itemCost, '?'),
      'unpriced',
    );
    expect(rows.map((row) => row.label)).toEqual(['a', 'b (unpriced)']);
  });
});

describe('costText and summaryTiles', () => {
  it('never shows $0 for an unknown cost', () => {
    expect(costText(measures({ calls: 4, unpricedCalls: 4 }))).toEqual({
      value: 'unpriced',
      detail: 'None of 4 calls has a known price',
    });
    expect(costText(measures({ calls: 4, costUsd: '1.5', unpricedCalls: 1 }))).toEqual({
      value: '$1.50',
      detail: '1 of 4 calls unpriced',
    });
    expect(costText(measures({ calls: 4, costUsd: '0' }))).toEqual({ value: '$0.00', detail: null });
    expect(costText(EMPTY).value).toBe('—');
  });

  it('lists the six headline numbers', () => {
    const tiles = summaryTiles(
      measures({ calls: 10, successRate: 0.9, errorRate: 0.1, totalTokens: 1234, p95LatencyMs: 1500 }),
    );
    expect(tiles.map((tile) => tile.label)).toEqual([
      'Total calls',
      'Success rate',
      'Total tokens',
      'Total cost',
      'Avg latency',
      'p95 latency',
    ]);
    expect(tiles[1]).toMatchObject({ value: '90%', detail: '1 error' });
    expect(tiles[5]?.value).toBe('1.50 s');
  });
});

describe('output signals', () => {
  it('shows the rates with their counts, and "—" with the reason when there is nothing to measure', () => {
    const tiles = signalTiles(
      measures({
        calls: 200,
        refusalRate: 0.03,
        truncationRate: 0.005,
        jsonCheckedCalls: 40,
        jsonInvalidRate: 0.25,
        avgOutputChars: 812.4,
        p95OutputChars: 2410.6,
      }),
    );
    expect(tiles).toEqual([
      { label: 'Refusal rate', value: '3%', detail: '6 refusals' },
      { label: 'Truncation rate', value: '0.5%', detail: '1 call cut off' },
      { label: 'JSON-invalid rate', value: '25%', detail: 'of 40 JSON answers checked' },
      { label: 'Avg output', value: '812 chars', detail: null },
      { label: 'p95 output', value: '2,411 chars', detail: 'within about 5%' },
    ]);
    const unchecked = signalTiles(measures({ calls: 3, refusalRate: 0, truncationRate: 0 }));
    expect(unchecked.map((tile) => [tile.value, tile.detail])).toEqual([
      ['0%', '0 refusals'],
      ['0%', '0 calls cut off'],
      ['—', 'No answer was checked as JSON'],
      ['—', 'No answer logged yet'],
      ['—', 'No answer logged yet'],
    ]);
    expect(signalTiles(EMPTY).every((tile) => tile.value === '—' && tile.detail === 'No calls')).toBe(true);
  });

  it('charts the rates and the length per bucket, a gap where a bucket has nothing to measure', () => {
    const series: Timeseries = {
      points: [
        point('2026-11-01T10:00:00Z', {
          calls: 10,
          refusalRate: 0.1,
          truncationRate: 0,
          jsonCheckedCalls: 4,
          jsonInvalidRate: 0.5,
          avgOutputChars: 120,
          p95OutputChars: 310.5,
        }),
        point('2026-11-01T11:00:00Z', { calls: 2, refusalRate: 0, truncationRate: 0.5 }),
        point('2026-11-01T12:00:00Z'),
      ],
    };
    const rates = prepareSignalRates(series, 'hour', 'UTC');
    expect(rates.map(({ refusal, truncation, jsonInvalid }) => [refusal, truncation, jsonInvalid])).toEqual([
      [0.1, 0, 0.5],
      [0, 0.5, null],
      [null, null, null],
    ]);
    expect(prepareOutputLength(series, 'hour', 'UTC').map(({ chars, p95 }) => [chars, p95])).toEqual([
      [120, 310.5],
      [null, null],
      [null, null],
    ]);
  });

  it('lists the signals per model, busiest first, saying when no JSON was checked', () => {
    const rows = signalRows(
      [
        item('small', { calls: 5, refusalRate: 0.2, truncationRate: 0, avgOutputChars: 40, p95OutputChars: 96.3 }),
        item('large', { calls: 50, refusalRate: 0.02, truncationRate: 0.1, jsonCheckedCalls: 10, jsonInvalidRate: 0 }),
        item(null, { calls: 1, refusalRate: 0, truncationRate: 0 }),
      ],
      '(no model)',
    );
    expect(
      rows.map((row) => [row.label, row.refusal, row.truncation, row.jsonInvalid, row.avgOutput, row.p95Output]),
    ).toEqual([
      ['large', '2%', '10%', '0%', '—', '—'],
      ['small', '20%', '0%', '— (none checked)', '40 chars', '96 chars'],
      ['(no model)', '0%', '0%', '— (none checked)', '—', '—'],
    ]);
  });
});

describe('sortFieldRows', () => {
  const rows = [
    item('reply', { calls: 5, costUsd: '0.1' }),
    item('title', { calls: 9 }),
    item(null, { calls: 1, costUsd: '0.3' }),
  ];

  it('sorts by a measure with unknown values last either way', () => {
    expect(sortFieldRows(rows, 'costUsd', 'desc').map((row) => row.key)).toEqual([null, 'reply', 'title']);
    expect(sortFieldRows(rows, 'costUsd', 'asc').map((row) => row.key)).toEqual(['reply', null, 'title']);
  });

  it('sorts by name', () => {
    expect(sortFieldRows(rows, 'field', 'asc').map((row) => row.key)).toEqual([null, 'reply', 'title']);
    expect(sortFieldRows(rows, 'calls', 'desc').map((row) => row.key)).toEqual(['title', 'reply', null]);
  });
});

describe('rankPrompts', () => {
  it('ranks by calls or by errors, leaving out prompts without errors', () => {
    const items = [
      item('a', { calls: 10, errorRate: 0 }),
      item('b', { calls: 4, errorRate: 0.5 }),
      item('c', { calls: 20, errorRate: 0.05 }),
    ];
    expect(rankPrompts(items, 'calls', 2).map((rank) => rank.key)).toEqual(['c', 'a']);
    expect(rankPrompts(items, 'errors', 5).map((rank) => [rank.key, rank.value])).toEqual([
      ['b', 2],
      ['c', 1],
    ]);
  });
});
