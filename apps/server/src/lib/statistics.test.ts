import { describe, expect, it } from 'vitest';
import {
  normalCdf,
  normalQuantile,
  proportionDifferenceInterval,
  quantileBucket,
  quantileShiftTest,
  ratioComparisonTest,
  ratioEstimate,
  twoProportionTest,
  wilsonInterval,
} from './statistics';

describe('the normal distribution', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(normalCdf(3)).toBeCloseTo(0.99865, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('twoProportionTest', () => {
  it("matches R's prop.test(c(30, 20), c(100, 100), correct = FALSE)", () => {
    const test = twoProportionTest(30, 100, 20, 100);
    expect(test).not.toBeNull();
    if (!test) return;
    // X-squared = 2.6667 = z², two-sided p-value = 0.1025, 95% CI of p1 − p2: -0.01922 0.21922.
    expect(test.z ** 2).toBeCloseTo(2.6667, 4);
    expect(test.pValue * 2).toBeCloseTo(0.1025, 4);
    expect(test.ci[0]).toBeCloseTo(-0.01922, 5);
    expect(test.ci[1]).toBeCloseTo(0.21922, 5);
    expect(test.difference).toBeCloseTo(0.1, 10);
    expect(test.worse).toBe(false);
    expect(twoProportionTest(30, 100, 20, 100, { alpha: 0.1 })?.worse).toBe(true);
  });

  it('finds a clear rise worse, and a fall or no change not worse', () => {
    // 9% against 4% of 500 calls each: z = 0.05 / sqrt(0.065 · 0.935 · 2/500) = 3.2068.
    const rise = twoProportionTest(45, 500, 20, 500);
    expect(rise?.z).toBeCloseTo(3.2068, 3);
    expect(rise?.pValue).toBeCloseTo(0.000671, 5);
    expect(rise?.worse).toBe(true);
    expect(twoProportionTest(20, 500, 45, 500)?.worse).toBe(false);
    expect(twoProportionTest(0, 50, 0, 50)).toMatchObject({ z: 0, worse: false });
    expect(twoProportionTest(5, 0, 1, 10)).toBeNull();
  });
});

describe('proportionDifferenceInterval', () => {
  it("matches Newcombe's (1998) worked examples (Stat Med 17:857 for Wilson, 17:873 for method 10)", () => {
    const [low, high] = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
    const [l1, u1] = proportionDifferenceInterval(56, 70, 48, 80) ?? [Number.NaN, Number.NaN];
    expect(l1).toBeCloseTo(0.0524, 4);
    expect(u1).toBeCloseTo(0.3339, 4);
    // With no events on one side, where the Wald interval collapses to a point: 9/10 − 3/10 and 10/10 − 0/20.
    const [l2, u2] = proportionDifferenceInterval(9, 10, 3, 10) ?? [Number.NaN, Number.NaN];
    expect(l2).toBeCloseTo(0.1705, 4);
    expect(u2).toBeCloseTo(0.809, 4);
    const [l3, u3] = proportionDifferenceInterval(10, 10, 0, 20) ?? [Number.NaN, Number.NaN];
    expect(l3).toBeCloseTo(0.6791, 4);
    expect(u3).toBeCloseTo(1, 4);
    expect(proportionDifferenceInterval(1, 0, 1, 10)).toBeNull();
  });
});

describe('quantileShiftTest', () => {
  const baseline = new Map([
    [10, 95],
    [20, 5],
  ]);

  it("reads the quantile's bucket", () => {
    expect(quantileBucket(baseline, 0.95)).toBe(10);
    expect(quantileBucket(baseline, 0.96)).toBe(20);
    expect(quantileBucket(new Map(), 0.95)).toBeNull();
  });

  it('tests the share of calls above the baseline p95 bucket', () => {
    const slower = new Map([
      [10, 80],
      [30, 20],
    ]);
    const test = quantileShiftTest(slower, baseline);
    // 20 of 100 above bucket 10 against 5 of 100: z = 0.15 / sqrt(0.125 · 0.875 · 0.02) = 3.2071.
    expect(test?.baselineBucket).toBe(10);
    expect(test?.current).toBeCloseTo(0.2, 10);
    expect(test?.baseline).toBeCloseTo(0.05, 10);
    expect(test?.z).toBeCloseTo(3.2071, 3);
    expect(test?.worse).toBe(true);
    const same = new Map([
      [10, 190],
      [20, 10],
    ]);
    expect(quantileShiftTest(same, baseline)?.worse).toBe(false);
    expect(quantileShiftTest(same, new Map())).toBeNull();
  });
});

describe('ratioComparisonTest', () => {
  it('estimates a ratio and its cluster variance', () => {
    // Clusters (y, n): (10, 10), (12, 10), (14, 10): R = 1.2, Σ(y − R·n)² = 8, variance = 3/2 · 8 / 30².
    const sums = { clusters: 3, y: 36, n: 30, yy: 100 + 144 + 196, yn: 360, nn: 300 };
    const estimate = ratioEstimate(sums);
    expect(estimate?.ratio).toBeCloseTo(1.2, 10);
    expect(estimate?.variance).toBeCloseTo(0.0133333, 6);
    expect(ratioEstimate({ ...sums, clusters: 1 })).toBeNull();
  });

  it('calls a higher cost per call worse only when it stands out from the spread', () => {
    const baseline = { clusters: 3, y: 36, n: 30, yy: 440, yn: 360, nn: 300 };
    // Clusters (20, 10), (22, 10), (24, 10): R = 2.2, the same spread; z = 1 / sqrt(2 · 0.013333) = 6.124.
    const doubled = { clusters: 3, y: 66, n: 30, yy: 400 + 484 + 576, yn: 660, nn: 300 };
    const test = ratioComparisonTest(doubled, baseline);
    expect(test?.difference).toBeCloseTo(1, 10);
    expect(test?.z).toBeCloseTo(6.1237, 3);
    expect(test?.ci[0]).toBeCloseTo(1 - 1.959964 * Math.sqrt(2 * 0.0133333), 4);
    expect(test?.worse).toBe(true);
    // Clusters (11, 10), (13, 10), (15, 10): R = 1.3, within the noise.
    const slightly = { clusters: 3, y: 39, n: 30, yy: 121 + 169 + 225, yn: 390, nn: 300 };
    expect(ratioComparisonTest(slightly, baseline)?.worse).toBe(false);
    expect(ratioComparisonTest(baseline, doubled)?.worse).toBe(false);
  });
});
