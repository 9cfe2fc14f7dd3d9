import type { Measures } from '@promptlog/contracts';

/** Sums read from rollup rows for one slice (one bucket, one group, or the whole window). */
export interface RollupSums {
  calls: number;
  success_calls: number;
  error_calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: string | null;
  priced_calls: number;
  thinking_calls: number;
  latency_count: number;
  latency_sum_ms: number;
  /** The packed latency histogram, as text (see decodeHistogram). */
  latency_histogram: string | null;
}

export const EMPTY_SUMS: RollupSums = {
  calls: 0,
  success_calls: 0,
  error_calls: 0,
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: null,
  priced_calls: 0,
  thinking_calls: 0,
  latency_count: 0,
  latency_sum_ms: 0,
  latency_histogram: '0',
};

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
  };
}
