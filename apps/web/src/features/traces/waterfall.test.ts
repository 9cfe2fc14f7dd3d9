import type { TraceNode } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { ancestorIds, axisLength, axisTicks, barFor, rowsAround, waterfallRows } from './waterfall';

function step(id: string, parentId: string | null, depth: number, offsetMs: number, durationMs: number | null) {
  return {
    id,
    parentId,
    depth,
    kind: 'tool',
    name: id,
    startedAt: '2026-11-20T12:00:00.000000Z',
    endedAt: durationMs === null ? null : '2026-11-20T12:00:01.000000Z',
    durationMs,
    offsetMs,
    status: 'ok',
    serviceName: null,
    payloadHidden: false,
  } satisfies TraceNode;
}

// agent ─┬─ search ── fetch
//        └─ answer
// later
const NODES = [
  step('agent', null, 0, 0, 1000),
  step('search', 'agent', 1, 100, 400),
  step('fetch', 'search', 2, 150, 100),
  step('answer', 'agent', 1, 600, 400),
  step('later', null, 0, 1500, null),
];

describe('waterfallRows', () => {
  it('shows every node in tree order with its place on the time axis', () => {
    const rows = waterfallRows(NODES, new Set(), 2000);
    expect(rows.map((row) => [row.node.id, row.hasChildren, row.expanded])).toEqual([
      ['agent', true, true],
      ['search', true, true],
      ['fetch', false, false],
      ['answer', false, false],
      ['later', false, false],
    ]);
    expect(rows.map((row) => row.bar)).toEqual([
      { left: 0, width: 50, running: false },
      { left: 5, width: 20, running: false },
      { left: 7.5, width: 5, running: false },
      { left: 30, width: 20, running: false },
      // Still running: drawn to the end of the axis.
      { left: 75, width: 25, running: true },
    ]);
  });

  it('hides the whole subtree of a collapsed node and nothing after it', () => {
    expect(waterfallRows(NODES, new Set(['agent']), 2000).map((row) => [row.node.id, row.expanded])).toEqual([
      ['agent', false],
      ['later', false],
    ]);
    expect(waterfallRows(NODES, new Set(['search']), 2000).map((row) => row.node.id)).toEqual([
      'agent',
      'search',
      'answer',
      'later',
    ]);
  });
});

describe('barFor', () => {
  it('keeps an instant step visible and inside the axis', () => {
    expect(barFor({ offsetMs: 1000, durationMs: 0 }, 1000)).toEqual({ left: 99.6, width: 0.4, running: false });
    expect(barFor({ offsetMs: 0, durationMs: 0 }, 1000)).toEqual({ left: 0, width: 0.4, running: false });
  });
});

describe('axisLength', () => {
  it('is the trace duration, or the latest known end while steps run past it', () => {
    expect(axisLength({ durationMs: 2000, nodes: NODES })).toBe(2000);
    expect(axisLength({ durationMs: null, nodes: NODES })).toBe(1500);
    expect(axisLength({ durationMs: 0, nodes: [step('instant', null, 0, 0, 0)] })).toBe(1);
  });
});

describe('axisTicks', () => {
  it.each([
    [2000, ['0', '500 ms', '1 s', '1.5 s', '2 s']],
    [1100, ['0', '250 ms', '500 ms', '750 ms', '1 s']],
    [12_300, ['0', '5 s', '10 s']],
    [0.9, ['0', '0.2 ms', '0.4 ms', '0.6 ms', '0.8 ms']],
    [7.5, ['0', '2 ms', '4 ms', '6 ms']],
    [95_000, ['0', '20 s', '40 s', '60 s', '80 s']],
    [40 * 60_000, ['0', '10 min', '20 min', '30 min', '40 min']],
  ])('puts round ticks across %s ms', (axis, labels) => {
    const ticks = axisTicks(axis);
    expect(ticks.map((tick) => tick.label)).toEqual(labels);
    expect(ticks.every((tick) => tick.percent >= 0 && tick.percent <= 100)).toBe(true);
  });
});

describe('ancestorIds', () => {
  it('lists what to expand to show a node, nearest first', () => {
    expect(ancestorIds(NODES, 'fetch')).toEqual(['search', 'agent']);
    expect(ancestorIds(NODES, 'later')).toEqual([]);
  });
});

describe('rowsAround', () => {
  function call(index: number) {
    const executionId = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    return {
      ...step(`call-${index}`, null, 0, index * 10, 5),
      kind: 'execution',
      status: 'success',
      executionId,
      promptId: 'reply',
      promptVersion: null,
      model: 'acme-llm',
      provider: null,
      costUsd: null,
      costOrigin: 'none',
      inputTokens: null,
      outputTokens: null,
      errorType: null,
      stepType: null,
      attempt: null,
    } satisfies TraceNode;
  }
  const nodes = Array.from({ length: 40 }, (_, i) => call(i));
  const rows = waterfallRows(nodes, new Set(), axisLength({ durationMs: 400, nodes }));
  const names = (shown: ReturnType<typeof rowsAround>) => shown.map((row) => row.node.name);

  it('keeps a short trace whole', () => {
    expect(rowsAround(rows.slice(0, 10), call(3).executionId, 25)).toHaveLength(10);
  });

  it('centres a long trace on the execution, without running past either end', () => {
    expect(names(rowsAround(rows, call(20).executionId, 10))).toEqual(
      Array.from({ length: 10 }, (_, i) => `call-${15 + i}`),
    );
    expect(names(rowsAround(rows, call(1).executionId, 10))[0]).toBe('call-0');
    expect(names(rowsAround(rows, call(39).executionId, 10)).at(-1)).toBe('call-39');
    expect(rowsAround(rows, 'not-in-the-trace', 10)[0]?.node.name).toBe('call-0');
  });
});
