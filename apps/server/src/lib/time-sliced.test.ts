import { describe, expect, it } from 'vitest';
import { mapTimeSliced } from './time-sliced';

function busyFor(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // computing
  }
}

describe('mapTimeSliced', () => {
  it('maps like Array.map, in order, with indexes', async () => {
    expect(await mapTimeSliced(['a', 'b', 'c'], (item, index) => `${index}:${item}`)).toEqual(['0:a', '1:b', '2:c']);
    expect(await mapTimeSliced([], () => 1)).toEqual([]);
  });

  it('lets other work run while it computes for long', async () => {
    const seen: string[] = [];
    setImmediate(() => seen.push('other work'));
    const mapping = mapTimeSliced([1, 2, 3, 4, 5], (item) => {
      busyFor(2);
      seen.push(`item ${item}`);
      return item;
    });
    await mapping;
    expect(seen.indexOf('other work')).toBeGreaterThan(0);
    expect(seen.indexOf('other work')).toBeLessThan(seen.length - 1);
  });
});
