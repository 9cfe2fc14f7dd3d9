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

/**
 * Every histogram a rollup row holds, packed (see HISTOGRAM_DIGITS): its column, the bucket a delta is grouped by and
 * how it is computed from executions-shaped rows `r` (a SQL function of the migrations), and the measure counting the
 * calls it holds. A delta row's calls of that measure all lie in its bucket.
 */
export const ROLLUP_HISTOGRAMS = [
  {
    column: 'latency_histogram',
    bucket: 'latency_bucket',
    bucketOf: (r: string) => `promptlog_latency_bucket(${r}.latency_ms)`,
    count: 'latency_count',
  },
  {
    column: 'output_chars_histogram',
    bucket: 'output_chars_bucket',
    bucketOf: (r: string) => `promptlog_output_chars_bucket(${r}.output_chars)`,
    count: 'output_calls',
  },
] as const satisfies readonly {
  column: string;
  bucket: string;
  bucketOf: (r: string) => string;
  count: MeasureColumn;
}[];

type HistogramColumn = (typeof ROLLUP_HISTOGRAMS)[number]['column'];
export const HISTOGRAM_COLUMNS: HistogramColumn[] = ROLLUP_HISTOGRAMS.map((h) => h.column);
/** The columns a delta row is grouped by beyond the rollup dimensions: one bucket per histogram. */
export const BUCKET_COLUMNS: string[] = ROLLUP_HISTOGRAMS.map((h) => h.bucket);
/** Every column a rollup row sums: the measures, then the histograms. */
export const SUMMED_COLUMNS: string[] = [...MEASURE_COLUMNS, ...HISTOGRAM_COLUMNS];

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

/** Object.fromEntries cannot say that every histogram column gets the same schema; the record type does. */
function histogramSchemas(): Record<HistogramColumn, z.ZodNullable<z.ZodString>> {
  return Object.fromEntries(HISTOGRAM_COLUMNS.map((column) => [column, z.string().nullable()])) as Record<
    HistogramColumn,
    z.ZodNullable<z.ZodString>
  >;
}

/**
 * Sums read from rollup rows for one slice (one bucket, one group, or the whole window), as SUMS_SQL names them:
 * counts as numbers, the exact cost as decimal text (null when nothing was priced), the packed histograms as text
 * (see decodeHistogram).
 */
export const RollupSums = z.object({ ...measureSchemas(), ...histogramSchemas() });
export type RollupSums = z.infer<typeof RollupSums>;

export const EMPTY_SUMS: RollupSums = {
  ...(Object.fromEntries(MEASURE_COLUMNS.map((column) => [column, 0])) as Record<MeasureColumn, number>),
  ...(Object.fromEntries(HISTOGRAM_COLUMNS.map((column) => [column, '0'])) as Record<HistogramColumn, string>),
  cost_usd: null,
};

/** The SQL reading a slice's sums from rollup rows, named as RollupSums. */
export const SUMS_SQL = [
  ...ROLLUP_MEASURES.map(({ column, ...m }) =>
    'exact' in m ? `trim_scale(sum(${column}))::text as ${column}` : `sum(${column}) as ${column}`,
  ),
  ...HISTOGRAM_COLUMNS.map((column) => `sum(${column})::text as ${column}`),
].join(', ');

/** A histogram: log-scale bucket → count (see promptlog_latency_bucket, promptlog_output_chars_bucket). */
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

/** A latency bucket read back in milliseconds: its geometric middle to 0.1 ms; bucket 0 is below 1 ms. */
const latencyOf = (bucket: number) => (bucket === 0 ? 0.5 : Math.round(GROWTH ** (bucket - 0.5) * 10) / 10);

/**
 * An answer-length bucket read back in characters, as latency: its geometric middle to 0.1, within 4.9% of every length
 * the bucket holds (a whole character would be up to 8% off around 13); bucket 0 is the empty answer.
 */
export const outputCharsOf = (bucket: number) => (bucket === 0 ? 0 : latencyOf(bucket));

/**
 * The value at or below which `fraction` of the calls lie, read at the bucket's geometric middle (`readBucket`; latency
 * by default).
 */
export function percentile(histogram: Histogram, fraction: number, readBucket = latencyOf): number | null {
  const buckets = [...histogram].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = fraction * total;
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return readBucket(bucket);
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
    p95OutputChars: percentile(decodeHistogram(sums.output_chars_histogram), 0.95, outputCharsOf),
  };
}
