import type { ComparedMeasure, ComparedMeasureKey, VersionComparison } from '@promptlog/contracts';
import { formatCost, formatCount, formatLatency, formatPercent } from '../../lib/format';
import { formatChars, NO_ERROR_TYPE } from './prepare';

/** How the card marks a row: better and worse in colour, a significant change of a neutral measure plainly. */
export type Verdict = 'better' | 'worse' | 'changed' | 'unclear' | null;

export type ComparisonRow = {
  metric: string;
  a: string;
  b: string;
  /** B against A in the measure's terms: "+18.0 pts", "+57%"; empty when the verdict says it all. */
  change: string;
  verdict: Verdict;
  /** What the server's test concluded, in words; null when nothing was tested. */
  verdictText: string | null;
  /** The interval of the difference, or for a latency percentile of the shares its test compares. */
  interval: string | null;
};

type Unit = 'count' | 'rate' | 'latency' | 'tokens' | 'cost' | 'chars';

const MEASURES: Record<ComparedMeasureKey, { label: string; unit: Unit; counted: string }> = {
  calls: { label: 'Calls', unit: 'count', counted: 'calls' },
  successRate: { label: 'Success rate', unit: 'rate', counted: 'calls' },
  errorRate: { label: 'Error rate', unit: 'rate', counted: 'calls' },
  refusalRate: { label: 'Refusal rate', unit: 'rate', counted: 'calls' },
  truncationRate: { label: 'Truncation rate', unit: 'rate', counted: 'calls' },
  jsonInvalidRate: { label: 'JSON-invalid rate', unit: 'rate', counted: 'answers checked' },
  p50LatencyMs: { label: 'p50 latency', unit: 'latency', counted: 'calls' },
  p95LatencyMs: { label: 'p95 latency', unit: 'latency', counted: 'calls' },
  tokensPerCall: { label: 'Tokens per call', unit: 'tokens', counted: 'calls' },
  costPerCall: { label: 'Cost per call', unit: 'cost', counted: 'priced calls' },
  avgOutputChars: { label: 'Avg output length', unit: 'chars', counted: 'answers' },
  p95OutputChars: { label: 'p95 output length', unit: 'chars', counted: 'answers' },
};

const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function sign(value: number): string {
  return value > 0 ? '+' : value < 0 ? '−' : '';
}

/** A signed difference in percentage points, one decimal: "+3.1", "−0.4", "0.0". */
function points(difference: number): string {
  const text = Math.abs(difference * 100).toFixed(1);
  return text === '0.0' ? text : `${sign(difference)}${text}`;
}

function percentPoints(a: number | null, b: number | null): string {
  if (a === null || b === null) return '—';
  const diff = (b - a) * 100;
  if (Math.abs(diff) < 0.05) return 'no change';
  return `${points(b - a)} pts`;
}

function relative(a: number | null, b: number | null): string {
  if (a === null || b === null) return '—';
  if (a === 0) return b === 0 ? 'no change' : 'new';
  const change = ((b - a) / a) * 100;
  if (Math.abs(change) < 0.5) return 'no change';
  return `${sign(change)}${Math.abs(change).toFixed(0)}%`;
}

/** A signed amount in the measure's unit, as one end of an interval. */
function signedAmount(value: number, unit: Unit): string {
  const size = Math.abs(value);
  if (unit === 'cost') return `${sign(value)}${formatCost(size, 'catalog')}`;
  if (unit === 'latency') return `${sign(value)}${formatLatency(size)}`;
  return `${sign(value)}${decimal.format(size)}`;
}

const UNIT_WORD: Partial<Record<Unit, string>> = { tokens: ' tokens', chars: ' chars' };

function intervalText(measure: ComparedMeasure, comparison: VersionComparison): string | null {
  const test = measure.test;
  if (!test) return null;
  const level = `${Math.round(comparison.confidence * 100)}% CI`;
  const [low, high] = test.ci;
  const { unit, label } = MEASURES[measure.measure];
  if (test.shares) {
    const reference = test.shares.reference === 'a' ? comparison.a.version : comparison.b.version;
    const percentile = label.split(' ')[0];
    return (
      `Calls above v${reference}'s ${percentile}: ${formatPercent(test.shares.a)} → ${formatPercent(test.shares.b)} ` +
      `(${level} ${points(low)} to ${points(high)} pts)`
    );
  }
  if (unit === 'rate') return `${level} ${points(low)} to ${points(high)} pts`;
  return `${level} ${signedAmount(low, unit)} to ${signedAmount(high, unit)}${UNIT_WORD[unit] ?? ''}`;
}

function valueText(measure: ComparedMeasure, side: 'a' | 'b', comparison: VersionComparison): string {
  const value = measure[side];
  const calls = comparison[side].calls;
  const { unit } = MEASURES[measure.measure];
  if (value === null) {
    if (calls === 0) return '—';
    if (measure.measure === 'jsonInvalidRate') return 'none checked';
    if (measure.measure === 'costPerCall') return 'unpriced';
    return '—';
  }
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'rate':
      return formatPercent(value);
    case 'latency':
      return formatLatency(value);
    case 'tokens':
      return formatCount(Math.round(value));
    case 'cost':
      return formatCost(value, 'catalog');
    case 'chars':
      return formatChars(value);
  }
}

function verdictOf(measure: ComparedMeasure): { verdict: Verdict; text: string | null } {
  const { counted } = MEASURES[measure.measure];
  const n = `n = ${formatCount(measure.n.a)} vs ${formatCount(measure.n.b)} ${counted}`;
  switch (measure.verdict) {
    case null:
      return { verdict: null, text: null };
    case 'better':
    case 'worse':
      return { verdict: measure.verdict, text: measure.verdict };
    case 'higher':
    case 'lower':
      return { verdict: 'changed', text: measure.verdict === 'higher' ? 'longer' : 'shorter' };
    case 'no_clear_difference':
      return { verdict: 'unclear', text: `no clear difference (${n})` };
    case 'untested':
      // A side with nothing to measure shows "—" already; otherwise say why there is no verdict.
      return measure.a === null || measure.b === null
        ? { verdict: null, text: null }
        : { verdict: 'unclear', text: `too little data to test (${n})` };
  }
}

/** Version B against version A as the server judged it, each row in the measure's own format. */
export function compareMeasures(comparison: VersionComparison): ComparisonRow[] {
  return comparison.measures.map((measure) => {
    const { label, unit } = MEASURES[measure.measure];
    const { verdict, text } = verdictOf(measure);
    const change = unit === 'rate' ? percentPoints(measure.a, measure.b) : relative(measure.a, measure.b);
    return {
      metric: label,
      a: valueText(measure, 'a', comparison),
      b: valueText(measure, 'b', comparison),
      // Beside a verdict, "no change" says nothing the verdict does not.
      change: text && change === 'no change' ? '' : change,
      verdict,
      verdictText: text,
      interval: intervalText(measure, comparison),
    };
  });
}

/** What "better" and "worse" mean on this card, in the server's own numbers. */
export function significanceNote(comparison: VersionComparison): string {
  const alpha = `${decimal.format(comparison.alpha * 100)}%`;
  const level = `${Math.round(comparison.confidence * 100)}%`;
  return (
    `Better or worse only when a one-sided test at the ${alpha} level, the one alerts use, finds the difference ` +
    `unlikely to be chance; intervals are ${level}. Rates use a two-proportion test, percentiles (latency, ` +
    `output length) the rollups' histograms, means per call the hourly rollup rows.`
  );
}

export type ErrorTypeRow = { type: string; a: number; b: number };

export function errorTypeRows(comparison: VersionComparison): ErrorTypeRow[] {
  return comparison.errorTypes.map((row) => ({ ...row, type: row.type ?? NO_ERROR_TYPE }));
}

/** The two most recent versions, newest second, as a default comparison. */
export function defaultComparison(versions: readonly number[]): [number, number] | null {
  const sorted = [...new Set(versions)].sort((x, y) => x - y);
  const b = sorted.at(-1);
  const a = sorted.at(-2);
  return a === undefined || b === undefined ? null : [a, b];
}
