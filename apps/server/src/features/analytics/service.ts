import type {
  AnalyticsFilters,
  AnalyticsSummary,
  Breakdown,
  BreakdownItem,
  BreakdownQuery,
  Measures,
  Timeseries,
  TimeseriesQuery,
  VersionComparison,
  VersionComparisonQuery,
} from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { COMPARISON_ALPHA, COMPARISON_CONFIDENCE, compareSides, PER_CALL_MEANS, type PerCallMeanSums } from './compare';
import { EMPTY_SUMS, type RollupSums, toMeasures } from './measures';
import { DIMENSION_SQL, type Slice, selectBucketStarts, selectPerCallMeanSums, selectSums } from './queries';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_BUCKETS = 24 * 400;
/** Windows at least this long read their whole UTC days from the daily rollups (a day row for 24 hour rows). */
const DAILY_GRAIN_FROM_MS = 3 * DAY_MS;

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

/**
 * The slice of a window, with its whole UTC days from the daily rollups when it is long enough and `daysFit`: the
 * answer is the same at either grain, since a day row is the sum of its hours.
 */
function slice(projectIds: string[], filters: AnalyticsFilters, daysFit = true): Slice {
  const window = resolveWindow(filters);
  const [from, to] = [Date.parse(window.from), Date.parse(window.to)];
  const [firstDay, lastDay] = [Math.ceil(from / DAY_MS) * DAY_MS, Math.floor(to / DAY_MS) * DAY_MS];
  if (!daysFit || to - from < DAILY_GRAIN_FROM_MS || firstDay >= lastDay) return { projectIds, filters, ...window };
  const days = { from: new Date(firstDay).toISOString(), to: new Date(lastDay).toISOString() };
  return { projectIds, filters, ...window, days };
}

export async function summarize(
  handle: QueryRunner,
  projectIds: string[],
  filters: AnalyticsFilters,
): Promise<AnalyticsSummary> {
  const [row] = await selectSums(handle, slice(projectIds, filters), {});
  return toMeasures(row && Number(row.calls) > 0 ? row : EMPTY_SUMS);
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

/** Rows by a key. */
function collect<R extends RollupSums>(rows: R[], keyOf: (row: R) => string): Map<string, R> {
  return new Map(rows.map((row) => [keyOf(row), row]));
}

/** Every bucket of the window in the time zone, empty ones as zero calls (and null cost, not zero). */
export async function timeseries(
  handle: QueryRunner,
  projectIds: string[],
  query: TimeseriesQuery,
): Promise<Timeseries> {
  assertTimeZone(query.tz);
  const hourly = slice(projectIds, query, false);
  const starts = await selectBucketStarts(handle, query.interval, query.tz, hourly.from, hourly.to);
  if (starts.length > MAX_BUCKETS) {
    throw new AppError('validation_failed', 'Too many buckets', [
      {
        path: 'interval',
        message: `the window has ${starts.length} ${query.interval}s; use interval=day or a shorter window`,
      },
    ]);
  }
  // A UTC day lies inside one bucket only when the zone's days start at UTC midnights throughout the window.
  const daysFit = query.interval === 'day' && starts.every((start) => Date.parse(start) % DAY_MS === 0);
  const window = daysFit ? slice(projectIds, query) : hourly;
  const bucketStart = sql`to_char(date_trunc(${query.interval}::text, hour, ${query.tz}::text) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const pointsOf = (groups: Map<string, RollupSums>, prefix: string) =>
    starts.map((start) => ({ start, ...toMeasures(groups.get(`${prefix}${start}`) ?? EMPTY_SUMS) }));

  const overall = await selectSums(handle, window, { start: bucketStart });
  const points = pointsOf(
    collect(overall, (row) => String(row.start)),
    '',
  );
  if (!query.by) return { points };

  const column = DIMENSION_SQL[query.by];
  const split = await selectSums(handle, window, { start: bucketStart, key: sql`${sql.identifier(column)}` }, [column]);
  const groups = collect(split, (row) => `${row.key}|${row.start}`);
  const keys = [...new Set(split.map((row) => String(row.key)))].sort();
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
export async function breakdown(handle: QueryRunner, projectIds: string[], query: BreakdownQuery): Promise<Breakdown> {
  const column = DIMENSION_SQL[query.by];
  const groupsSql: Record<string, SQL> = { key: sql`${sql.identifier(column)}::text` };
  if (query.by === 'prompt') groupsSql.project = sql`project_id::text`;
  const window = slice(projectIds, query);
  const sums = await selectSums<string>(handle, window, groupsSql, [column]);
  // Models per group come from the finest table; a breakdown by prompt or model does without them.
  const models =
    query.by === 'prompt' || query.by === 'model'
      ? []
      : await selectSums<string>(handle, window, { ...groupsSql, model: sql`model` }, [column, 'model']);
  const keyOf = (row: Record<string, unknown>) => `${row.project ?? ''}|${row.key}`;
  const modelsByKey = new Map<string, string[]>();
  for (const row of models) {
    if (Number(row.calls) === 0) continue;
    modelsByKey.set(keyOf(row), [...(modelsByKey.get(keyOf(row)) ?? []), String(row.model)]);
  }
  const groups = collect(sums, keyOf);
  const items: BreakdownItem[] = [...groups]
    .filter(([, group]) => Number(group.calls) !== 0)
    .map(([key, group]) => {
      const [project, value] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
      const absent = value === '' || (query.by === 'version' && value === '0');
      return {
        key: absent ? null : value,
        models: (modelsByKey.get(key) ?? []).sort(),
        ...(project ? { projectId: project } : {}),
        ...toMeasures(group),
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

const NO_MEANS: PerCallMeanSums = {
  tokens: { clusters: 0, y: 0, n: 0, yy: 0, yn: 0, nn: 0 },
  cost: { clusters: 0, y: 0, n: 0, yy: 0, yn: 0, nn: 0 },
  outputChars: { clusters: 0, y: 0, n: 0, yy: 0, yn: 0, nn: 0 },
};

/**
 * Version B of a prompt against version A over one window and the same filters, every measure judged by a
 * significance test on the rollups (compare.ts), with the errors of each side by type.
 */
export async function compareVersions(
  handle: QueryRunner,
  projectId: string,
  promptId: string,
  query: VersionComparisonQuery,
): Promise<VersionComparison> {
  if (query.a === query.b) {
    throw new AppError('validation_failed', 'Nothing to compare', [{ path: 'b', message: 'must differ from a' }]);
  }
  const { a, b, ...filters } = query;
  const window = slice([projectId], { ...filters, promptId: [promptId], version: [a, b] });
  const version = { version: sql`prompt_version` };
  const sums = collect(await selectSums(handle, window, version, ['prompt_version']), (row) => String(row.version));
  const means = await selectPerCallMeanSums(handle, window, PER_CALL_MEANS);
  const errors = await selectSums(handle, window, { version: sql`prompt_version`, type: sql`error_type` }, [
    'prompt_version',
    'error_type',
  ]);
  const side = (v: number) => ({ sums: sums.get(String(v)) ?? EMPTY_SUMS, means: means.get(v) ?? NO_MEANS });
  const errorTypes = new Map<string, { type: string | null; a: number; b: number }>();
  for (const row of errors) {
    const calls = Number(row.error_calls);
    if (calls === 0) continue;
    const type = String(row.type);
    const entry = errorTypes.get(type) ?? { type: type === '' ? null : type, a: 0, b: 0 };
    entry[Number(row.version) === a ? 'a' : 'b'] += calls;
    errorTypes.set(type, entry);
  }
  return {
    a: { version: a, calls: Number(side(a).sums.calls) },
    b: { version: b, calls: Number(side(b).sums.calls) },
    from: window.from,
    to: window.to,
    alpha: COMPARISON_ALPHA,
    confidence: COMPARISON_CONFIDENCE,
    measures: compareSides(side(a), side(b)),
    errorTypes: [...errorTypes.values()].sort(
      (x, y) => y.a + y.b - (x.a + x.b) || String(x.type).localeCompare(String(y.type)),
    ),
  };
}
