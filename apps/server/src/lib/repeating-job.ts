/**
 * Runs `run` every `intervalMs` (the first run one interval after the start), one run at a time: the next interval
 * starts when a run ends. The returned function aborts the signal of the run under way and waits for it.
 * 0 or less starts nothing.
 */
export function startRepeatingJob(
  intervalMs: number,
  run: (signal: AbortSignal) => Promise<void>,
): () => Promise<void> {
  if (intervalMs <= 0) return async () => undefined;
  const stopping = new AbortController();
  let current: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  const tick = () => {
    current = run(stopping.signal).finally(() => {
      current = null;
      if (!stopping.signal.aborted) schedule();
    });
  };
  schedule();
  return async () => {
    stopping.abort();
    clearTimeout(timer);
    await current;
  };
}
