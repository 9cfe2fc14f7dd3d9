import type { ExecutionSort } from '@promptlog/contracts';
import { DEFAULT_EXECUTION_SORT, EXECUTION_SORT_KEYS, EXECUTION_SORTS } from '@promptlog/contracts/rules';
import type { SearchPatch } from '../../lib/router';

/**
 * How the Logs tab lays its list out, beside the filters: the order (`sort`, as the API reads it) and the columns
 * shown (`cols`, comma-separated). Both live in the URL, so a link or a saved view keeps them; absent means default.
 */
export type SortKey = (typeof EXECUTION_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';
export type ListSort = { key: SortKey; direction: SortDirection };

export const SORT_PARAM = 'sort';
export const COLUMNS_PARAM = 'cols';

export function parseSort(search: URLSearchParams): ExecutionSort {
  const value = search.get(SORT_PARAM);
  return EXECUTION_SORTS.find((sort) => sort === value) ?? DEFAULT_EXECUTION_SORT;
}

export function sortParts(sort: ExecutionSort): ListSort {
  const key = EXECUTION_SORT_KEYS.find((candidate) => sort.startsWith(`${candidate}_`)) ?? 'time';
  return { key, direction: sort.endsWith('_asc') ? 'asc' : 'desc' };
}

function sortOf(key: SortKey, direction: SortDirection): ExecutionSort {
  return EXECUTION_SORTS.find((sort) => sort === `${key}_${direction}`) ?? DEFAULT_EXECUTION_SORT;
}

/** A header pressed: the same key turns round, another starts with its largest (newest, slowest, dearest) first. */
export function nextSort(current: ExecutionSort, pressed: string): ExecutionSort {
  const key = EXECUTION_SORT_KEYS.find((candidate) => candidate === pressed);
  if (!key) return current;
  const { key: currentKey, direction } = sortParts(current);
  if (currentKey !== key) return sortOf(key, 'desc');
  return sortOf(key, direction === 'desc' ? 'asc' : 'desc');
}

/** The URL change for a sort; a new order starts from its first page, so no cursor or open row is kept. */
export function sortPatch(sort: ExecutionSort): SearchPatch {
  return { [SORT_PARAM]: sort === DEFAULT_EXECUTION_SORT ? null : sort };
}

export function ariaSort(sort: ExecutionSort, key: SortKey): 'ascending' | 'descending' | 'none' {
  const parts = sortParts(sort);
  if (parts.key !== key) return 'none';
  return parts.direction === 'asc' ? 'ascending' : 'descending';
}

const SORT_NAMES: Record<SortKey, string> = { time: 'time', latency: 'latency', cost: 'cost', tokens: 'tokens' };
const DIRECTION_NAMES: Record<SortKey, Record<SortDirection, string>> = {
  time: { desc: 'newest first', asc: 'oldest first' },
  latency: { desc: 'slowest first', asc: 'fastest first' },
  cost: { desc: 'most expensive first', asc: 'cheapest first' },
  tokens: { desc: 'most tokens first', asc: 'fewest tokens first' },
};

/** The order in words, e.g. "latency, slowest first". */
export function describeSort(sort: ExecutionSort): string {
  const { key, direction } = sortParts(sort);
  return `${SORT_NAMES[key]}, ${DIRECTION_NAMES[key][direction]}`;
}

/** Whether new executions belong at the top of the list as it is sorted, so the "new" notice can simply show them. */
export function newRowsGoOnTop(sort: ExecutionSort): boolean {
  return sort === DEFAULT_EXECUTION_SORT;
}

/** The columns shown, in table order, from `cols`; all of `known` when absent or when it names none of them. */
export function parseColumns(search: URLSearchParams, known: readonly string[]): string[] {
  const named = new Set((search.get(COLUMNS_PARAM) ?? '').split(',').map((name) => name.trim()));
  const shown = known.filter((id) => named.has(id));
  return shown.length > 0 ? shown : [...known];
}

/** The URL change for a set of shown columns; all of them is the default, written as no param. */
export function columnsPatch(shown: readonly string[], known: readonly string[]): SearchPatch {
  const ordered = known.filter((id) => shown.includes(id));
  return { [COLUMNS_PARAM]: ordered.length === known.length || ordered.length === 0 ? null : ordered.join(',') };
}

/** Shows or hides one column; the last one shown stays, so the table never has none. */
export function toggleColumn(
  shown: readonly string[],
  id: string,
  visible: boolean,
  known: readonly string[],
): string[] {
  const next = visible ? [...shown, id] : shown.filter((column) => column !== id);
  const ordered = known.filter((column) => next.includes(column));
  return ordered.length > 0 ? ordered : [...shown];
}
