import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow, SeriesSpec } from '../prepare';

// Distinguishable in greyscale and for common colour-vision deficiencies (Okabe–Ito order); each theme sets its
// shades in styles.css (--chart-1…8).
export const PALETTE = Array.from({ length: 8 }, (_, index) => `var(--chart-${index + 1})`);

type Format = (value: number) => string;

type ChartProps = {
  rows: ChartRow[];
  series: SeriesSpec[];
  format: Format;
  /** Called with the row index of a clicked bar or point. */
  onSelect?: (index: number) => void;
  height?: number;
};

const axisTick = { fontSize: 12, fill: 'var(--text-muted)' };
const axisLine = { stroke: 'var(--border-strong)' };
const tooltipStyle = {
  background: 'var(--surface)',
  border: '1px solid var(--border-strong)',
  borderRadius: 'var(--radius-sm)',
  color: 'var(--text)',
};
const barCursor = { fill: 'var(--chart-cursor)' };
const lineCursor = { stroke: 'var(--border-strong)' };
const tooltipLabel = (_: unknown, payload: readonly { payload?: ChartRow }[]) => payload[0]?.payload?.fullLabel ?? '';

// Elements, not components: recharts reads its chart's own children.
const chartStyle = (height: number, onSelect: ChartProps['onSelect']) => ({
  width: '100%',
  height,
  cursor: onSelect ? 'pointer' : undefined,
});
const tooltip = (format: Format, cursor: object) => (
  <Tooltip
    labelFormatter={tooltipLabel}
    formatter={(value) => (typeof value === 'number' ? format(value) : '—')}
    contentStyle={tooltipStyle}
    cursor={cursor}
  />
);
/** A chart over time: its rows, its size, a pointer where a click selects. */
const timeChartProps = (rows: ChartRow[], height: number, onSelect: ChartProps['onSelect']) => ({
  responsive: true,
  accessibilityLayer: false,
  style: chartStyle(height, onSelect),
  data: rows,
  margin: { top: 8, right: 8, bottom: 0, left: 0 },
});
/** Horizontal grid lines, the labels along x and the values up y: charts over time. */
const timeAxes = (format: Format) => [
  <CartesianGrid key="grid" vertical={false} stroke="var(--chart-grid)" />,
  <XAxis key="x" dataKey="label" tick={axisTick} axisLine={axisLine} tickLine={false} minTickGap={16} />,
  <YAxis key="y" tick={axisTick} tickLine={false} axisLine={false} width={64} tickFormatter={format} />,
];

/** Bars over time (or categories along x); stacked when there are several series. */
export function ColumnChart({ rows, series, format, onSelect, height = 240 }: ChartProps) {
  return (
    <BarChart {...timeChartProps(rows, height, onSelect)}>
      {timeAxes(format)}
      {tooltip(format, barCursor)}
      {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
      {series.map((spec, index) => (
        <Bar
          key={spec.key}
          dataKey={spec.key}
          name={spec.label}
          stackId={series.length > 1 ? 'stack' : undefined}
          fill={PALETTE[index % PALETTE.length]}
          isAnimationActive={false}
          maxBarSize={48}
          onClick={onSelect ? (_, index) => onSelect(index) : undefined}
        />
      ))}
    </BarChart>
  );
}

/** Horizontal bars for named categories (models, fields, prompts), whose labels are long. */
export function CategoryChart({ rows, series, format, onSelect, height }: ChartProps) {
  const spec = series[0];
  if (!spec) return null;
  return (
    <BarChart
      responsive
      accessibilityLayer={false}
      layout="vertical"
      style={chartStyle(height ?? Math.max(200, rows.length * 30 + 40), onSelect)}
      data={rows}
      margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid horizontal={false} stroke="var(--chart-grid)" />
      <XAxis type="number" tick={axisTick} axisLine={axisLine} tickLine={false} tickFormatter={format} />
      <YAxis
        type="category"
        dataKey="label"
        tick={axisTick}
        axisLine={axisLine}
        tickLine={false}
        width={180}
        tickFormatter={(label: string) => (label.length > 28 ? `${label.slice(0, 27)}…` : label)}
      />
      {tooltip(format, barCursor)}
      <Bar
        dataKey={spec.key}
        name={spec.label}
        fill={PALETTE[0]}
        isAnimationActive={false}
        maxBarSize={22}
        onClick={onSelect ? (_, index) => onSelect(index) : undefined}
      />
    </BarChart>
  );
}

type PointProps = { cx?: number; cy?: number; index: number; stroke?: string };

// Points are drawn here so a click carries the point's index (the chart-level click only knows the
// hovered index once the pointer has moved over the chart for a frame).
function point({ cx, cy, index, stroke }: PointProps, r: number, onSelect: ((index: number) => void) | undefined) {
  if (cx === undefined || cy === undefined) return <g key={`none-${index}`} />;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; the figure's data table has the same drill-downs as buttons
    <circle
      key={`point-${index}`}
      className="recharts-dot"
      cx={cx}
      cy={cy}
      r={r}
      fill="var(--surface)"
      stroke={stroke}
      strokeWidth={2}
      style={onSelect ? { cursor: 'pointer' } : undefined}
      onClick={onSelect ? () => onSelect(index) : undefined}
    />
  );
}

/** Lines over time; a null value is a gap, not zero. */
export function TrendChart({ rows, series, format, onSelect, height = 240 }: ChartProps) {
  return (
    <LineChart {...timeChartProps(rows, height, onSelect)}>
      {timeAxes(format)}
      {tooltip(format, lineCursor)}
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {series.map((spec, index) => (
        <Line
          key={spec.key}
          dataKey={spec.key}
          name={spec.label}
          stroke={PALETTE[index % PALETTE.length]}
          strokeWidth={2}
          strokeDasharray={index === 1 ? '5 3' : undefined}
          dot={rows.length <= 48 ? (props: PointProps) => point(props, 3, onSelect) : false}
          activeDot={(props: PointProps) => point(props, 6, onSelect)}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
