import type { AlertMeasure } from '@promptlog/contracts';
import { type SQL, sql } from 'drizzle-orm';
import {
  type Comparison,
  quantileShiftTest,
  type RatioSums,
  ratioComparisonTest,
  twoProportionTest,
} from '../../lib/statistics';
import { decodeHistogram, percentile } from '../analytics/measures';

/** Aggregates of one slice of execution_rollups_hourly, by the names the measures gave them; always `calls`. */
export type Sums = Record<string, number | string | null> & { calls: number };

/**
 * How a measure is read from the rollups: the aggregates it needs over rollup rows (SQL over the columns of
 * execution_rollups_hourly), its value for a slice, and, when it can be, the test that says a slice is significantly
 * worse than a baseline (null: too little data to say). A new rollup count is one entry: `rate('refusal_calls')`.
 */
export interface MeasureDefinition {
  aggregates: Record<string, SQL>;
  value(sums: Sums): number | null;
  worse?(current: Sums, baseline: Sums): Comparison | null;
}

const num = (value: number | string | null | undefined) => Number(value ?? 0);

/**
 * The share of calls counted in `column` (a rollup count such as error_calls) among those counted in `of` (all calls
 * unless said otherwise, e.g. json_checked_calls), compared by a two-proportion test.
 */
function rate(column: string, of?: string): MeasureDefinition {
  const events = `${column}_sum`;
  const trials = of === undefined ? 'calls' : `${of}_sum`;
  const aggregates: Record<string, SQL> = { [events]: sql.raw(`sum(${column})::float8`) };
  if (of !== undefined) aggregates[trials] = sql.raw(`sum(${of})::float8`);
  return {
    aggregates,
    value: (s) => (num(s[trials]) > 0 ? num(s[events]) / num(s[trials]) : null),
    worse: (current, baseline) =>
      twoProportionTest(num(current[events]), num(current[trials]), num(baseline[events]), num(baseline[trials])),
  };
}

const histogramOf = (s: Sums) => decodeHistogram(s.latency_histogram === null ? null : String(s.latency_histogram));

/** The cost sums over rollup rows as clusters (see ratioComparisonTest); rows without a priced call carry none. */
function costSums(s: Sums): RatioSums {
  return {
    clusters: num(s.cost_clusters),
    y: num(s.cost_y),
    n: num(s.cost_n),
    yy: num(s.cost_yy),
    yn: num(s.cost_yn),
    nn: num(s.cost_nn),
  };
}

export const MEASURES: Record<AlertMeasure, MeasureDefinition> = {
  calls: { aggregates: {}, value: (s) => s.calls },
  error_rate: rate('error_calls'),
  refusal_rate: rate('refusal_calls'),
  truncation_rate: rate('truncated_calls'),
  json_invalid_rate: rate('json_invalid_calls', 'json_checked_calls'),
  p95_latency: {
    aggregates: { latency_histogram: sql.raw('sum(latency_histogram)::text') },
    value: (s) => percentile(histogramOf(s), 0.95),
    worse: (current, baseline) => quantileShiftTest(histogramOf(current), histogramOf(baseline), 0.95),
  },
  cost_per_call: {
    aggregates: {
      cost_clusters: sql.raw('(count(*) filter (where priced_calls > 0))::float8'),
      cost_y: sql.raw('sum(cost_usd)::float8'),
      cost_n: sql.raw('sum(priced_calls)::float8'),
      cost_yy: sql.raw('sum(cost_usd * cost_usd)::float8'),
      cost_yn: sql.raw('sum(cost_usd * priced_calls)::float8'),
      cost_nn: sql.raw('sum(priced_calls::numeric * priced_calls)::float8'),
    },
    value: (s) => (num(s.cost_n) > 0 ? num(s.cost_y) / num(s.cost_n) : null),
    worse: (current, baseline) => ratioComparisonTest(costSums(current), costSums(baseline)),
  },
};

/** The select list of a measure's aggregates, `calls` first. */
export function aggregatesOf(measure: AlertMeasure): SQL {
  const entries = Object.entries(MEASURES[measure].aggregates).map(
    ([name, expression]) => sql`${expression} as ${sql.identifier(name)}`,
  );
  return sql.join([sql`coalesce(sum(calls), 0)::float8 as calls`, ...entries], sql`, `);
}
