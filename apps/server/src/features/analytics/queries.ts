import type { AnalyticsFilters } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { type SQL, sql } from 'drizzle-orm';
import { MEASURE_COLUMNS, type RollupSums, SUMS_SQL } from './measures';
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

const SUMS = sql.raw(SUMS_SQL);

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

/** The conditions on a slice's filters beyond project and time, each value bound. */
function filterConditions(filters: AnalyticsFilters): SQL[] {
  const anyOf = (column: string, values: unknown[] | undefined, type: 'text' | 'int'): SQL[] =>
    values?.length ? [sql`${sql.identifier(column)} = any(${sql.param(values)}::${sql.raw(type)}[])`] : [];
  return [
    ...anyOf('prompt_id', filters.promptId, 'text'),
    ...anyOf('source_type', filters.source, 'text'),
    ...anyOf('status', filters.status, 'text'),
    ...anyOf('prompt_version', filters.version, 'int'),
    ...anyOf('model', filters.model, 'text'),
  ];
}

const MEASURES = sql.raw([...MEASURE_COLUMNS, 'latency_histogram'].join(', '));

/**
 * The rows of a slice, each an index range on project and time: the hourly table alone, or its whole days from the
 * daily table and the ragged ends from the hourly one. Every branch names its time column `hour`.
 */
function sourceRows(slice: Slice, shape: RollupShape): SQL {
  const conditions = filterConditions(slice.filters);
  const branch = (rollup: RollupTable, from: string, to: string) => {
    const time = sql.identifier(rollup.time);
    const columns = rollup.dimensions.map((d) => (d === rollup.time ? sql`${time} as hour` : sql.identifier(d)));
    const where = [
      sql`project_id = any(${sql.param(slice.projectIds)}::uuid[])`,
      sql`${time} >= ${from}::timestamptz`,
      sql`${time} < ${to}::timestamptz`,
      ...conditions,
    ];
    return sql`select ${sql.join(columns, sql`, `)}, ${MEASURES} from ${sql.identifier(rollup.table)} where ${sql.join(where, sql` and `)}`;
  };
  const hourly = ROLLUP_TABLES[shape];
  if (!slice.days) return sql`(${branch(hourly, slice.from, slice.to)}) r`;
  const branches = [
    branch(hourly, slice.from, slice.days.from),
    branch(DAILY_ROLLUP_TABLES[shape], slice.days.from, slice.days.to),
    branch(hourly, slice.days.to, slice.to),
  ];
  return sql`(${sql.join(branches, sql`\n  union all `)}) r`;
}

type Grouped<K extends string> = RollupSums & Record<K, string | number | null>;

/**
 * Sums and latency histograms of a slice, grouped by the given SQL expressions (none: one row), read
 * from the smallest rollup table that has the filtered columns and `groupColumns`, at the slice's grains.
 */
export async function selectSums<K extends string>(
  runner: QueryRunner,
  slice: Slice,
  groups: Record<K, SQL>,
  groupColumns: string[] = [],
): Promise<Grouped<K>[]> {
  const shape = rollupShapeFor([...filteredColumns(slice.filters), ...groupColumns]);
  const entries = Object.entries(groups) as [K, SQL][];
  const select = entries.map(([alias, expression]) => sql`${expression} as ${sql.identifier(alias)}, `);
  const groupBy = entries.length ? sql.raw(`group by ${entries.map((_, i) => i + 1).join(', ')}`) : sql``;
  return runner.query<Grouped<K>>(sql`select ${sql.join(select)}${SUMS} from ${sourceRows(slice, shape)} ${groupBy}`);
}

/** Bucket starts of a window in a time zone: local midnights (or hours), correct across DST changes. */
export async function selectBucketStarts(
  runner: QueryRunner,
  interval: 'hour' | 'day',
  tz: string,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await runner.query<{ start: string }>(
    `select to_char((local at time zone $2) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start
     from generate_series(date_trunc($1, $3::timestamptz at time zone $2), $4::timestamptz at time zone $2, ('1 ' || $1)::interval) local
     where (local at time zone $2) < $4::timestamptz`,
    [interval, tz, from, to],
  );
  return rows.map((r) => r.start);
}
