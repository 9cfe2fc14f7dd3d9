import type {
  AnalyticsFilters,
  AnalyticsSummary,
  Breakdown,
  BreakdownItem,
  BreakdownQuery,
  Measures,
  Timeseries,
  TimeseriesQuery,
} from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { AppError } from '../../errors';
import { EMPTY_SUMS, type Histogram, type RollupSums, toMeasures } from './measures';
import { DIMENSION_SQL, type Slice, selectBucketStarts, selectSums } from './queries';

const HOUR_MS = 3_600_000;
const MAX_BUCKETS = 24 * 400;

/** The window rounded out to whole hours (the rollups' grain); the last 24 hours by default. */
export function resolveWindow(filters: AnalyticsFilters, now = Date.now()): { from: string; to: string } {
  const to = filters.to ? Date.parse(filters.to) : now;
  const from = filters.from ? Date.parse(filters.from) : to - 24 * HOUR_MS;
  if (from >= to) {
    throw new AppError('validation_failed', 'Invalid window', [{ path: 'from', message: 'must be before to' }]);
  }
  return {
    from: new Date(Math.floor(from / HOUR_MS) * HOUR_MS).toISOString(),
    to: new Date(Math.ceil(to / HOUR_MS) * HOUR_MS).toISOString(),
  };
}

function slice(projectIds: string[], filters: AnalyticsFilters): Slice {
  return { projectIds, filters, ...resolveWindow(filters) };
}

function histogramOf(rows: { bucket: number; count: number }[]): Histogram {
  const histogram: Histogram = new Map();
  for (const row of rows)
    histogram.set(Number(row.bucket), (histogram.get(Number(row.bucket)) ?? 0) + Number(row.count));
  return histogram;
}

export async function summarize(
  handle: DatabaseHandle,
  projectIds: string[],
  filters: AnalyticsFilters,
): Promise<AnalyticsSummary> {
  const { sums, buckets } = await selectSums(handle, slice(projectIds, filters), {});
  const [row] = sums;
  return toMeasures(row && Number(row.calls) > 0 ? row : EMPTY_SUMS, histogramOf(buckets));
}

function assertTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new AppError('validation_failed', 'Unknown time zone', [
      { path: 'tz', message: `"${tz}" is not an IANA time zone such as Europe/Paris or UTC` },
    ]);
  }
}

/** Groups rows by a key, keeping sums and histograms side by side. */
function collect<R extends RollupSums, B extends { bucket: number; count: number }>(
  sums: R[],
  buckets: B[],
  keyOf: (row: R | B) => string,
): Map<string, { sums: RollupSums; histogram: Histogram }> {
  const groups = new Map<string, { sums: RollupSums; histogram: Histogram }>();
  for (const row of sums) groups.set(keyOf(row), { sums: row, histogram: new Map() });
  for (const row of buckets) {
    const group = groups.get(keyOf(row));
    if (group) group.histogram.set(Number(row.bucket), Number(row.count));
  }
  return groups;
}

/** Every bucket of the window in the time zone, empty ones as zero calls (and null cost, not zero). */
export async function timeseries(
  handle: DatabaseHandle,
  projectIds: string[],
  query: TimeseriesQuery,
): Promise<Timeseries> {
  assertTimeZone(query.tz);
  const window = slice(projectIds, query);
  const starts = await selectBucketStarts(handle, query.interval, query.tz, window.from, window.to);
  if (starts.length > MAX_BUCKETS) {
    throw new AppError('validation_failed', 'Too many buckets', [
      {
        path: 'interval',
        message: `the window has ${starts.length} ${query.interval}s; use interval=day or a shorter window`,
      },
    ]);
  }
  const bucketStart = `to_char(date_trunc($x2::text, hour, $x1::text) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const extra = [query.tz, query.interval];
  const pointsOf = (groups: Map<string, { sums: RollupSums; histogram: Histogram }>, prefix: string) =>
    starts.map((start) => {
      const group = groups.get(`${prefix}${start}`);
      return { start, ...toMeasures(group?.sums ?? EMPTY_SUMS, group?.histogram ?? new Map()) };
    });

  const overall = await selectSums(handle, window, { start: bucketStart }, extra);
  const points = pointsOf(
    collect(overall.sums, overall.buckets, (row) => String(row.start)),
    '',
  );
  if (!query.by) return { points };

  const column = DIMENSION_SQL[query.by];
  const split = await selectSums(handle, window, { start: bucketStart, key: column }, extra, [column]);
  const groups = collect(split.sums, split.buckets, (row) => `${row.key}|${row.start}`);
  const keys = [...new Set(split.sums.map((row) => String(row.key)))].sort();
  return {
    points,
    series: keys.map((key) => ({ key: key === '' ? null : key, points: pointsOf(groups, `${key}|`) })),
  };
}

type SortKey = BreakdownQuery['sort'];

function sortValue(item: Measures, key: SortKey): number | null {
  const value = item[key];
  return value === null ? null : Number(value);
}

/** Measures per value of one dimension, sorted by any measure (nulls last). */
export async function breakdown(
  handle: DatabaseHandle,
  projectIds: string[],
  query: BreakdownQuery,
): Promise<Breakdown> {
  const column = DIMENSION_SQL[query.by];
  const groupsSql: Record<string, string> = { key: `${column}::text` };
  if (query.by === 'prompt') groupsSql.project = 'project_id::text';
  const window = slice(projectIds, query);
  const { sums, buckets } = await selectSums<string>(handle, window, groupsSql, [], [column]);
  // Models per group come from the finest table; a breakdown by prompt or model does without them.
  const models =
    query.by === 'prompt' || query.by === 'model'
      ? { sums: [] }
      : await selectSums<string>(handle, window, { ...groupsSql, model: 'model' }, [], [column, 'model']);
  const keyOf = (row: Record<string, unknown>) => `${row.project ?? ''}|${row.key}`;
  const modelsByKey = new Map<string, string[]>();
  for (const row of models.sums) {
    if (Number(row.calls) === 0) continue;
    modelsByKey.set(keyOf(row), [...(modelsByKey.get(keyOf(row)) ?? []), String(row.model)]);
  }
  const groups = collect(sums, buckets, keyOf);
  const items: BreakdownItem[] = [...groups]
    .filter(([, group]) => Number(group.sums.calls) !== 0)
    .map(([key, group]) => {
      const [project, value] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
      const absent = value === '' || (query.by === 'version' && value === '0');
      return {
        key: absent ? null : value,
        models: (modelsByKey.get(key) ?? []).sort(),
        ...(project ? { projectId: project } : {}),
        ...toMeasures(group.sums, group.histogram),
      };
    });
  const direction = query.order === 'asc' ? 1 : -1;
  items.sort((a, b) => {
    const [x, y] = [sortValue(a, query.sort), sortValue(b, query.sort)];
    if (x === y) return String(a.key).localeCompare(String(b.key));
    if (x === null) return 1;
    if (y === null) return -1;
    return (x - y) * direction;
  });
  return { items: items.slice(0, query.limit) };
}
