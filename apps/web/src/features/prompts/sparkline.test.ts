import { describe, expect, it } from 'vitest';
import { describeSparkline, hourRange, sparklineGeometry } from './sparkline';

const utcHour = (ms: number) => `${String(new Date(ms).getUTCHours()).padStart(2, '0')}:00`;

describe('sparkline geometry', () => {
  it('gives each value an equal slot and scales the largest to the full height', () => {
    const { bars } = sparklineGeometry([0, 5, 10, 2.5], 40, 20, 2);
    expect(bars.map((b) => [b.x, b.width])).toEqual([
      [1, 8],
      [11, 8],
      [21, 8],
      [31, 8],
    ]);
    expect(bars.map((b) => b.height)).toEqual([0, 10, 20, 5]);
    // Drawn up from the baseline at the bottom.
    expect(bars.map((b) => b.y)).toEqual([20, 10, 0, 15]);
  });

  it('keeps a single run visible next to a busy hour, and draws nothing for an empty one', () => {
    const { bars } = sparklineGeometry([1, 10_000, 0], 30, 20);
    expect(bars[0]?.height).toBeGreaterThan(1);
    expect(bars[0]?.y).toBeCloseTo(20 - (bars[0]?.height ?? 0));
    expect(bars[1]?.height).toBe(20);
    expect(bars[2]?.height).toBe(0);
  });

  it('draws no bars at all for 24 quiet hours', () => {
    const { bars, baseline } = sparklineGeometry(new Array(24).fill(0), 96, 22);
    expect(bars).toHaveLength(24);
    expect(bars.every((b) => b.height === 0 && b.y === 22)).toBe(true);
    expect(baseline).toBe(22);
  });

  it('keeps every bar inside the box', () => {
    const values = [3, 0, 7, 1, 1, 12, 0, 4];
    const { bars } = sparklineGeometry(values, 96, 22);
    for (const bar of bars) {
      expect(bar.x).toBeGreaterThanOrEqual(0);
      expect(bar.x + bar.width).toBeLessThanOrEqual(96);
      expect(bar.y).toBeGreaterThanOrEqual(0);
      expect(bar.y + bar.height).toBeCloseTo(22);
    }
  });
});

describe('the sparkline in words', () => {
  const from = '2026-12-02T01:00:00.000000Z';

  it('names the total and the busiest hour, and describes every hour with runs', () => {
    const runs = new Array(24).fill(0);
    runs[0] = 1;
    runs[13] = 12;
    runs[23] = 3;
    expect(describeSparkline(runs, from, utcHour)).toEqual({
      name: 'Runs per hour over the last 24 hours: 16 runs in total, at most 12 runs (14:00–15:00)',
      description: '01:00–02:00: 1 run; 14:00–15:00: 12 runs; 00:00–01:00: 3 runs. No runs in the other 21 hours.',
    });
  });

  it('says so when there were none', () => {
    expect(describeSparkline(new Array(24).fill(0), from, utcHour)).toEqual({
      name: 'Runs per hour over the last 24 hours: none',
      description: 'No runs in any hour.',
    });
  });

  it('labels an hour by its start and end', () => {
    expect(hourRange(from, 2, utcHour)).toBe('03:00–04:00');
  });
});
