import type { BreakdownItem, Measures, Timeseries, TimeseriesPoint } from '@promptlog/contracts';
import { formatCost, formatCount, formatLatency, formatPercent } from '../../lib/format';
import type { Interval } from './window';

/** One x position of a chart: `id` is what a drill-down needs (a bucket start or a key), values by series. */
export type ChartRow = { id: string; label: string; fullLabel: string; [series: string]: string | number | null };
export type SeriesSpec = { key: string; label: string };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...options });
    formatters.set(key, cached);
  }
  return cached;
}

/**
 * A bucket's labels in the reader's zone: a short tick ("14:00", "23 Nov") and a full label that tells
 * the two 02:00s of a DST change apart by their offset.
 */
export function bucketLabels(start: string, interval: Interval, tz: string): { label: string; fullLabel: string } {
  const date = new Date(start);
  if (Number.isNaN(date.getTime())) return { label: start, fullLabel: start };
  if (interval === 'day') {
    return {
      label: formatter(tz, { day: 'numeric', month: 'short' }).format(date),
      fullLabel: formatter(tz, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(date),
    };
  }
  return {
    label: formatter(tz, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date),
    fullLabel: formatter(tz, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).format(date),
  };
}

function bucketRow(point: TimeseriesPoint, interval: Interval, tz: string): ChartRow {
  return { id: point.start, ...bucketLabels(point.start, interval, tz) };
}

/**
 * A bucket's cost as a number for drawing: zero calls cost nothing, but calls with no price are
 * null (unknown), never zero.
 */
export function bucketCost(point: Measures): number | null {
  if (point.calls === 0) return 0;
  return point.costUsd === null ? null : Number(point.costUsd);
}

export type CostChart = {
  mode: 'cost' | 'tokens';
  title: string;
  /** Why the chart is what it is, or what it leaves out; null when there is nothing to say. */
  note: string | null;
  series: SeriesSpec[];
  rows: ChartRow[];
};

/** Cost per bucket, or token usage when nothing in the window has a price (a $0 line would be a lie). */
export function prepareCostChart(timeseries: Timeseries, interval: Interval, tz: string): CostChart {
  const points = timeseries.points;
  const calls = points.reduce((sum, point) => sum + point.calls, 0);
  const unpriced = points.reduce((sum, point) => sum + point.unpricedCalls, 0);
  const anyPriced = points.some((point) => point.calls > 0 && point.costUsd !== null);
  if (!anyPriced) {
    return {
      mode: 'tokens',
      title: 'Token usage over time',
      note:
        calls === 0
          ? null
          : `No call in this window has a known price (${formatCount(unpriced)} unpriced), so this shows tokens instead of cost.`,
      series: [
        { key: 'inputTokens', label: 'Input tokens' },
        { key: 'outputTokens', label: 'Output tokens' },
      ],
      rows: points.map((point) => ({
        ...bucketRow(point, interval, tz),
        inputTokens: point.inputTokens,
        outputTokens: point.outputTokens,
      })),
    };
  }
  const unknownBuckets = points.filter((point) => bucketCost(point) === null).length;
  const notes: string[] = [];
  if (unpriced > 0)
    notes.push(`${formatCount(unpriced)} of ${formatCount(calls)} calls have no known price and are not counted.`);
  if (unknownBuckets > 0)
    notes.push(
      `${unknownBuckets === 1 ? '1 bucket has' : `${unknownBuckets} buckets have`} no priced call: no bar, not $0.`,
    );
  return {
    mode: 'cost',
    title: 'Cost over time',
    note: notes.length > 0 ? notes.join(' ') : null,
    series: [{ key: 'cost', label: 'Cost (USD)' }],
    rows: points.map((point) => ({ ...bucketRow(point, interval, tz), cost: bucketCost(point) })),
  };
}

/** Error calls of a point: the API gives calls and an error rate. */
export function errorCalls(point: Measures): number {
  return point.errorRate === null ? 0 : Math.round(point.calls * point.errorRate);
}

export const NO_ERROR_TYPE = 'no type recorded';

/** Errors per bucket stacked by error type; a type missing from a bucket counts zero there. */
export function prepareErrorStack(
  timeseries: Timeseries,
  interval: Interval,
  tz: string,
): { series: SeriesSpec[]; rows: ChartRow[]; total: number } {
  const withErrors = (timeseries.series ?? [])
    .map((entry, index) => ({
      spec: { key: `e${index}`, label: entry.key ?? NO_ERROR_TYPE },
      byStart: new Map(entry.points.map((point) => [point.start, errorCalls(point)])),
    }))
    .filter(({ byStart }) => [...byStart.values()].some((count) => count > 0));
  let total = 0;
  const rows = timeseries.points.map((point) => {
    const row = bucketRow(point, interval, tz);
    for (const { spec, byStart } of withErrors) {
      const count = byStart.get(point.start) ?? 0;
      row[spec.key] = count;
      total += count;
    }
    return row;
  });
  return { series: withErrors.map(({ spec }) => spec), rows, total };
}

/** p50 and p95 per bucket; a bucket without calls has no latency (a gap, not 0 ms). */
export function prepareLatency(timeseries: Timeseries, interval: Interval, tz: string): ChartRow[] {
  return timeseries.points.map((point) => ({
    ...bucketRow(point, interval, tz),
    p50: point.p50LatencyMs,
    p95: point.p95LatencyMs,
  }));
}

/** Calls per bucket, for activity charts. */
export function prepareCalls(timeseries: Timeseries, interval: Interval, tz: string): ChartRow[] {
  return timeseries.points.map((point) => ({ ...bucketRow(point, interval, tz), calls: point.calls }));
}

/**
 * Output-signal rates per bucket (docs/signals.md): refusals and truncations of all calls, JSON-invalid of the calls
 * whose JSON was checked. A bucket without calls, or without a JSON check, is a gap, not 0%.
 */
export function prepareSignalRates(timeseries: Timeseries, interval: Interval, tz: string): ChartRow[] {
  return timeseries.points.map((point) => ({
    ...bucketRow(point, interval, tz),
    refusal: point.refusalRate,
    truncation: point.truncationRate,
    jsonInvalid: point.jsonInvalidRate,
  }));
}

/** Average and p95 answer length per bucket, in characters; a bucket without an answer is a gap. */
export function prepareOutputLength(timeseries: Timeseries, interval: Interval, tz: string): ChartRow[] {
  return timeseries.points.map((point) => ({
    ...bucketRow(point, interval, tz),
    chars: point.avgOutputChars,
    p95: point.p95OutputChars,
  }));
}

/** Whether any bucket has a value in `key`: a chart of nothing but gaps says so instead. */
export function anyValue(rows: readonly ChartRow[], key: string): boolean {
  return rows.some((row) => typeof row[key] === 'number');
}

// Series of the charts, as constants so the drawing components see the same props between renders.
export const SIGNAL_SERIES: SeriesSpec[] = [
  { key: 'refusal', label: 'Refusal rate' },
  { key: 'truncation', label: 'Truncation rate' },
  { key: 'jsonInvalid', label: 'JSON-invalid rate' },
];
export const OUTPUT_LENGTH_SERIES: SeriesSpec[] = [
  { key: 'chars', label: 'Avg output (chars)' },
  { key: 'p95', label: 'p95 output (chars)' },
];
export const CALLS_VALUE: SeriesSpec[] = [{ key: 'value', label: 'Calls' }];
export const COST_VALUE: SeriesSpec[] = [{ key: 'value', label: 'Cost (USD)' }];
export const CALLS_SERIES: SeriesSpec[] = [{ key: 'calls', label: 'Calls' }];

export const OTHER_ID = '\u0000other';

/**
 * The first `limit` items by a measure as bars, the rest summed into one "Other (n)" bar so the total
 * stays true. `value` returns null for unknown (an unpriced cost), which is not summed as zero.
 */
export function topN(
  items: readonly BreakdownItem[],
  limit: number,
  value: (item: BreakdownItem) => number | null,
  nullKeyLabel: string,
): ChartRow[] {
  const sorted = [...items].sort((a, b) => (value(b) ?? -1) - (value(a) ?? -1));
  const head = sorted.slice(0, limit).map((item) => {
    const label = item.key ?? nullKeyLabel;
    return { id: item.key ?? '', label, fullLabel: label, value: value(item) };
  });
  const rest = sorted.slice(limit);
  if (rest.length === 0) return head;
  const known = rest.map(value).filter((v): v is number => v !== null);
  const label = `Other (${rest.length})`;
  return [
    ...head,
    { id: OTHER_ID, label, fullLabel: label, value: known.length ? known.reduce((a, b) => a + b, 0) : null },
  ];
}

export const itemCalls = (item: BreakdownItem): number => item.calls;
export const itemCost = (item: BreakdownItem): number | null => (item.costUsd === null ? null : Number(item.costUsd));

export type CostText = { value: string; detail: string | null };

/** The cost of a slice in words: "unpriced" when nothing is priced, and how many calls are left out. */
export function costText(measures: Measures): CostText {
  if (measures.calls === 0) return { value: '—', detail: 'No calls' };
  if (measures.costUsd === null) {
    return {
      value: 'unpriced',
      detail:
        measures.calls === 1
          ? 'The call has no known price'
          : `None of ${formatCount(measures.calls)} calls has a known price`,
    };
  }
  const value = formatCost(measures.costUsd, 'catalog');
  if (measures.unpricedCalls === 0) return { value, detail: null };
  return {
    value,
    detail: `${formatCount(measures.unpricedCalls)} of ${formatCount(measures.calls)} calls unpriced`,
  };
}

export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : `${noun}s`}`;
}

/** Marks bars whose value is unknown (an unpriced cost), which draw as nothing, in their label. */
export function labelUnknown(rows: ChartRow[], word: string): ChartRow[] {
  return rows.map((row) =>
    row.value === null ? { ...row, label: `${row.label} (${word})`, fullLabel: `${row.fullLabel} (${word})` } : row,
  );
}

export type Tile = { label: string; value: string; detail: string | null };

export function summaryTiles(measures: Measures): Tile[] {
  const cost = costText(measures);
  return [
    { label: 'Total calls', value: formatCount(measures.calls), detail: null },
    {
      label: 'Success rate',
      value: formatPercent(measures.successRate),
      detail: measures.calls === 0 ? 'No calls' : plural(errorCalls(measures), 'error'),
    },
    {
      label: 'Total tokens',
      value: formatCount(measures.totalTokens),
      detail:
        measures.calls === 0
          ? null
          : `${formatCount(measures.inputTokens)} in · ${formatCount(measures.outputTokens)} out`,
    },
    { label: 'Total cost', value: cost.value, detail: cost.detail },
    { label: 'Avg latency', value: formatLatency(measures.avgLatencyMs), detail: null },
    {
      label: 'p95 latency',
      value: formatLatency(measures.p95LatencyMs),
      detail: measures.p95LatencyMs === null ? null : 'within about 5%',
    },
  ];
}

/** Calls counted by a rate over all calls (refusals, truncations): the API gives calls and the rate. */
export function rateCalls(calls: number, rate: number | null): number {
  return rate === null ? 0 : Math.round(calls * rate);
}

/** An answer length (average or percentile) as text: "—" without an answer. */
export function formatChars(chars: number | null): string {
  return chars === null ? '—' : `${formatCount(Math.round(chars))} chars`;
}

/** The output signals of a slice (docs/signals.md), each "—" with the reason when there is nothing to measure. */
export function signalTiles(measures: Measures): Tile[] {
  const noCalls = measures.calls === 0 ? 'No calls' : null;
  return [
    {
      label: 'Refusal rate',
      value: formatPercent(measures.refusalRate),
      detail: noCalls ?? plural(rateCalls(measures.calls, measures.refusalRate), 'refusal'),
    },
    {
      label: 'Truncation rate',
      value: formatPercent(measures.truncationRate),
      detail: noCalls ?? `${plural(rateCalls(measures.calls, measures.truncationRate), 'call')} cut off`,
    },
    {
      label: 'JSON-invalid rate',
      value: formatPercent(measures.jsonInvalidRate),
      detail:
        noCalls ??
        (measures.jsonCheckedCalls === 0
          ? 'No answer was checked as JSON'
          : `of ${plural(measures.jsonCheckedCalls, 'JSON answer')} checked`),
    },
    {
      label: 'Avg output',
      value: formatChars(measures.avgOutputChars),
      detail: noCalls ?? (measures.avgOutputChars === null ? 'No answer logged yet' : null),
    },
    {
      label: 'p95 output',
      value: formatChars(measures.p95OutputChars),
      detail: noCalls ?? (measures.p95OutputChars === null ? 'No answer logged yet' : 'within about 5%'),
    },
  ];
}

export type SignalRow = {
  key: string;
  label: string;
  calls: string;
  refusal: string;
  truncation: string;
  jsonInvalid: string;
  avgOutput: string;
  p95Output: string;
};

/** Output signals per group of a breakdown (by model, by version…), busiest first, as the table shows them. */
export function signalRows(items: readonly BreakdownItem[], nullKeyLabel: string): SignalRow[] {
  return [...items]
    .sort((a, b) => b.calls - a.calls || String(a.key).localeCompare(String(b.key)))
    .map((item) => ({
      key: item.key ?? '',
      label: item.key ?? nullKeyLabel,
      calls: formatCount(item.calls),
      refusal: formatPercent(item.refusalRate),
      truncation: formatPercent(item.truncationRate),
      jsonInvalid: item.jsonCheckedCalls === 0 ? '— (none checked)' : formatPercent(item.jsonInvalidRate),
      avgOutput: formatChars(item.avgOutputChars),
      p95Output: formatChars(item.p95OutputChars),
    }));
}

export const FIELD_SORTS = ['field', 'calls', 'totalTokens', 'costUsd', 'successRate', 'avgLatencyMs'] as const;
export type FieldSort = (typeof FIELD_SORTS)[number];
export const NO_FIELD = '(no field)';

/** Field rows sorted by a column; unknown values (null) always go last, whatever the order. */
export function sortFieldRows(
  items: readonly BreakdownItem[],
  sort: FieldSort,
  order: 'asc' | 'desc',
): BreakdownItem[] {
  const direction = order === 'asc' ? 1 : -1;
  const sortKey = (item: BreakdownItem): number | string | null => {
    if (sort === 'field') return item.key ?? NO_FIELD;
    if (sort === 'costUsd') return item.costUsd === null ? null : Number(item.costUsd);
    return item[sort];
  };
  return [...items].sort((a, b) => {
    const [x, y] = [sortKey(a), sortKey(b)];
    if (x === y) return String(a.key).localeCompare(String(b.key));
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'string' || typeof y === 'string') return String(x).localeCompare(String(y)) * direction;
    return (x - y) * direction;
  });
}

export type PromptRank = { key: string; projectId: string | undefined; value: number; detail: string };

/** The prompts with the most calls or the most errors; prompts with no errors are not "most errors". */
export function rankPrompts(items: readonly BreakdownItem[], by: 'calls' | 'errors', limit: number): PromptRank[] {
  return items
    .filter((item) => item.key !== null)
    .map((item) => {
      const errors = errorCalls(item);
      return {
        key: item.key ?? '',
        projectId: item.projectId,
        value: by === 'calls' ? item.calls : errors,
        detail:
          by === 'calls'
            ? `${formatPercent(item.successRate)} success`
            : `${formatPercent(item.errorRate)} of ${formatCount(item.calls)} calls`,
      };
    })
    .filter((rank) => rank.value > 0)
    .sort((x, y) => y.value - x.value || x.key.localeCompare(y.key))
    .slice(0, limit);
}
