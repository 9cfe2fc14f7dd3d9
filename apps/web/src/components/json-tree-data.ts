/**
 * What the JSON tree shows of a payload: the values that match a search, and within a size cap, whole values only.
 * Left-out values become one `Omission` per run, so a structure is never cut in the middle of a value.
 */

type Container = Record<string, unknown> | unknown[];

/**
 * Stands for values left out. A Date, because the tree viewer prints a Date as the text of `toISOString()`,
 * unquoted and coloured unlike any JSON value, so it cannot be mistaken for logged data.
 */
export class Omission extends Date {
  constructor(readonly note: string) {
    super(0);
  }

  override toISOString(): string {
    return this.note;
  }
}

export function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

function entriesOf(value: Container): [string, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

type Why = 'search' | 'cap';

function omissionOf(parent: Container, count: number, why: Why): Omission {
  const [one, many] = Array.isArray(parent) ? ['item', 'items'] : ['key', 'keys'];
  return new Omission(
    why === 'search'
      ? `… ${plural(count, one, many)} without a match`
      : `… ${plural(count, `more ${one}`, `more ${many}`)}`,
  );
}

/** An object key for an omission that no logged key uses: "…", made unique by zero-width spaces that do not show. */
function omissionKey(object: Record<string, unknown>, taken: Set<string>): string {
  let key = '…';
  while (Object.hasOwn(object, key) || taken.has(key)) key = `${key}\u200b`;
  taken.add(key);
  return key;
}

class Skipped {
  constructor(public count: number) {}
}

type Run = [string, unknown] | Skipped;

function pushSkip(runs: Run[], count = 1): void {
  const last = runs.at(-1);
  if (last instanceof Skipped) last.count += count;
  else runs.push(new Skipped(count));
}

/** The container again with an omission where each run of left-out entries was, in order. */
function withOmissions(value: Container, runs: Run[], why: Why): Container {
  if (Array.isArray(value)) {
    return runs.map((run) => (run instanceof Skipped ? omissionOf(value, run.count, why) : run[1]));
  }
  const object: Record<string, unknown> = {};
  const taken = new Set<string>();
  for (const run of runs) {
    const [key, item] = run instanceof Skipped ? [omissionKey(value, taken), omissionOf(value, run.count, why)] : run;
    // defineProperty, so a logged "__proto__" key stays a key instead of setting the prototype.
    Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

function primitiveText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** How many values (leaves and containers) a payload holds, itself included. */
export function countValues(value: unknown): number {
  if (value instanceof Omission) return 0;
  if (!isContainer(value)) return 1;
  let count = 1;
  for (const [, item] of entriesOf(value)) count += countValues(item);
  return count;
}

export type SearchResult = { value: unknown; matches: number };

/**
 * The parts of `value` where `query` occurs, case-insensitively, in a key or a value: a key that matches keeps its
 * whole value; other entries are kept only if something inside them matches. Nothing matching gives `matches: 0`.
 */
export function searchJson(value: unknown, query: string): SearchResult {
  const needle = query.trim().toLowerCase();
  if (!needle) return { value, matches: 0 };
  const visit = (node: unknown): SearchResult => {
    if (!isContainer(node)) {
      return primitiveText(node).toLowerCase().includes(needle)
        ? { value: node, matches: 1 }
        : { value: node, matches: 0 };
    }
    const runs: Run[] = [];
    let matches = 0;
    for (const [key, item] of entriesOf(node)) {
      if (!Array.isArray(node) && key.toLowerCase().includes(needle)) {
        runs.push([key, item]);
        matches += 1;
        continue;
      }
      const inner = visit(item);
      if (inner.matches > 0) {
        runs.push([key, inner.value]);
        matches += inner.matches;
      } else {
        pushSkip(runs);
      }
    }
    return { value: matches > 0 ? withOmissions(node, runs, 'search') : node, matches };
  };
  return visit(value);
}

export type CappedJson = { value: unknown; shown: number; total: number };

const OMISSION_COST = 1;

/** The cost of one entry against the cap: one per value, plus its characters (key and text) per 80, a line's worth. */
function costOf(key: string, item: unknown): number {
  const chars = key.length + (isContainer(item) ? 0 : primitiveText(item).length);
  return 1 + Math.floor(chars / 80);
}

/**
 * The values of `value` in breadth-first order, up to `budget`: the outline first, then deeper levels, each value
 * whole; one too large to fit is left out while smaller ones after it may still be shown. Each run of left-out
 * entries becomes an omission saying how many it stands for.
 */
export function capJson(value: unknown, budget: number): CappedJson {
  const total = countValues(value);
  if (!isContainer(value)) return { value, shown: 1, total };
  const keptEntries = new Map<Container, boolean[]>();
  const queue: Container[] = [value];
  let spent = 1;
  let leftOut = false;
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] as Container;
    const flags = entriesOf(node).map(([key, item]) => {
      const cost = item instanceof Omission ? OMISSION_COST : costOf(key, item);
      if (spent + cost > budget) {
        leftOut = true;
        return false;
      }
      spent += cost;
      if (isContainer(item)) queue.push(item);
      return true;
    });
    keptEntries.set(node, flags);
  }
  if (!leftOut) return { value, shown: total, total };

  // A container whose entries were all left out says nothing its parent's omission could not: it joins it.
  const isShell = (item: unknown) =>
    isContainer(item) && entriesOf(item).length > 0 && !(keptEntries.get(item) ?? []).some(Boolean);
  let shown = 1;
  const build = (node: Container): Container => {
    const flags = keptEntries.get(node) ?? [];
    const runs: Run[] = [];
    for (const [index, [key, item]] of entriesOf(node).entries()) {
      if (!flags[index] || isShell(item)) {
        pushSkip(runs);
        continue;
      }
      if (!(item instanceof Omission)) shown += 1;
      runs.push([key, isContainer(item) ? build(item) : item]);
    }
    return withOmissions(node, runs, 'cap');
  };
  return { value: build(value), shown, total };
}
