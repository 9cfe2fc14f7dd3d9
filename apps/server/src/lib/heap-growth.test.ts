import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';

const run = promisify(execFile);
const workload = fileURLToPath(new URL('../test/heap-growth-workload.ts', import.meta.url));

/** The largest old generation the workload reached with the given growth percent, in its own process. */
async function largestOldSpace(percent: number): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', workload, String(percent)], { timeout: 30_000 });
  return (JSON.parse(stdout) as { largestOldSpace: number }).largestOldSpace;
}

describe('limiting heap growth', () => {
  it('keeps the old generation well below what V8 lets it reach on its own, set after start', async () => {
    // If a Node upgrade stopped honouring the flag at run time, the server's memory under load would silently double.
    const [ownGrowth, limited] = await Promise.all([largestOldSpace(0), largestOldSpace(100)]);
    expect(limited).toBeLessThan(ownGrowth * 0.75);
  });

  it('is on by default, can be left to V8, and refuses values that make no sense', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(100);
    expect(loadConfig({ PROMPTLOG_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(() => loadConfig({ PROMPTLOG_HEAP_GROWTH_PERCENT: '1000' })).toThrow(/PROMPTLOG_HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ PROMPTLOG_HEAP_GROWTH_PERCENT: 'half' })).toThrow(/PROMPTLOG_HEAP_GROWTH_PERCENT/);
  });
});
