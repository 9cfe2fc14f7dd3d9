import { parseFilters } from '../logs/filters';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const ANALYTICS_RANGES = [
  { value: '24h', label: 'Last 24 hours', ms: DAY_MS },
  { value: '7d', label: 'Last 7 days', ms: 7 * DAY_MS },
  { value: '30d', label: 'Last 30 days', ms: 30 * DAY_MS },
  { value: 'custom', label: 'Custom…', ms: null },
] as const;
export type AnalyticsRange = (typeof ANALYTICS_RANGES)[number]['value'];

export const INTERVAL_CHOICES = ['auto', 'hour', 'day'] as const;
export type IntervalChoice = (typeof INTERVAL_CHOICES)[number];
export type Interval = 'hour' | 'day';

/** The analytics view of the page URL: the same keys as the Logs tab, so switching tabs keeps the slice. */
export type AnalyticsView = {
  range: AnalyticsRange;
  from: string;
  to: string;
  source: string[];
  status: string[];
  version: string[];
  interval: IntervalChoice;
};

export function parseAnalyticsView(search: URLSearchParams): AnalyticsView {
  const logs = parseFilters(search);
  // The Logs tab's "All time" has no analytics equivalent: rollups need a window, so it reads as 30 days.
  const range: AnalyticsRange = logs.range === 'all' ? '30d' : logs.range;
  const interval = search.get('interval');
  return {
    range,
    from: logs.from,
    to: logs.to,
    source: logs.source,
    status: logs.status,
    version: logs.version,
    interval: interval === 'hour' || interval === 'day' ? interval : 'auto',
  };
}

export type ResolvedWindow = { from: string; to: string; interval: Interval; tz: string };

/**
 * The window to ask for. Relative ranges end at the next whole hour (the rollups' grain), so the
 * query key stays the same for an hour instead of changing every render.
 */
export function resolveWindow(view: AnalyticsView, now: number, tz: string): ResolvedWindow {
  const end = Math.ceil(now / HOUR_MS) * HOUR_MS;
  let toMs = end;
  let fromMs = end - DAY_MS;
  if (view.range === 'custom') {
    const to = Date.parse(view.to);
    const from = Date.parse(view.from);
    toMs = Number.isNaN(to) ? end : to;
    fromMs = Number.isNaN(from) || from >= toMs ? toMs - DAY_MS : from;
  } else {
    const preset = ANALYTICS_RANGES.find((range) => range.value === view.range);
    fromMs = end - (preset?.ms ?? DAY_MS);
  }
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    interval: chooseInterval(view.interval, toMs - fromMs),
    tz,
  };
}

/** Hourly buckets up to two days, daily beyond, unless the reader chose. */
export function chooseInterval(choice: IntervalChoice, spanMs: number): Interval {
  if (choice !== 'auto') return choice;
  return spanMs <= 2 * DAY_MS ? 'hour' : 'day';
}

export type ApiScope = { promptId?: string; allProjects?: boolean };

/** The query string shared by summary, timeseries and breakdown requests. */
export function analyticsParams(scope: ApiScope, view: AnalyticsView, window: ResolvedWindow): URLSearchParams {
  const params = new URLSearchParams();
  if (scope.promptId) params.set('promptId', scope.promptId);
  if (scope.allProjects) params.set('allProjects', 'true');
  params.set('from', window.from);
  params.set('to', window.to);
  for (const value of view.source) params.append('source', value);
  for (const value of view.status) params.append('status', value);
  for (const value of view.version) params.append('version', value);
  return params;
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Where a bucket ends: the next bucket's start (a local day may last 23 or 25 hours), else one interval on. */
export function bucketEnd(starts: readonly string[], index: number, interval: Interval, windowTo: string): string {
  const next = starts[index + 1];
  if (next) return next;
  const start = Date.parse(starts[index] ?? windowTo);
  const end = start + (interval === 'hour' ? HOUR_MS : DAY_MS);
  return new Date(Math.min(end, Math.max(Date.parse(windowTo), start + HOUR_MS))).toISOString();
}

export type Drill = { from?: string; to?: string; model?: string; status?: 'error' };

/** The URL patch that opens the Logs tab on one slice of a chart; the other filters stay as they are. */
export function drillPatch(drill: Drill, window: ResolvedWindow): Record<string, string | string[] | null> {
  return {
    tab: null,
    interval: null,
    range: 'custom',
    from: drill.from ?? window.from,
    to: drill.to ?? window.to,
    ...(drill.model ? { model: [drill.model] } : {}),
    ...(drill.status ? { status: [drill.status] } : {}),
  };
}
