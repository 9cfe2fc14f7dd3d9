import {
  EXECUTION_STATUSES,
  OUTPUT_SIGNALS,
  REVIEW_RATINGS,
  REVIEWED_FILTER_VALUES,
  SOURCE_TYPES,
} from '@promptlog/contracts/rules';
import type { SearchPatch } from '../../lib/router';

export const STATUSES = EXECUTION_STATUSES;
export const SOURCES = SOURCE_TYPES;
export const SIGNALS = OUTPUT_SIGNALS;

export const TIME_RANGES = [
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
  { value: 'all', label: 'All time', ms: null },
  { value: 'custom', label: 'Custom…', ms: null },
] as const;
export type TimeRange = (typeof TIME_RANGES)[number]['value'];
export const DEFAULT_RANGE: TimeRange = '7d';

/** Filters that may hold several values: OR within one, AND across them, as the API reads them. */
export const LIST_FILTERS = [
  'status',
  'source',
  'version',
  'model',
  'tag',
  'conversation',
  'signal',
  'rating',
  'label',
] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** `reviewed=true`: executions someone reviewed; `false`: those nobody has; absent: either. */
export type ReviewedFilter = (typeof REVIEWED_FILTER_VALUES)[number];
const LABEL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type MetaFilter = { key: string; value: string };

export type LogFilters = Record<ListFilter, string[]> & {
  meta: MetaFilter[];
  reviewed: ReviewedFilter | null;
  q: string;
  range: TimeRange;
  /** ISO bounds of a custom range: from inclusive, to exclusive. */
  from: string;
  to: string;
};

const META_PREFIX = 'meta.';

function isTimeRange(value: string | null): value is TimeRange {
  return TIME_RANGES.some((range) => range.value === value);
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

/** Reads the filters from a page URL's search params; unknown values are dropped. */
export function parseFilters(search: URLSearchParams): LogFilters {
  const range = search.get('range');
  const meta: MetaFilter[] = [];
  for (const [name, value] of search) {
    if (name.startsWith(META_PREFIX) && name.length > META_PREFIX.length && value !== '') {
      meta.push({ key: name.slice(META_PREFIX.length), value });
    }
  }
  return {
    status: unique(search.getAll('status')).filter((value) => (STATUSES as readonly string[]).includes(value)),
    source: unique(search.getAll('source')).filter((value) => (SOURCES as readonly string[]).includes(value)),
    version: unique(search.getAll('version')).filter((value) => /^\d+$/.test(value)),
    model: unique(search.getAll('model')),
    tag: unique(search.getAll('tag')),
    conversation: unique(search.getAll('conversation')),
    signal: unique(search.getAll('signal')).filter((value) => (SIGNALS as readonly string[]).includes(value)),
    rating: unique(search.getAll('rating')).filter((value) => (REVIEW_RATINGS as readonly string[]).includes(value)),
    label: unique(search.getAll('label')).filter((value) => LABEL_ID.test(value)),
    meta,
    reviewed: REVIEWED_FILTER_VALUES.find((value) => value === search.get('reviewed')) ?? null,
    q: search.get('q')?.trim() ?? '',
    range: isTimeRange(range) ? range : DEFAULT_RANGE,
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
  };
}

/**
 * The patch that writes `filters` into the page URL. `current` is needed to remove metadata keys
 * that are no longer filtered on. The cursor is not kept: a changed filter starts from the top.
 */
export function filtersToSearchPatch(filters: LogFilters, current: URLSearchParams): SearchPatch {
  const patch: SearchPatch = {};
  for (const name of current.keys()) if (name.startsWith(META_PREFIX)) patch[name] = null;
  for (const key of LIST_FILTERS) patch[key] = filters[key];
  for (const { key, value } of filters.meta) {
    const name = `${META_PREFIX}${key}`;
    const previous = patch[name];
    patch[name] = Array.isArray(previous) ? [...previous, value] : [value];
  }
  patch.reviewed = filters.reviewed;
  patch.q = filters.q || null;
  patch.range = filters.range === DEFAULT_RANGE ? null : filters.range;
  patch.from = filters.range === 'custom' ? filters.from || null : null;
  patch.to = filters.range === 'custom' ? filters.to || null : null;
  return patch;
}

/** The API's name for a filter the page URL names more briefly. */
const API_PARAM: Partial<Record<ListFilter, string>> = { conversation: 'conversationId' };

/** The query string for GET /api/v1/executions, with a relative range resolved against `now`. */
export function toApiParams(promptId: string, filters: LogFilters, now: number): URLSearchParams {
  const params = new URLSearchParams();
  params.set('promptId', promptId);
  for (const key of LIST_FILTERS) for (const value of filters[key]) params.append(API_PARAM[key] ?? key, value);
  for (const { key, value } of filters.meta) params.append(`${META_PREFIX}${key}`, value);
  if (filters.reviewed) params.set('reviewed', filters.reviewed);
  if (filters.q) params.set('q', filters.q);
  const bounds = timeBounds(filters, now);
  if (bounds.from) params.set('from', bounds.from);
  if (bounds.to) params.set('to', bounds.to);
  return params;
}

export function timeBounds(filters: LogFilters, now: number): { from?: string; to?: string } {
  if (filters.range === 'custom') {
    return { from: validIso(filters.from), to: validIso(filters.to) };
  }
  const range = TIME_RANGES.find((candidate) => candidate.value === filters.range);
  if (!range?.ms) return {};
  return { from: new Date(now - range.ms).toISOString() };
}

function validIso(value: string): string | undefined {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : undefined;
}

/**
 * The Review select: any, reviewed or not, or a rating (which implies reviewed). A choice replaces the others; ratings
 * picked together in the URL show as chips and as "Any" here.
 */
export const REVIEW_CHOICES = [
  { value: '', label: 'Any' },
  { value: 'true', label: 'Reviewed' },
  { value: 'false', label: 'Not reviewed' },
  { value: 'up', label: 'Thumbs up' },
  { value: 'down', label: 'Thumbs down' },
] as const;
export type ReviewChoice = (typeof REVIEW_CHOICES)[number]['value'];

export function reviewChoiceOf(filters: LogFilters): ReviewChoice {
  const [rating, ...more] = filters.rating;
  if (more.length === 0 && (rating === 'up' || rating === 'down')) return rating;
  return filters.rating.length === 0 ? (filters.reviewed ?? '') : '';
}

export function withReviewChoice(filters: LogFilters, choice: ReviewChoice): LogFilters {
  if (choice === 'up' || choice === 'down') return { ...filters, reviewed: null, rating: [choice] };
  return { ...filters, reviewed: choice || null, rating: [] };
}

export type FilterValue =
  | { key: ListFilter; value: string }
  | { key: 'meta'; value: MetaFilter }
  | { key: 'reviewed'; value: ReviewedFilter };

/** Adds one value to a filter, as clicking a model or tag does; adding a present value changes nothing. */
export function addFilter(filters: LogFilters, filter: FilterValue): LogFilters {
  if (filter.key === 'meta') {
    const { key, value } = filter.value;
    if (filters.meta.some((entry) => entry.key === key && entry.value === value)) return filters;
    return { ...filters, meta: [...filters.meta, { key, value }] };
  }
  if (filter.key === 'reviewed') return { ...filters, reviewed: filter.value };
  if (filters[filter.key].includes(filter.value)) return filters;
  return { ...filters, [filter.key]: [...filters[filter.key], filter.value] };
}

export function removeFilter(filters: LogFilters, filter: FilterValue): LogFilters {
  if (filter.key === 'meta') {
    const { key, value } = filter.value;
    return { ...filters, meta: filters.meta.filter((entry) => entry.key !== key || entry.value !== value) };
  }
  if (filter.key === 'reviewed') return { ...filters, reviewed: null };
  return { ...filters, [filter.key]: filters[filter.key].filter((value) => value !== filter.value) };
}

export function clearFilters(filters: LogFilters): LogFilters {
  return {
    ...filters,
    status: [],
    source: [],
    version: [],
    model: [],
    tag: [],
    conversation: [],
    signal: [],
    rating: [],
    label: [],
    meta: [],
    reviewed: null,
    q: '',
  };
}

export function activeFilters(filters: LogFilters): FilterValue[] {
  return [
    ...LIST_FILTERS.flatMap((key) => filters[key].map((value) => ({ key, value }))),
    ...filters.meta.map((value) => ({ key: 'meta' as const, value })),
    ...(filters.reviewed ? [{ key: 'reviewed' as const, value: filters.reviewed }] : []),
  ];
}

export function hasActiveFilters(filters: LogFilters): boolean {
  return activeFilters(filters).length > 0 || filters.q !== '';
}

/** Parses "key=value" as typed into the metadata filter; the key is everything before the first "=". */
export function parseMetaInput(text: string): MetaFilter | null {
  const index = text.indexOf('=');
  if (index <= 0) return null;
  const key = text.slice(0, index).trim();
  const value = text.slice(index + 1).trim();
  if (!key || !value || /\s/.test(key)) return null;
  return { key, value };
}

/** A stable identity for the query key: the range token, not the resolved timestamps. */
export function filtersKey(filters: LogFilters): string {
  return toApiParams('', filters, 0).toString() + (filters.range === 'custom' ? '' : `&range=${filters.range}`);
}

/**
 * Whether a newly created execution could show up under these filters, judged from what its event carries
 * (its status), so the "new executions" count does not announce rows the reader has filtered out.
 */
/** What a live event says about an execution; absent fields never rule it out. */
export interface LiveExecution {
  status: string;
  source?: string | null;
  version?: number | null;
  model?: string | null;
  tags?: string[];
  conversationId?: string | null;
}

/**
 * Whether a new execution belongs in the filtered view. Metadata, signals and text search cannot be checked
 * from an event, so with those filters it may still be counted and then not shown. A new execution has no review yet.
 */
export function mightMatch(execution: LiveExecution, filters: LogFilters, now: number): boolean {
  if (filters.reviewed === 'true' || filters.rating.length > 0 || filters.label.length > 0) return false;
  const excludedBy = (selected: string[], value: string | null | undefined) =>
    selected.length > 0 && value !== null && value !== undefined && !selected.includes(value);
  if (excludedBy(filters.status, execution.status)) return false;
  if (excludedBy(filters.source, execution.source)) return false;
  if (excludedBy(filters.model, execution.model)) return false;
  if (filters.version.length > 0 && !filters.version.includes(String(execution.version ?? ''))) return false;
  if (filters.tag.length > 0 && execution.tags && !execution.tags.some((tag) => filters.tag.includes(tag)))
    return false;
  if (filters.range === 'custom' && filters.to && Date.parse(filters.to) <= now) return false;
  if (filters.conversation.length > 0 && execution.conversationId !== undefined) {
    return execution.conversationId !== null && filters.conversation.includes(execution.conversationId);
  }
  return true;
}

/** How long typing in the search box pauses before the search runs; Enter runs it at once. */
export const SEARCH_DEBOUNCE_MS = 300;

export type SearchUpdate = { apply: false } | { apply: true; q: string; delayMs: number; replace: boolean };

/**
 * What a change in the search box asks of the URL: nothing while it holds the search already applied, else the
 * search after a pause in typing, or at once on Enter. A run of typing adds one history entry and its later searches
 * replace it, so Back leaves the search rather than undoing a keystroke.
 */
export function searchUpdate(
  typed: string,
  applied: string,
  via: 'typing' | 'enter',
  entryAdded: boolean,
): SearchUpdate {
  const q = typed.trim();
  if (q === applied) return { apply: false };
  return { apply: true, q, delayMs: via === 'enter' ? 0 : SEARCH_DEBOUNCE_MS, replace: entryAdded };
}

/** Whether two lists' `filtersKey`s differ in the search text alone, so the older rows may stand in while it runs. */
export function differsOnlyInSearch(previousKey: string, key: string): boolean {
  const withoutSearch = (value: string) => {
    const params = new URLSearchParams(value);
    params.delete('q');
    return params.toString();
  };
  return previousKey !== key && withoutSearch(previousKey) === withoutSearch(key);
}

/** Where a text search stands, as the list query tells it. */
export interface SearchProgress {
  q: string;
  /** A new search is running; any rows shown are the previous search's. */
  searching: boolean;
  /** The search reads further back for more matches. */
  searchingFurther: boolean;
  /** When the search last answered (ms since the epoch). */
  searchedAt: number;
  /** The oldest execution read, when the search stopped before the end of the time range. */
  through?: string;
  matches: number;
  /** More matches load as the list scrolls. */
  more: boolean;
}

const matchCount = (count: number) => (count === 0 ? 'no matches' : count === 1 ? '1 match' : `${count} matches`);

/** The search's state in a sentence: running, or when it ran and how far back it read. Null without a search. */
export function describeSearch(
  progress: SearchProgress,
  format: { time: (ms: number) => string; dateTime: (iso: string) => string },
): string | null {
  const { q, matches } = progress;
  if (!q) return null;
  if (progress.searching) return `Searching for “${q}”…`;
  if (progress.searchingFurther) return `Searching further back for “${q}”…`;
  if (!progress.searchedAt) return null;
  const at = `Searched at ${format.time(progress.searchedAt)}`;
  if (progress.through) {
    return `${at}: ${matchCount(matches)} back to ${format.dateTime(progress.through)}; older executions not searched yet`;
  }
  if (progress.more) return `${at}: the newest ${matchCount(matches)}; more load as you scroll`;
  return `${at}: ${matchCount(matches)} in the whole time range`;
}
