import type { ExecutionListItem } from '@promptlog/contracts';

export type TraceEntry = {
  item: ExecutionListItem;
  /** 1-based position of the step; fallback attempts of one step share it. */
  step: number;
  /** 1-based order in which this attempt of the step was tried, and how many there were. */
  attempt: number;
  attempts: number;
  /**
   * Where execution stopped: the first step whose attempts all failed and after whose last failure no other step
   * started (the rule of the trace page's "Stopped at", for a trace without parents).
   */
  stoppedHere: boolean;
};

/**
 * Groups a trace's executions by step (the server sends them in step order) so fallback attempts show in the
 * order they were tried, and marks where the run stopped.
 */
export function describeTrace(steps: readonly ExecutionListItem[]): TraceEntry[] {
  const groups: ExecutionListItem[][] = [];
  let lastKey: string | null = null;
  for (const item of steps) {
    const key = item.traceStepIndex === null ? `solo:${item.id}` : `step:${item.traceStepIndex}`;
    if (key === lastKey) groups.at(-1)?.push(item);
    else groups.push([item]);
    lastKey = key;
  }
  const starts = groups.map((group) => Math.min(...group.map((item) => Date.parse(item.startedAt))));
  const wentOnAfter = (groupIndex: number, failedAt: number) =>
    starts.some((start, other) => other !== groupIndex && start >= failedAt);
  let stopped = false;
  return groups.flatMap((group, groupIndex) => {
    const sorted = [...group].sort(
      (a, b) => (a.attempt ?? 0) - (b.attempt ?? 0) || a.startedAt.localeCompare(b.startedAt),
    );
    const recovered = sorted.some((item) => item.status === 'success');
    const last = sorted.at(-1);
    const failedAt = last ? Date.parse(last.startedAt) + (last.latencyMs ?? 0) : 0;
    const stopsHere = !recovered && last?.status === 'error' && !wentOnAfter(groupIndex, failedAt);
    return sorted.map((item, index) => {
      const isStop = !stopped && stopsHere && index === sorted.length - 1;
      if (isStop) stopped = true;
      return { item, step: groupIndex + 1, attempt: index + 1, attempts: sorted.length, stoppedHere: isStop };
    });
  });
}
