import { describe, expect, it } from 'vitest';
import { buildTree, findStop, type TreeItem } from './tree';

/** A node started at `start` ms and ended at `end` ms (null: still running). */
function node(
  id: string,
  parentId: string | null,
  start: number,
  end: number | null,
  outcome: TreeItem['outcome'] = 'succeeded',
): TreeItem {
  return { id, parentId, startMicros: start * 1000, endMicros: end === null ? null : end * 1000, outcome };
}

const shape = (items: TreeItem[]) => buildTree(items).map(({ item, parentId, depth }) => [item.id, parentId, depth]);
const stop = (items: TreeItem[]) => findStop(buildTree(items));

describe('buildTree', () => {
  it('orders depth-first with roots and children by start time', () => {
    expect(
      shape([
        node('answer', 'agent', 50, 60),
        node('search', 'agent', 10, 40),
        node('agent', null, 0, 100),
        node('fetch', 'search', 20, 30),
        node('later-run', null, 200, 300),
      ]),
    ).toEqual([
      ['agent', null, 0],
      ['search', 'agent', 1],
      ['fetch', 'search', 2],
      ['answer', 'agent', 1],
      ['later-run', null, 0],
    ]);
  });

  it('makes a node whose parent is missing, or itself, a root', () => {
    expect(shape([node('a', 'gone', 0, 10), node('b', 'b', 5, 10), node('c', 'a', 6, 7)])).toEqual([
      ['a', null, 0],
      ['c', 'a', 1],
      ['b', null, 0],
    ]);
  });

  it('breaks a cycle of parents at its earliest node so every node is shown once', () => {
    const placed = shape([node('x', 'z', 2, 9), node('y', 'x', 3, 8), node('z', 'y', 4, 7), node('root', null, 0, 1)]);
    expect(placed).toEqual([
      ['root', null, 0],
      ['x', null, 0],
      ['y', 'x', 1],
      ['z', 'y', 2],
    ]);
  });

  it('keeps the input order of nodes that start at the same moment', () => {
    expect(shape([node('b', null, 0, 1), node('a', null, 0, 1)]).map(([id]) => id)).toEqual(['b', 'a']);
  });
});

describe('findStop', () => {
  it('is null for a run without errors', () => {
    expect(stop([node('agent', null, 0, 10), node('tool', 'agent', 1, 2)])).toBeNull();
  });

  it('picks the deepest of an error propagated up at the same moment', () => {
    expect(
      stop([
        node('agent', null, 0, 500, 'failed'),
        node('plan', 'agent', 0, 100),
        node('step', 'agent', 100, 500, 'failed'),
        node('tool', 'step', 200, 500, 'failed'),
      ]),
    ).toBe('tool');
  });

  it('picks the earliest failure over later ones it caused', () => {
    expect(
      stop([
        node('agent', null, 0, 900, 'failed'),
        node('tool', 'agent', 100, 300, 'failed'),
        node('wrap-up', 'agent', 200, 900, 'failed'),
      ]),
    ).toBe('tool');
  });

  it('does not stop at a failed attempt that a later attempt recovered', () => {
    expect(
      stop([node('draft-1', null, 0, 100, 'failed'), node('draft-2', null, 100, 300), node('send', null, 300, 400)]),
    ).toBeNull();
  });

  it('stops at the last of several failed attempts', () => {
    expect(
      stop([
        node('retrieve', null, 0, 50),
        node('draft-1', null, 50, 100, 'failed'),
        node('draft-2', null, 100, 200, 'failed'),
      ]),
    ).toBe('draft-2');
  });

  it('does not stop where a parent caught the error and finished successfully', () => {
    expect(stop([node('agent', null, 0, 500), node('tool', 'agent', 100, 200, 'failed')])).toBeNull();
  });

  it('stops under a parent that succeeded before the failure, as a REST client’s first call does', () => {
    // The planner call is the logical parent of the steps it planned, not a span around them.
    expect(
      stop([
        node('planner', null, 0, 300),
        node('lookup', 'planner', 400, 600),
        node('draft', 'planner', 600, 2500, 'failed'),
      ]),
    ).toBe('draft');
  });

  it('does not stop inside a step when the run went on after it', () => {
    expect(
      stop([
        node('run', null, 0, 1000, 'other'),
        node('step-1', 'run', 0, 400, 'other'),
        node('tool', 'step-1', 100, 300, 'failed'),
        node('step-2', 'run', 500, 900),
      ]),
    ).toBeNull();
  });

  it('stops at a failed step under a root that reported no status', () => {
    expect(
      stop([node('run', null, 0, 1000, 'other'), node('ok', 'run', 0, 100), node('tool', 'run', 100, 400, 'failed')]),
    ).toBe('tool');
  });

  it('between parallel branches that both fail, picks the one that failed first', () => {
    expect(
      stop([
        node('fan-out', null, 0, 1000, 'failed'),
        node('branch-a', 'fan-out', 10, 800, 'failed'),
        node('branch-b', 'fan-out', 10, 600, 'failed'),
      ]),
    ).toBe('branch-b');
  });
});
