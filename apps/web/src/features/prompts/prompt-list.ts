import type { PromptSummary } from '@promptlog/contracts';
import type { SearchPatch } from '../../lib/router';

/** The Prompts page's sortable columns, as the URL names them (`?sort=cost&order=asc`). */
export const PROMPT_SORT_KEYS = ['name', 'lastRun', 'runs', 'errorRate', 'cost', 'p95'] as const;
export type PromptSortKey = (typeof PROMPT_SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

/** The list as the URL describes it: the search typed and the sort chosen. */
export type PromptListView = { q: string; sort: PromptSortKey; order: SortOrder };

export const DEFAULT_VIEW: PromptListView = { q: '', sort: 'lastRun', order: 'desc' };

/** A name reads A to Z first; every measure the largest first. */
export const FIRST_ORDER: Record<PromptSortKey, SortOrder> = {
  name: 'asc',
  lastRun: 'desc',
  runs: 'desc',
  errorRate: 'desc',
  cost: 'desc',
  p95: 'desc',
};

function isSortKey(value: string | null): value is PromptSortKey {
  return (PROMPT_SORT_KEYS as readonly (string | null)[]).includes(value);
}

export function parsePromptListView(search: URLSearchParams): PromptListView {
  const sortParam = search.get('sort');
  const sort = isSortKey(sortParam) ? sortParam : DEFAULT_VIEW.sort;
  const orderParam = search.get('order');
  const order = orderParam === 'asc' || orderParam === 'desc' ? orderParam : FIRST_ORDER[sort];
  return { q: search.get('q') ?? '', sort, order };
}

/** The URL keys of a sort; the default one leaves them out, so the plain page keeps its plain address. */
export function sortPatch(sort: PromptSortKey, order: SortOrder): SearchPatch {
  if (sort === DEFAULT_VIEW.sort && order === DEFAULT_VIEW.order) return { sort: null, order: null };
  return { sort, order: order === FIRST_ORDER[sort] ? null : order };
}

/** A header pressed: the sorted column turns around, another one starts in its own first order. */
export function nextSort(view: PromptListView, key: PromptSortKey): { sort: PromptSortKey; order: SortOrder } {
  if (view.sort !== key) return { sort: key, order: FIRST_ORDER[key] };
  return { sort: key, order: view.order === 'asc' ? 'desc' : 'asc' };
}

/** The prompts whose id contains every word typed, ignoring case. */
export function filterPrompts<T extends Pick<PromptSummary, 'id'>>(prompts: readonly T[], q: string): readonly T[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return prompts;
  return prompts.filter((prompt) => {
    const id = prompt.id.toLowerCase();
    return words.every((word) => id.includes(word));
  });
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?$/;

/** Compares two decimal strings exactly (costs keep 15 decimals, more than a double holds). */
export function compareDecimals(a: string, b: string): number {
  const [x, y] = [DECIMAL.exec(a.trim()), DECIMAL.exec(b.trim())];
  if (!x || !y) return Number(a) - Number(b);
  const parts = (match: RegExpExecArray) => ({
    negative: match[1] === '-',
    whole: (match[2] ?? '').replace(/^0+/, ''),
    fraction: (match[3] ?? '').replace(/0+$/, ''),
  });
  const [p, q] = [parts(x), parts(y)];
  const zero = (part: typeof p) => part.whole === '' && part.fraction === '';
  const sign = (part: typeof p) => (zero(part) ? 0 : part.negative ? -1 : 1);
  if (sign(p) !== sign(q)) return sign(p) - sign(q);
  const width = Math.max(p.fraction.length, q.fraction.length);
  const [m, n] = [`${p.whole}${p.fraction.padEnd(width, '0')}`, `${q.whole}${q.fraction.padEnd(width, '0')}`];
  const magnitude = p.whole.length !== q.whole.length ? p.whole.length - q.whole.length : m < n ? -1 : m > n ? 1 : 0;
  return sign(p) < 0 ? -Math.sign(magnitude) : Math.sign(magnitude);
}

type Sortable = Pick<PromptSummary, 'id' | 'lastRunAt' | 'runs24h' | 'errorRate24h' | 'costUsd24h' | 'p95LatencyMs24h'>;

type Value = string | number;

function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
}

/** Each key's value (null: not there) and how two present values compare, ascending. */
const KEYS: Record<PromptSortKey, { value: (p: Sortable) => Value | null; compare: (a: Value, b: Value) => number }> = {
  name: { value: (p) => p.id, compare: compareValues },
  lastRun: { value: (p) => (p.lastRunAt ? Date.parse(p.lastRunAt) : null), compare: compareValues },
  runs: { value: (p) => p.runs24h, compare: compareValues },
  errorRate: { value: (p) => p.errorRate24h, compare: compareValues },
  cost: { value: (p) => p.costUsd24h, compare: (a, b) => compareDecimals(String(a), String(b)) },
  p95: { value: (p) => p.p95LatencyMs24h, compare: compareValues },
};

const byId = (a: Sortable, b: Sortable) => compareValues(a.id, b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The prompts in the order chosen. Prompts without the value (never run, unpriced, no runs in 24 hours) come last
 * in either direction, as the list is about what happened; ties keep the name order.
 */
export function sortPrompts<T extends Sortable>(prompts: readonly T[], sort: PromptSortKey, order: SortOrder): T[] {
  const { value, compare } = KEYS[sort];
  const direction = order === 'asc' ? 1 : -1;
  return [...prompts].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      return byId(a, b);
    }
    const compared = compare(x, y);
    return compared !== 0 ? compared * direction : byId(a, b);
  });
}

/** Sorts and filters as the view says. */
export function promptsInView<T extends Sortable>(prompts: readonly T[], view: PromptListView): T[] {
  return sortPrompts(filterPrompts(prompts, view.q), view.sort, view.order);
}
