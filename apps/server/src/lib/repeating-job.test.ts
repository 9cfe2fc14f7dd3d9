import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRepeatingJob } from './repeating-job';

describe('startRepeatingJob', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs one interval after the start, and the next one interval after a run ends', async () => {
    let finish = () => {};
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const stop = startRepeatingJob(100, run);
    await vi.advanceTimersByTimeAsync(99);
    expect(run).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(run).toHaveBeenCalledTimes(2);
    finish();
    await stop();
  });

  it('stops by aborting the run under way and waiting for it, then runs no more', async () => {
    let ended = false;
    const run = vi.fn(
      (signal: AbortSignal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            ended = true;
            resolve();
          }),
        ),
    );
    const stop = startRepeatingJob(10, run);
    await vi.advanceTimersByTimeAsync(10);
    await stop();
    expect(ended).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('starts nothing when the interval is 0', async () => {
    const run = vi.fn(async () => undefined);
    const stop = startRepeatingJob(0, run);
    await vi.advanceTimersByTimeAsync(3_600_000);
    await stop();
    expect(run).not.toHaveBeenCalled();
  });
});
