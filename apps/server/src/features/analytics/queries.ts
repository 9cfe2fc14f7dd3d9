import type { AnalyticsFilters } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { RollupSums } from './measures';
import { DAILY_ROLLUP_TABLES, ROLLUP_TABLES, type RollupShape, type RollupTable } from './rollup-sql';

export interface Slice {
  projectIds: string[];
  filters: AnalyticsFilters;
  from: string;
  to: string;
  /** Whole UTC days inside [from, to) read from the daily tables; the hours outside them from the hourly ones. */
  days?: { from: string; to: string };
}

/** SQL columns of the dimensions a breakdown or series can group by. */
export const DIMENSION_SQL = {
  model: 'model',
  provider: 'provider',
  source: 'source_type',
  version: 'prompt_version',
  status: 'status',
  errorType: 'error_type',
  field: 'location_field',
  prompt: 'prompt_id',
} as const;
export type Dimension = keyof typeof DIMENSION_SQL;

const SUMS = `sum(calls) as calls, sum(success_calls) as success_calls, sum(error_calls) as error_calls,
  sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
  sum(cache_read_tokens) as cache_read_tokens, sum(cache_write_tokens) as cache_write_tokens,
  sum(reasoning_tokens) as reasoning_tokens, trim_scale(sum(cost_usd))::text as cost_usd,
  sum(priced_calls) as priced_calls, sum(thinking_calls) as thinking_calls,
  sum(latency_count) as latency_count, sum(latency_sum_ms) as latency_sum_ms,
  sum(latency_histogram)::text as latency_histogram`;

/** The columns a slice's filters read, beyond project and hour. */
function filteredColumns(filters: AnalyticsFilters): string[] {
  const columns: [unknown[] | undefined, string][] = [
    [filters.promptId, 'prompt_id'],
    [filters.source, 'source_type'],
    [filters.status, 'status'],
    [filters.version, 'prompt_version'],
    [filters.model, 'model'],
  ];
  return columns.filter(([values]) => values?.length).map(([, column]) => column);
}

/** The smallest rollup table shape that has every column the query reads. */
function rollupShapeFor(columns: string[]): RollupShape {
  const shapes: RollupShape[] = ['project', 'prompt', 'model', 'full'];
  const fits = shapes.find((shape) =>
    columns.every((c) => (ROLLUP_TABLES[shape].dimensions as readonly string[]).includes(c)),
  );
  return fits ?? 'full';
}

/** The conditions on a slice's filters (beyond project and time) and their parameters, from $4 on. */
function filterConditions(slice: Slice): { conditions: string[]; params: unknown[] } {
  const params: unknown[] = [slice.projectIds, slice.from, slice.to];
  const conditions: string[] = [];
  const anyOf = (column: string, values: unknown[] | undefined, type: string) => {
    if (!values?.length) return;
    params.push(values);
    conditions.push(`${column} = any($${params.length}::${type}[])`);
  };
  const f = slice.filters;
  anyOf('prompt_id', f.promptId, 'text');
  anyOf('source_type', f.source, 'text');
  anyOf('status', f.status, 'text');
  anyOf('prompt_version', f.version, 'int');
  anyOf('model', f.model, 'text');
  return { conditions, params };
}

/**
 * The rows of a slice, each an index range on project and time: the hourly table alone, or its whole days from the
 * daily table and the ragged ends from the hourly one. Every branch names its time column `hour`.
 */
function sourceRows(slice: Slice, shape: RollupShape): { from: string; params: unknown[] } {
  const { conditions, params } = filterConditions(slice);
  const branch = (rollup: RollupTable, from: string, to: string) => {
    const columns = rollup.dimensions.map((d) => (d === rollup.time ? `${d} as hour` : d));
    const where = ['project_id = any($1::uuid[])', `${rollup.time} >= ${from}`, `${rollup.time} < ${to}`];
    return `select ${columns.join(', ')}, calls, success_calls, error_calls, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, priced_calls, thinking_calls,
      latency_count, latency_sum_ms, latency_histogram
      from ${rollup.table} where ${[...where, ...conditions].join(' and ')}`;
  };
  const hourly = ROLLUP_TABLES[shape];
  if (!slice.days) return { from: `(${branch(hourly, '$2::timestamptz', '$3::timestamptz')}) r`, params };
  params.push(slice.days.from, slice.days.to);
  const [dayFrom, dayTo] = [`$${params.length - 1}::timestamptz`, `$${params.length}::timestamptz`];
  const branches = [
    branch(hourly, '$2::timestamptz', dayFrom),
    branch(DAILY_ROLLUP_TABLES[shape], dayFrom, dayTo),
    branch(hourly, dayTo, '$3::timestamptz'),
  ];
  return { from: `(${branches.join('\n  union all ')}) r`, params };
}

type Grouped<K extends string> = RollupSums & Record<K, string | number | null>;

/**
 * Sums and latency histograms of a slice, grouped by the given SQL expressions (none: one row), read
 * from the smallest rollup table that has the filtered columns and `groupColumns`, at the slice's grains.
 */
export async function selectSums<K extends string>(
  handle: DatabaseHandle,
  slice: Slice,
  groups: Record<K, string>,
  extraParams: unknown[] = [],
  groupColumns: string[] = [],
): Promise<Grouped<K>[]> {
  const shape = rollupShapeFor([...filteredColumns(slice.filters), ...groupColumns]);
  const { from, params } = sourceRows(slice, shape);
  const offset = params.length;
  const renumber = (expression: string) => expression.replace(/\$x(\d+)/g, (_, n) => `$${offset + Number(n)}`);
  const entries = Object.entries(groups) as [K, string][];
  const select = entries.map(([alias, expression]) => `${renumber(expression)} as "${alias}"`).join(', ');
  const groupBy = entries.length ? `group by ${entries.map((_, i) => i + 1).join(', ')}` : '';
  return handle.query<Grouped<K>>(`select ${select ? `${select}, ` : ''}${SUMS} from ${from} ${groupBy}`, [
    ...params,
    ...extraParams,
  ]);
}

/** Bucket starts of a window in a time zone: local midnights (or hours), correct across DST changes. */
export async function selectBucketStarts(
  handle: DatabaseHandle,
  interval: 'hour' | 'day',
  tz: string,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await handle.query<{ start: string }>(
    `select to_char((local at time zone $2) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start
     from generate_series(date_trunc($1, $3::timestamptz at time zone $2), $4::timestamptz at time zone $2, ('1 ' || $1)::interval) local
     where (local at time zone $2) < $4::timestamptz`,
    [interval, tz, from, to],
  );
  return rows.map((r) => r.start);
}
