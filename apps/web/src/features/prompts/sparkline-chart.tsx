import { useId } from 'react';
import { describeSparkline, hourRange, sparklineGeometry } from './sparkline';

const WIDTH = 96;
const HEIGHT = 22;

/** Runs per hour as tiny bars: plain SVG (recharts stays out of the main bundle), named and described in words. */
export function Sparkline({ runs, from }: { runs: readonly number[]; from: string }) {
  const descriptionId = useId();
  const { bars, baseline } = sparklineGeometry(runs, WIDTH, HEIGHT);
  const { name, description } = describeSparkline(runs, from);
  return (
    <span className="sparkline">
      <svg
        className="sparkline__chart"
        role="img"
        aria-label={name}
        aria-describedby={descriptionId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
      >
        <line className="sparkline__baseline" x1={0} x2={WIDTH} y1={baseline - 0.5} y2={baseline - 0.5} />
        {bars.map((bar, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the hours are fixed slots, the index is the hour
          <g key={i}>
            <title>{`${hourRange(from, i)}: ${bar.value.toLocaleString('en-US')} ${bar.value === 1 ? 'run' : 'runs'}`}</title>
            <rect className="sparkline__slot" x={bar.x} y={0} width={bar.width} height={HEIGHT} />
            {bar.height > 0 && (
              <rect className="sparkline__bar" x={bar.x} y={bar.y} width={bar.width} height={bar.height} rx={0.5} />
            )}
          </g>
        ))}
      </svg>
      <span id={descriptionId} className="visually-hidden">
        {description}
      </span>
    </span>
  );
}
