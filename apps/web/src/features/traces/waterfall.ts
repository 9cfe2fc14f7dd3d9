import type { TraceNode, TraceView } from '@promptlog/contracts';

/** A node's bar on the shared time axis, in percent of the axis. */
export type Bar = { left: number; width: number; running: boolean };

export type WaterfallRow = {
  node: TraceNode;
  hasChildren: boolean;
  expanded: boolean;
  bar: Bar;
};

export type Tick = { ms: number; percent: number; label: string };

/** The narrowest bar drawn, so an instant step stays visible and clickable. */
const MIN_BAR_PERCENT = 0.4;

/** The length of the time axis: the trace's duration, or its last known moment while it runs. */
export function axisLength(view: Pick<TraceView, 'durationMs' | 'nodes'>): number {
  let end = view.durationMs ?? 0;
  for (const node of view.nodes) end = Math.max(end, node.offsetMs + (node.durationMs ?? 0));
  return end > 0 ? end : 1;
}

export function barFor(node: Pick<TraceNode, 'offsetMs' | 'durationMs'>, axisMs: number): Bar {
  const left = clamp((node.offsetMs / axisMs) * 100, 0, 100);
  if (node.durationMs === null) return { left, width: Math.max(100 - left, MIN_BAR_PERCENT), running: true };
  const width = clamp((node.durationMs / axisMs) * 100, MIN_BAR_PERCENT, 100);
  return { left: Math.min(left, 100 - width), width, running: false };
}

/**
 * The rows to draw: the nodes in tree order (as the API sends them) without the descendants of collapsed nodes,
 * each with its bar.
 */
export function waterfallRows(
  nodes: readonly TraceNode[],
  collapsed: ReadonlySet<string>,
  axisMs: number,
): WaterfallRow[] {
  const rows: WaterfallRow[] = [];
  let hiddenBelow: number | null = null;
  nodes.forEach((node, index) => {
    if (hiddenBelow !== null && node.depth > hiddenBelow) return;
    hiddenBelow = null;
    const hasChildren = (nodes[index + 1]?.depth ?? -1) > node.depth;
    const expanded = hasChildren && !collapsed.has(node.id);
    if (hasChildren && !expanded) hiddenBelow = node.depth;
    rows.push({ node, hasChildren, expanded, bar: barFor(node, axisMs) });
  });
  return rows;
}

/** The ids of a node's ancestors, nearest first: what to expand to show it. */
export function ancestorIds(nodes: readonly TraceNode[], id: string): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const ancestors: string[] = [];
  for (let parent = byId.get(id)?.parentId; parent; parent = byId.get(parent)?.parentId) {
    if (ancestors.includes(parent)) break;
    ancestors.push(parent);
  }
  return ancestors;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
// Steps a reader counts in: decimal below a second, then whole seconds, minutes and hours of the clock.
const CLOCK_STEPS = [1, 2, 5, 10, 15, 20, 30];
const HOUR_STEPS = [1, 2, 3, 6, 12, 24];

/** Round-valued ticks from 0 across the axis, at most `maxTicks` intervals. */
export function axisTicks(axisMs: number, maxTicks = 5): Tick[] {
  const step = niceStep(axisMs / maxTicks);
  const ticks: Tick[] = [];
  for (let i = 0; i * step <= axisMs * (1 + 1e-9); i += 1) {
    const ms = Number((i * step).toPrecision(12));
    ticks.push({ ms, percent: (ms / axisMs) * 100, label: formatOffset(ms, step) });
  }
  return ticks;
}

function niceStep(rough: number): number {
  if (rough < SECOND) return decimalStep(rough);
  const clock = [
    ...CLOCK_STEPS.map((count) => count * SECOND),
    ...CLOCK_STEPS.map((count) => count * MINUTE),
    ...HOUR_STEPS.map((count) => count * HOUR),
  ];
  return clock.find((step) => step >= rough) ?? decimalStep(rough / (24 * HOUR)) * 24 * HOUR;
}

function decimalStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 2.5, 5].find((step) => step * magnitude >= rough) ?? 10) * magnitude;
}

/** A tick's time after the start, as precise as the tick step: "0", "0.25 ms", "250 ms", "1.25 s", "2 min", "6 h". */
export function formatOffset(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (step < SECOND && ms < SECOND) return `${trim(ms, decimalsOf(step))} ms`;
  if (step < SECOND) return `${trim(ms / SECOND, decimalsOf(step / SECOND))} s`;
  if (step < MINUTE) return `${trim(ms / SECOND, 0)} s`;
  if (step < HOUR) return `${trim(ms / MINUTE, 0)} min`;
  if (step < 24 * HOUR) return `${trim(ms / HOUR, 0)} h`;
  return `${trim(ms / (24 * HOUR), 1)} d`;
}

function decimalsOf(value: number): number {
  return (String(Number(value.toPrecision(6))).split('.')[1] ?? '').length;
}

function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export const KIND_LABELS: Record<TraceNode['kind'], string> = {
  execution: 'LLM',
  agent: 'agent',
  chain: 'chain',
  tool: 'tool',
  retriever: 'retriever',
  reranker: 'reranker',
  guardrail: 'guardrail',
  evaluator: 'evaluator',
  workflow: 'workflow',
  task: 'task',
  other: 'step',
};

/** At most `size` rows: all of a short trace, else a window of them around the execution `currentId`. */
export function rowsAround(rows: readonly WaterfallRow[], currentId: string, size: number): WaterfallRow[] {
  if (rows.length <= size) return [...rows];
  const index = Math.max(
    0,
    rows.findIndex((row) => row.node.kind === 'execution' && row.node.executionId === currentId),
  );
  const start = Math.min(Math.max(0, index - Math.floor(size / 2)), rows.length - size);
  return rows.slice(start, start + size);
}
