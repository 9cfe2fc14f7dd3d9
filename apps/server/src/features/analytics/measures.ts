import type { Measures } from '@promptlog/contracts';
import { z } from 'zod';

/**
 * Every measure a rollup row sums, in the order rollup tables and deltas hold them: its column and how a delta computes
 * it from executions-shaped rows `r`. Adding a measure is one entry here (and its column in the schema).
 */
export const ROLLUP_MEASURES = [
  { column: 'calls', of: () => 'count(*)' },
  { column: 'success_calls', of: (r: string) => `count(*) filter (where ${r}.status = 'success')` },
  { column: 'error_calls', of: (r: string) => `count(*) filter (where ${r}.status = 'error')` },
  { column: 'input_tokens', of: (r: string) => `coalesce(sum(${r}.input_tokens), 0)` },
  { column: 'output_tokens', of: (r: string) => `coalesce(sum(${r}.output_tokens), 0)` },
  { column: 'cache_read_tokens', of: (r: string) => `coalesce(sum(${r}.cache_read_tokens), 0)` },
  { column: 'cache_write_tokens', of: (r: string) => `coalesce(sum(${r}.cache_write_tokens), 0)` },
  { column: 'reasoning_tokens', of: (r: string) => `coalesce(sum(${r}.reasoning_tokens), 0)` },
  { column: 'cost_usd', of: (r: string) => `coalesce(sum(${r}.cost_usd), 0)`, exact: true },
  { column: 'priced_calls', of: (r: string) => `count(${r}.cost_usd)` },
  { column: 'thinking_calls', of: (r: string) => `count(*) filter (where ${r}.has_thinking)` },
  { column: 'latency_count', of: (r: string) => `count(${r}.latency_ms)` },
  { column: 'latency_sum_ms', of: (r: string) => `coalesce(sum(${r}.latency_ms), 0)` },
  // Output signals (docs/signals.md): the bits of `signals`, JSON checks and answer lengths.
  { column: 'refusal_calls', of: (r: string) => `count(*) filter (where ${r}.signals & 4 <> 0)` },
  { column: 'truncated_calls', of: (r: string) => `count(*) filter (where ${r}.signals & 1 <> 0)` },
  { column: 'json_checked_calls', of: (r: string) => `count(${r}.json_valid)` },
  { column: 'json_invalid_calls', of: (r: string) => `count(*) filter (where not ${r}.json_valid)` },
  { column: 'output_calls', of: (r: string) => `count(${r}.output_chars)` },
  { column: 'output_chars_sum', of: (r: string) => `coalesce(sum(${r}.output_chars), 0)` },
] as const;

type MeasureColumn = (typeof ROLLUP_MEASURES)[number]['column'];
export const MEASURE_COLUMNS: MeasureColumn[] = ROLLUP_MEASURES.map((m) => m.column);

/** The sum of a bigint column is a numeric, which both drivers return as text; null when the slice has no rows. */
const summedCount = z
  .string()
  .nullable()
  .transform((sum) => Number(sum ?? 0));
const exactSum = z.string().nullable();
type MeasureSchemas = {
  [M in (typeof ROLLUP_MEASURES)[number] as M['column']]: M extends { exact: true }
    ? typeof exactSum
    : typeof summedCount;
};

/** Object.fromEntries cannot say which column gets which schema; the mapped type above does. */
function measureSchemas(): MeasureSchemas {
  return Object.fromEntries(
    ROLLUP_MEASURES.map((measure) => [measure.column, 'exact' in measure ? exactSum : summedCount]),
  ) as MeasureSchemas;
}

/**
 * Sums read from rollup rows for one slice (one bucket, one group, or the whole window), as SUMS_SQL names them:
 * counts as numbers, the exact cost as decimal text (null when nothing was priced), the packed latency histogram as
 * text (see decodeHistogram).
 */
export const RollupSums = z.object({ ...measureSchemas(), latency_histogram: z.string().nullable() });
export type RollupSums = z.infer<typeof RollupSums>;

export const EMPTY_SUMS: RollupSums = {
  ...(Object.fromEntries(MEASURE_COLUMNS.map((column) => [column, 0])) as Record<MeasureColumn, number>),
  cost_usd: null,
  latency_histogram: '0',
};

/** The SQL reading a slice's sums from rollup rows, named as RollupSums. */
export const SUMS_SQL = [
  ...ROLLUP_MEASURES.map(({ column, ...m }) =>
    'exact' in m ? `trim_scale(sum(${column}))::text as ${column}` : `sum(${column}) as ${column}`,
  ),
  'sum(latency_histogram)::text as latency_histogram',
].join(', ');

/** A latency histogram: log-scale bucket → count (see promptlog_latency_bucket). */
export type Histogram = Map<number, number>;

/**
 * Rollups store a histogram as one integer, bucket b's count in the decimal digits from 10^(HISTOGRAM_DIGITS·b),
 * so histograms add up with PostgreSQL's own `+` and `sum(numeric)`: no expansion into rows, exact, and the same
 * on every backend. A count is read as balanced (above half the room it is negative and borrows from the next
 * bucket), so a fold that has taken a change's negative delta but not yet its positive one still reads right.
 */
export const HISTOGRAM_DIGITS = 12;
const ROOM = 10 ** HISTOGRAM_DIGITS;

/** The histogram of a packed integer as PostgreSQL prints it (a numeric of scale 0). */
export function decodeHistogram(packed: string | null): Histogram {
  const histogram: Histogram = new Map();
  if (!packed) return histogram;
  const sign = packed.startsWith('-') ? -1 : 1;
  const digits = packed.replace(/^-/, '').replace(/\..*$/, '');
  let carry = 0;
  for (let end = digits.length, bucket = 0; end > 0 || carry !== 0; end -= HISTOGRAM_DIGITS, bucket++) {
    let count = (end > 0 ? Number(digits.slice(Math.max(0, end - HISTOGRAM_DIGITS), end)) : 0) + carry;
    carry = count > ROOM / 2 ? 1 : 0;
    count -= carry * ROOM;
    if (count !== 0) histogram.set(bucket, sign * count);
  }
  return histogram;
}

const GROWTH = 1.1;

/** The latency at which `fraction` of the calls were faster, read at the bucket's geometric middle. */
export function percentile(histogram: Histogram, fraction: number): number | null {
  const buckets = [...histogram].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = fraction * total;
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return bucket === 0 ? 0.5 : Math.round(GROWTH ** (bucket - 0.5) * 10) / 10;
  }
  return null;
}

export function toMeasures(sums: RollupSums): Measures {
  const histogram = decodeHistogram(sums.latency_histogram);
  const calls = Number(sums.calls);
  const latencyCount = Number(sums.latency_count);
  const jsonChecked = Number(sums.json_checked_calls);
  const outputCalls = Number(sums.output_calls);
  const tokens = (value: number) => Number(value);
  return {
    calls,
    successRate: calls > 0 ? Number(sums.success_calls) / calls : null,
    errorRate: calls > 0 ? Number(sums.error_calls) / calls : null,
    inputTokens: tokens(sums.input_tokens),
    outputTokens: tokens(sums.output_tokens),
    cacheReadTokens: tokens(sums.cache_read_tokens),
    cacheWriteTokens: tokens(sums.cache_write_tokens),
    reasoningTokens: tokens(sums.reasoning_tokens),
    totalTokens: tokens(sums.input_tokens) + tokens(sums.output_tokens),
    costUsd: Number(sums.priced_calls) > 0 ? sums.cost_usd : null,
    unpricedCalls: calls - Number(sums.priced_calls),
    thinkingCalls: Number(sums.thinking_calls),
    avgLatencyMs: latencyCount > 0 ? Math.round((Number(sums.latency_sum_ms) / latencyCount) * 10) / 10 : null,
    p50LatencyMs: percentile(histogram, 0.5),
    p95LatencyMs: percentile(histogram, 0.95),
    refusalRate: calls > 0 ? Number(sums.refusal_calls) / calls : null,
    truncationRate: calls > 0 ? Number(sums.truncated_calls) / calls : null,
    jsonCheckedCalls: jsonChecked,
    jsonInvalidRate: jsonChecked > 0 ? Number(sums.json_invalid_calls) / jsonChecked : null,
    avgOutputChars: outputCalls > 0 ? Math.round((Number(sums.output_chars_sum) / outputCalls) * 10) / 10 : null,
  };
}
