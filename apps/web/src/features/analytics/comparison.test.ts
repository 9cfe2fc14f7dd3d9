import type { ComparedMeasure, VersionComparison } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { compareMeasures, defaultComparison, errorTypeRows, significanceNote } from './comparison';

function comparison(measures: ComparedMeasure[], calls = { a: 200, b: 180 }): VersionComparison {
  return {
    a: { version: 1, calls: calls.a },
    b: { version: 2, calls: calls.b },
    from: '2026-10-01T00:00:00.000Z',
    to: '2026-10-03T00:00:00.000Z',
    alpha: 0.01,
    confidence: 0.98,
    measures,
    errorTypes: [
      { type: 'timeout', a: 4, b: 20 },
      { type: null, a: 1, b: 0 },
    ],
  };
}

const n = { a: 200, b: 180 };

function rowOf(measure: ComparedMeasure, calls?: { a: number; b: number }) {
  const [row] = compareMeasures(comparison([measure], calls));
  if (!row) throw new Error('no row');
  return row;
}

describe('the version comparison as the server judged it', () => {
  it('shows a significant rate change with its verdict and interval in percentage points', () => {
    const row = rowOf({
      measure: 'errorRate',
      a: 0.02,
      b: 0.2,
      difference: 0.18,
      n,
      verdict: 'worse',
      test: { kind: 'two_proportion', pValue: 1e-9, ci: [0.1213, 0.2431] },
    });
    expect(row).toEqual({
      metric: 'Error rate',
      a: '2%',
      b: '20%',
      change: '+18.0 pts',
      verdict: 'worse',
      verdictText: 'worse',
      interval: '98% CI +12.1 to +24.3 pts',
    });
  });

  it('says "no clear difference" with the calls of each side, and still shows the interval', () => {
    const row = rowOf({
      measure: 'refusalRate',
      a: 0.0833,
      b: 0.2,
      difference: 0.1167,
      n: { a: 12, b: 10 },
      verdict: 'no_clear_difference',
      test: { kind: 'two_proportion', pValue: 0.21, ci: [-0.2512, 0.4567] },
    });
    expect(row).toMatchObject({
      change: '+11.7 pts',
      verdict: 'unclear',
      verdictText: 'no clear difference (n = 12 vs 10 calls)',
      interval: '98% CI −25.1 to +45.7 pts',
    });
  });

  it('explains a latency verdict by the shares its test compared', () => {
    const row = rowOf({
      measure: 'p95LatencyMs',
      a: 150.3,
      b: 560.1,
      difference: 409.8,
      n,
      verdict: 'worse',
      test: { kind: 'quantile_shift', pValue: 1e-12, ci: [0.62, 0.84], shares: { reference: 'a', a: 0.04, b: 0.77 } },
    });
    expect(row).toMatchObject({
      a: '150 ms',
      b: '560 ms',
      change: '+273%',
      verdictText: 'worse',
      interval: "Calls above v1's p95: 4% → 77% (98% CI +62.0 to +84.0 pts)",
    });
  });

  it('writes intervals of means per call in their unit, and a length change as longer or shorter', () => {
    const cost = rowOf({
      measure: 'costPerCall',
      a: 0.0012,
      b: 0.0009,
      difference: -0.0003,
      n,
      verdict: 'better',
      test: { kind: 'ratio', pValue: 0.001, ci: [-0.00045, -0.00015] },
    });
    expect(cost).toMatchObject({
      a: '$0.0012',
      b: '$0.0009',
      change: '−25%',
      verdict: 'better',
      interval: '98% CI −$0.00045 to −$0.00015',
    });
    const length = rowOf({
      measure: 'avgOutputChars',
      a: 400,
      b: 600,
      difference: 200,
      n,
      verdict: 'higher',
      test: { kind: 'ratio', pValue: 0.0001, ci: [150.25, 249.75] },
    });
    expect(length).toMatchObject({
      a: '400 chars',
      b: '600 chars',
      verdict: 'changed',
      verdictText: 'longer',
      interval: '98% CI +150.3 to +249.8 chars',
    });
    const p95 = rowOf({
      measure: 'p95OutputChars',
      a: 1210.4,
      b: 2390.7,
      difference: 1180.3,
      n,
      verdict: 'higher',
      test: { kind: 'quantile_shift', pValue: 0.0001, ci: [0.1, 0.3], shares: { reference: 'a', a: 0.05, b: 0.25 } },
    });
    expect(p95).toMatchObject({
      metric: 'p95 output length',
      a: '1,210 chars',
      b: '2,391 chars',
      verdictText: 'longer',
      interval: "Calls above v1's p95: 5% → 25% (98% CI +10.0 to +30.0 pts)",
    });
  });

  it('names what is missing rather than judging it', () => {
    expect(
      rowOf({ measure: 'jsonInvalidRate', a: null, b: 0.1, difference: null, n, verdict: 'untested', test: null }),
    ).toMatchObject({ a: 'none checked', b: '10%', change: '—', verdict: null, verdictText: null, interval: null });
    expect(
      rowOf({ measure: 'costPerCall', a: 0.001, b: null, difference: null, n, verdict: 'untested', test: null }),
    ).toMatchObject({ b: 'unpriced', verdict: null });
    expect(
      rowOf({ measure: 'tokensPerCall', a: 140, b: 150, difference: 10, n, verdict: 'untested', test: null }),
    ).toMatchObject({ verdict: 'unclear', verdictText: 'too little data to test (n = 200 vs 180 calls)' });
    expect(rowOf({ measure: 'calls', a: 200, b: 180, difference: -20, n, verdict: null, test: null })).toMatchObject({
      a: '200',
      b: '180',
      change: '−10%',
      verdict: null,
      verdictText: null,
    });
    expect(
      rowOf(
        { measure: 'errorRate', a: 0, b: null, difference: null, n: { a: 5, b: 0 }, verdict: 'untested', test: null },
        { a: 5, b: 0 },
      ),
    ).toMatchObject({ a: '0%', b: '—', verdict: null });
  });

  it('leaves "no change" out beside a verdict that says so', () => {
    const row = rowOf({
      measure: 'truncationRate',
      a: 0,
      b: 0,
      difference: 0,
      n,
      verdict: 'no_clear_difference',
      test: { kind: 'two_proportion', pValue: 0.5, ci: [-0.043, 0.043] },
    });
    expect(row).toMatchObject({ change: '', verdictText: 'no clear difference (n = 200 vs 180 calls)' });
  });

  it('says which level "better" and "worse" stand for', () => {
    expect(significanceNote(comparison([]))).toContain('one-sided test at the 1% level, the one alerts use');
    expect(significanceNote(comparison([]))).toContain('intervals are 98%');
  });

  it('lines up error types, naming those without a type', () => {
    expect(errorTypeRows(comparison([]))).toEqual([
      { type: 'timeout', a: 4, b: 20 },
      { type: 'no type recorded', a: 1, b: 0 },
    ]);
  });

  it('defaults to the two newest versions', () => {
    expect(defaultComparison([3, 1, 2])).toEqual([2, 3]);
    expect(defaultComparison([1])).toBeNull();
  });
});
