const HOUR_MS = 3_600_000;

export type SparklineBar = {
  /** The hour's slot: the whole height, so a pointer over an empty hour still finds it. */
  x: number;
  width: number;
  /** The bar itself, drawn up from the baseline; height 0 for an hour without runs. */
  y: number;
  height: number;
  value: number;
};

export type SparklineGeometry = { width: number; height: number; baseline: number; bars: SparklineBar[] };

/** The smallest bar of a non-zero hour, so one run among thousands still shows. */
const MIN_BAR = 1.5;

/**
 * Bars for the values, scaled so the largest fills the height; each slot is `width / values.length` wide with
 * `gap` between bars. Zero draws nothing; any other value at least MIN_BAR, so it never reads as none.
 */
export function sparklineGeometry(
  values: readonly number[],
  width: number,
  height: number,
  gap = 1,
): SparklineGeometry {
  const max = Math.max(0, ...values);
  const slot = values.length > 0 ? width / values.length : 0;
  const barWidth = Math.max(slot - gap, slot / 2);
  const round = (n: number) => Math.round(n * 100) / 100;
  const bars = values.map((value, i) => {
    const scaled = max > 0 && value > 0 ? Math.max(MIN_BAR, (value / max) * height) : 0;
    const barHeight = Math.min(height, scaled);
    return {
      x: round(i * slot + (slot - barWidth) / 2),
      width: round(barWidth),
      y: round(height - barHeight),
      height: round(barHeight),
      value,
    };
  });
  return { width, height, baseline: height, bars };
}

/** The reader's clock time of an hour's start, e.g. "14:00". */
export type HourLabel = (startMs: number) => string;

export const localHour: HourLabel = (() => {
  const format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
  return (startMs: number) => format.format(new Date(startMs));
})();

const count = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'run' : 'runs'}`;

/** The hour starting at `from` plus `index` hours, as "14:00–15:00". */
export function hourRange(from: string, index: number, label: HourLabel = localHour): string {
  const start = Date.parse(from) + index * HOUR_MS;
  return `${label(start)}–${label(start + HOUR_MS)}`;
}

/**
 * The sparkline in words: its accessible name (the total and the busiest hour) and a description listing every
 * hour that had runs, oldest first.
 */
export function describeSparkline(
  runs: readonly number[],
  from: string,
  label: HourLabel = localHour,
): { name: string; description: string } {
  const prefix = `Runs per hour over the last ${runs.length} hours`;
  const total = runs.reduce((sum, n) => sum + n, 0);
  if (total === 0) return { name: `${prefix}: none`, description: 'No runs in any hour.' };
  const peak = runs.reduce((best, n, i) => (n > (runs[best] ?? 0) ? i : best), 0);
  const busy = runs.flatMap((n, i) => (n > 0 ? [`${hourRange(from, i, label)}: ${count(n)}`] : []));
  const quiet = runs.length - busy.length;
  return {
    name: `${prefix}: ${count(total)} in total, at most ${count(runs[peak] ?? 0)} (${hourRange(from, peak, label)})`,
    description: `${busy.join('; ')}.${quiet > 0 ? ` No runs in the other ${quiet === 1 ? 'hour' : `${quiet} hours`}.` : ''}`,
  };
}
