// Significance tests for alerts and comparisons, pure and dependency-free. Every test here asks one question:
// is the current side significantly WORSE (greater) than the baseline? Alerts evaluate many rules every minute, so
// they use a one-sided test at a strict level (ALERT_ALPHA) to keep false alarms rare.

/** One-sided significance level alerts use: a worse-looking difference this likely by chance alone is not reported. */
export const ALERT_ALPHA = 0.01;

/** The standard normal cumulative distribution, Φ(x), accurate to about 1e-7 (Abramowitz & Stegun 26.2.17). */
export function normalCdf(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp((-x * x) / 2) * 0.3989422804014327 * poly;
  return x >= 0 ? 1 - tail : tail;
}

/** The standard normal quantile, Φ⁻¹(p), by Acklam's rational approximation (relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ] as const;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** The outcome of comparing a current side with a baseline; `difference` is current minus baseline. */
export interface Comparison {
  current: number;
  baseline: number;
  difference: number;
  /** Two-sided confidence interval of the difference, at `confidence`. */
  ci: [number, number];
  confidence: number;
  z: number;
  /** One-sided p-value of "current is greater than baseline". */
  pValue: number;
  /** Whether current is significantly greater (worse) at the level asked for. */
  worse: boolean;
}

interface TestOptions {
  /** One-sided level of the "worse" decision. */
  alpha?: number;
  /** Level of the confidence interval (two-sided). */
  confidence?: number;
}

/**
 * The two-proportion z-test of `x1` successes in `n1` trials (current) against `x2` in `n2` (baseline): the z statistic
 * uses the pooled proportion (the usual test, equal to a chi-squared test without continuity correction); the interval
 * is the unpooled Wald interval of p1 − p2. Null when either side has no trials.
 */
export function twoProportionTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  { alpha = ALERT_ALPHA, confidence = 0.95 }: TestOptions = {},
): Comparison | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const difference = p1 - p2;
  const z = se === 0 ? 0 : difference / se;
  const half = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const pValue = 1 - normalCdf(z);
  return {
    current: p1,
    baseline: p2,
    difference,
    ci: [difference - half, difference + half],
    confidence,
    z,
    pValue,
    worse: pValue < alpha,
  };
}

/** The Wilson score interval of `x` successes in `n` trials at `confidence` (two-sided); [0, 1] without trials. */
export function wilsonInterval(x: number, n: number, confidence = 0.95): [number, number] {
  if (n <= 0) return [0, 1];
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = x / n;
  const room = 1 + (z * z) / n;
  const center = (p + (z * z) / (2 * n)) / room;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / room;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/**
 * Newcombe's hybrid score interval of p1 − p2 (his method 10), built from each side's Wilson interval. Unlike the Wald
 * interval it keeps its level with few trials or rates near 0 or 1, as refusal and error rates often are. Null when
 * either side has no trials.
 */
export function proportionDifferenceInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  confidence = 0.95,
): [number, number] | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const [p1, p2] = [x1 / n1, x2 / n2];
  const [l1, u1] = wilsonInterval(x1, n1, confidence);
  const [l2, u2] = wilsonInterval(x2, n2, confidence);
  const difference = p1 - p2;
  return [difference - Math.hypot(p1 - l1, u2 - p2), difference + Math.hypot(u1 - p1, p2 - l2)];
}

/** A latency histogram: bucket index → count, buckets ordered by latency (see analytics/measures.ts). */
export type BucketCounts = ReadonlyMap<number, number>;

/** The bucket holding the `fraction` quantile: the first whose cumulative count reaches fraction × total. */
export function quantileBucket(histogram: BucketCounts, fraction: number): number | null {
  const buckets = [...histogram].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= fraction * total) return bucket;
  }
  return buckets.at(-1)?.[0] ?? null;
}

/** How many of a histogram's calls lie above `bucket`, of how many. */
export function countAbove(histogram: BucketCounts, bucket: number): { above: number; total: number } {
  let above = 0;
  let total = 0;
  for (const [b, count] of histogram) {
    if (count <= 0) continue;
    total += count;
    if (b > bucket) above += count;
  }
  return { above, total };
}

export interface QuantileShiftComparison extends Comparison {
  /** The baseline's bucket of the quantile: calls above it are "slower than the baseline's quantile". */
  baselineBucket: number;
}

/**
 * Whether the current side's `fraction` quantile (p95) is significantly worse than the baseline's, from histograms
 * alone. Rollups keep latency as counts per log-scale bucket, not individual values, so the test compares shares: in
 * the baseline at most 1 − fraction of the calls lie above the bucket holding its quantile; if the current side's
 * quantile is no worse, its share above that bucket is no larger. A two-proportion test on "above the baseline's
 * quantile bucket" (current vs baseline) then decides, and its interval bounds the difference of those shares.
 */
export function quantileShiftTest(
  current: BucketCounts,
  baseline: BucketCounts,
  fraction = 0.95,
  options: TestOptions = {},
): QuantileShiftComparison | null {
  const baselineBucket = quantileBucket(baseline, fraction);
  if (baselineBucket === null) return null;
  const now = countAbove(current, baselineBucket);
  const before = countAbove(baseline, baselineBucket);
  const test = twoProportionTest(now.above, now.total, before.above, before.total, options);
  return test && { ...test, baselineBucket };
}

/**
 * Sums over the clusters (rollup rows) of a ratio y/n such as cost per call: each cluster i contributes its total
 * y_i over n_i calls. The squares and cross products let the ratio's variance be estimated without the rows.
 */
export interface RatioSums {
  clusters: number;
  y: number;
  n: number;
  yy: number;
  yn: number;
  nn: number;
}

/** The ratio estimate Σy/Σn and its variance by linearization over clusters, as survey sampling does; null if unknown. */
export function ratioEstimate(s: RatioSums): { ratio: number; variance: number } | null {
  if (s.n <= 0 || s.clusters < 2) return null;
  const ratio = s.y / s.n;
  const residuals = Math.max(0, s.yy - 2 * ratio * s.yn + ratio * ratio * s.nn);
  const variance = (s.clusters / (s.clusters - 1)) * (residuals / (s.n * s.n));
  return { ratio, variance };
}

/**
 * Whether a mean per call (current) is significantly greater than the baseline's when only sums are stored. Rollups
 * keep, per hour and dimension cell, the total and the count but not the calls' spread, so the rows are treated as
 * clusters: each side's mean is a ratio estimator whose variance comes from how the clusters' totals vary around it
 * (Σ(y_i − R·n_i)², which takes in the spread within clusters too), and a Welch-style z-test compares the two. With
 * fewer than two clusters a side's variance is unknown, and the answer is null: no claim either way.
 */
export function ratioComparisonTest(
  current: RatioSums,
  baseline: RatioSums,
  { alpha = ALERT_ALPHA, confidence = 0.95 }: TestOptions = {},
): Comparison | null {
  const a = ratioEstimate(current);
  const b = ratioEstimate(baseline);
  if (!a || !b) return null;
  const difference = a.ratio - b.ratio;
  const se = Math.sqrt(a.variance + b.variance);
  const z =
    se === 0
      ? difference > 0
        ? Number.POSITIVE_INFINITY
        : difference < 0
          ? Number.NEGATIVE_INFINITY
          : 0
      : difference / se;
  const half = normalQuantile(1 - (1 - confidence) / 2) * se;
  const pValue = 1 - normalCdf(z);
  return {
    current: a.ratio,
    baseline: b.ratio,
    difference,
    ci: [difference - half, difference + half],
    confidence,
    z,
    pValue,
    worse: pValue < alpha,
  };
}
