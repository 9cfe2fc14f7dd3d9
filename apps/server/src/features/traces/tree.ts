/** A node of a trace as the tree sees it; times in microseconds since the epoch. */
export interface TreeItem {
  /** Unique within the items. */
  id: string;
  /** As sent: it may name no item, or the item itself. */
  parentId: string | null;
  startMicros: number;
  /** Null while it runs. */
  endMicros: number | null;
  outcome: 'succeeded' | 'failed' | 'other';
}

export interface PlacedItem<T extends TreeItem> {
  item: T;
  /** The parent in the tree: null for a root, which includes an item whose parent is missing or in a cycle. */
  parentId: string | null;
  depth: number;
}

const byStart = <T extends TreeItem>(a: T, b: T) => a.startMicros - b.startMicros;

/**
 * The items in tree order: depth-first, roots and children each by start time (ties keep the input order).
 * Every item is placed once: one whose parent is not among the items is a root, and a cycle of parents is broken
 * at its earliest-starting item.
 */
export function buildTree<T extends TreeItem>(items: readonly T[]): PlacedItem<T>[] {
  const sorted = [...items].sort(byStart);
  const ids = new Set(sorted.map((item) => item.id));
  const children = new Map<string, T[]>();
  const roots: T[] = [];
  for (const item of sorted) {
    const { parentId } = item;
    if (parentId === null || parentId === item.id || !ids.has(parentId)) {
      roots.push(item);
      continue;
    }
    const siblings = children.get(parentId);
    if (siblings) siblings.push(item);
    else children.set(parentId, [item]);
  }

  const placed: PlacedItem<T>[] = [];
  const visited = new Set<string>();
  const walk = (root: T) => {
    const stack: PlacedItem<T>[] = [{ item: root, parentId: null, depth: 0 }];
    for (let next = stack.pop(); next; next = stack.pop()) {
      if (visited.has(next.item.id)) continue;
      visited.add(next.item.id);
      placed.push(next);
      const below = children.get(next.item.id) ?? [];
      for (let i = below.length - 1; i >= 0; i -= 1) {
        const child = below[i];
        if (child && !visited.has(child.id)) stack.push({ item: child, parentId: next.item.id, depth: next.depth + 1 });
      }
    }
  };
  for (const root of roots) walk(root);
  // What is left hangs off a cycle of parents, which no root reaches.
  for (const item of sorted) if (!visited.has(item.id)) walk(item);
  return placed;
}

/**
 * Where a failed run stopped, as TraceView.stoppedAt defines it: an error node is a stop unless the run went on
 * without it — a node at its level or an ancestor's level started at or after the moment it failed (its end, else its
 * start), or an ancestor still running then ended successfully. The stop that failed first wins; among those failing
 * at the same moment the deepest (a failure propagated up ends its ancestors at the same time); then tree order.
 */
export function findStop<T extends TreeItem>(placed: readonly PlacedItem<T>[]): string | null {
  const byId = new Map(placed.map((node) => [node.item.id, node]));
  const latestStarts = new Map<string | null, [number, number]>();
  for (const node of placed) {
    const [first, second] = latestStarts.get(node.parentId) ?? [-Infinity, -Infinity];
    const start = node.item.startMicros;
    latestStarts.set(node.parentId, start >= first ? [start, first] : [first, Math.max(second, start)]);
  }
  // The latest start among the other children of the same parent.
  const latestSiblingStart = (node: PlacedItem<T>) => {
    const [first, second] = latestStarts.get(node.parentId) ?? [-Infinity, -Infinity];
    return node.item.startMicros === first ? second : first;
  };

  const parentOf = (node: PlacedItem<T>) => (node.parentId === null ? undefined : byId.get(node.parentId));
  const wentOnWithout = (node: PlacedItem<T>, failedAt: number): boolean => {
    if (latestSiblingStart(node) >= failedAt) return true;
    for (let ancestor = parentOf(node); ancestor; ancestor = parentOf(ancestor)) {
      if (latestSiblingStart(ancestor) >= failedAt) return true;
      const { outcome, endMicros } = ancestor.item;
      if (outcome === 'succeeded' && endMicros !== null && endMicros >= failedAt) return true;
    }
    return false;
  };

  let best: { id: string; failedAt: number; depth: number; index: number } | null = null;
  for (const [index, node] of placed.entries()) {
    if (node.item.outcome !== 'failed') continue;
    const failedAt = node.item.endMicros ?? node.item.startMicros;
    if (wentOnWithout(node, failedAt)) continue;
    const better =
      !best ||
      failedAt < best.failedAt ||
      (failedAt === best.failedAt && (node.depth > best.depth || (node.depth === best.depth && index < best.index)));
    if (better) best = { id: node.item.id, failedAt, depth: node.depth, index };
  }
  return best?.id ?? null;
}
