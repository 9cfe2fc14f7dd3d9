import type { ComparedMeasure, ComparedMeasureKey, ComparisonTest, ComparisonVerdict } from '@promptlog/contracts';
import {
  ALERT_ALPHA,
  type Comparison,
  countAbove,
  proportionDifferenceInterval,
  quantileShiftTest,
  type RatioSums,
  ratioComparisonTest,
  twoProportionTest,
} from '../../lib/statistics';
import { decodeHistogram, type Histogram, outputCharsOf, percentile, type RollupSums } from './measures';
import type { PerCallMean } from './queries';

/**
 * A difference is called only when the one-sided test in its direction passes the level alerts use, so the card and
 * the built-in "new version is worse" alerts agree; the intervals are at 1 − 2α, the two-sided match of that decision.
 */
export const COMPARISON_ALPHA = ALERT_ALPHA;
export const COMPARISON_CONFIDENCE = 1 - 2 * COMPARISON_ALPHA;
const options = { alpha: COMPARISON_ALPHA, confidence: COMPARISON_CONFIDENCE };

export const PER_CALL_MEANS = {
  tokens: { total: 'input_tokens + output_tokens', calls: 'calls' },
  cost: { total: 'cost_usd', calls: 'priced_calls' },
  outputChars: { total: 'output_chars_sum', calls: 'output_calls' },
} as const satisfies Record<string, PerCallMean>;
export type PerCallMeanSums = Record<keyof typeof PER_CALL_MEANS, RatioSums>;

/** One version's side of a comparison: its rollup sums and the cluster sums of its means per call. */
export interface ComparedSide {
  sums: RollupSums;
  means: PerCallMeanSums;
}

/** Which way is good: a measure such as output length is neither, and is called higher or lower. */
type Goodness = 'lower' | 'higher' | 'neither';

function verdictOf(
  difference: number,
  test: Pick<ComparisonTest, 'pValue' | 'ci'>,
  goodness: Goodness,
): ComparisonVerdict {
  // The test decides; an interval that still holds 0 (its approximation differs from the test's) withholds the call.
  const significant = test.pValue < COMPARISON_ALPHA && (difference > 0 ? test.ci[0] > 0 : test.ci[1] < 0);
  if (difference === 0 || !significant) return 'no_clear_difference';
  if (goodness === 'neither') return difference > 0 ? 'higher' : 'lower';
  return difference > 0 === (goodness === 'higher') ? 'better' : 'worse';
}

/** The one-sided test in the direction of B − A: `test(current, baseline)` asks whether current is greater. */
function inDirection<S>(a: S, b: S, difference: number, test: (current: S, baseline: S) => Comparison | null) {
  if (difference >= 0) return test(b, a);
  const reversed = test(a, b);
  return reversed && { ...reversed, ci: [-reversed.ci[1], -reversed.ci[0]] as [number, number] };
}

const count = (value: number | string) => Number(value);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function row(
  measure: ComparedMeasureKey,
  a: number | null,
  b: number | null,
  n: { a: number; b: number },
  judged: { test: ComparisonTest | null; goodness: Goodness } | null,
): ComparedMeasure {
  const difference = a === null || b === null ? null : b - a;
  if (!judged) return { measure, a, b, difference, n, verdict: null, test: null };
  const { test, goodness } = judged;
  return {
    measure,
    a,
    b,
    difference,
    n,
    verdict: test === null || difference === null ? 'untested' : verdictOf(difference, test, goodness),
    test,
  };
}

/** A share of calls (errors among calls, invalid JSON among checked answers) by the two-proportion test. */
function rate(
  measure: ComparedMeasureKey,
  events: [number, number],
  trials: [number, number],
  goodness: Goodness,
): ComparedMeasure {
  const [[xa, xb], [na, nb]] = [events, trials];
  const [a, b] = [ratio(xa, na), ratio(xb, nb)];
  const sides = { a: { x: xa, n: na }, b: { x: xb, n: nb } };
  const difference = a === null || b === null ? 0 : b - a;
  const comparison = inDirection(sides.a, sides.b, difference, (current, baseline) =>
    twoProportionTest(current.x, current.n, baseline.x, baseline.n, options),
  );
  const ci = proportionDifferenceInterval(xb, nb, xa, na, COMPARISON_CONFIDENCE);
  const test: ComparisonTest | null =
    comparison && ci ? { kind: 'two_proportion', pValue: comparison.pValue, ci } : null;
  return row(measure, a, b, { a: na, b: nb }, { test, goodness });
}

/**
 * A percentile from the histograms (latency, or answer length with `readBucket`): the quantile shift test with the
 * reference bucket of the version whose percentile is lower (B is higher when more of its calls lie above A's bucket
 * than A's own share, and the reverse).
 */
function quantile(
  measure: ComparedMeasureKey,
  fraction: number,
  [a, b]: [Histogram, Histogram],
  goodness: Goodness,
  readBucket?: (bucket: number) => number,
): ComparedMeasure {
  const [pa, pb] = [percentile(a, fraction, readBucket), percentile(b, fraction, readBucket)];
  const n = { a: countAll(a), b: countAll(b) };
  if (pa === null || pb === null) return row(measure, pa, pb, n, { test: null, goodness });
  const reference = pb >= pa ? 'a' : 'b';
  const shift =
    reference === 'a' ? quantileShiftTest(b, a, fraction, options) : quantileShiftTest(a, b, fraction, options);
  if (!shift) return row(measure, pa, pb, n, { test: null, goodness });
  const [aboveA, aboveB] = [countAbove(a, shift.baselineBucket), countAbove(b, shift.baselineBucket)];
  const ci = proportionDifferenceInterval(
    aboveB.above,
    aboveB.total,
    aboveA.above,
    aboveA.total,
    COMPARISON_CONFIDENCE,
  );
  if (!ci) return row(measure, pa, pb, n, { test: null, goodness });
  const test: ComparisonTest = {
    kind: 'quantile_shift',
    pValue: shift.pValue,
    ci,
    shares: { reference, a: aboveA.above / aboveA.total, b: aboveB.above / aboveB.total },
  };
  return row(measure, pa, pb, n, { test, goodness });
}

function countAll(histogram: Histogram): number {
  let total = 0;
  for (const value of histogram.values()) if (value > 0) total += value;
  return total;
}

/** A mean per call from cluster sums (see ratioComparisonTest); untested with fewer than two rollup rows a side. */
function mean(measure: ComparedMeasureKey, a: RatioSums, b: RatioSums, goodness: Goodness): ComparedMeasure {
  const [va, vb] = [ratio(a.y, a.n), ratio(b.y, b.n)];
  const difference = va === null || vb === null ? 0 : vb - va;
  const comparison = inDirection(a, b, difference, (current, baseline) =>
    ratioComparisonTest(current, baseline, options),
  );
  const test: ComparisonTest | null = comparison && {
    kind: 'ratio',
    pValue: comparison.pValue,
    ci: comparison.ci,
  };
  return row(measure, va, vb, { a: a.n, b: b.n }, { test, goodness });
}

/** Every measure of version B against version A, each judged by its test. */
export function compareSides(a: ComparedSide, b: ComparedSide): ComparedMeasure[] {
  const both = (column: keyof RollupSums): [number, number] => [count(a.sums[column] ?? 0), count(b.sums[column] ?? 0)];
  const calls = both('calls');
  const histograms = (column: 'latency_histogram' | 'output_chars_histogram'): [Histogram, Histogram] => [
    decodeHistogram(a.sums[column]),
    decodeHistogram(b.sums[column]),
  ];
  const latency = histograms('latency_histogram');
  return [
    row('calls', calls[0], calls[1], { a: calls[0], b: calls[1] }, null),
    rate('successRate', both('success_calls'), calls, 'higher'),
    rate('errorRate', both('error_calls'), calls, 'lower'),
    rate('refusalRate', both('refusal_calls'), calls, 'lower'),
    rate('truncationRate', both('truncated_calls'), calls, 'lower'),
    rate('jsonInvalidRate', both('json_invalid_calls'), both('json_checked_calls'), 'lower'),
    quantile('p50LatencyMs', 0.5, latency, 'lower'),
    quantile('p95LatencyMs', 0.95, latency, 'lower'),
    mean('tokensPerCall', a.means.tokens, b.means.tokens, 'lower'),
    mean('costPerCall', a.means.cost, b.means.cost, 'lower'),
    mean('avgOutputChars', a.means.outputChars, b.means.outputChars, 'neither'),
    quantile('p95OutputChars', 0.95, histograms('output_chars_histogram'), 'neither', outputCharsOf),
  ];
}
