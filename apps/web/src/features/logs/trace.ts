import type { ExecutionListItem } from '@promptlog/contracts';

export type TraceEntry = {
  item: ExecutionListItem;
  /** 1-based position of the step; fallback attempts of one step share it. */
  step: number;
  /** 1-based order in which this attempt of the step was tried, and how many there were. */
  attempt: number;
  attempts: number;
  /** The first error of the trace that no later attempt of the same step recovered from: where execution stopped. */
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
  let stopped = false;
  return groups.flatMap((group, groupIndex) => {
    const sorted = [...group].sort(
      (a, b) => (a.attempt ?? 0) - (b.attempt ?? 0) || a.startedAt.localeCompare(b.startedAt),
    );
    const recovered = sorted.some((item) => item.status === 'success');
    return sorted.map((item, index) => {
      const isStop = !stopped && !recovered && item.status === 'error' && index === sorted.length - 1;
      if (isStop) stopped = true;
      return { item, step: groupIndex + 1, attempt: index + 1, attempts: sorted.length, stoppedHere: isStop };
    });
  });
}
