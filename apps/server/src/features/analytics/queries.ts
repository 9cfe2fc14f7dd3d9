import type { AnalyticsFilters } from '@promptlog/contracts';
import type { QueryRunner, RowParser } from '@promptlog/db';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { RatioSums } from '../../lib/statistics';
import { RollupSums, SUMMED_COLUMNS, SUMS_SQL } from './measures';
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

const MEASURES = sql.raw(SUMMED_COLUMNS.join(', '));

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

/** A row of sums and the values it is grouped by: text, or a number for an integer column (prompt_version). */
const GroupedRow = RollupSums.catchall(z.union([z.string(), z.number()]));
type Grouped<K extends string> = RollupSums & Record<K, string | number>;

/**
 * The catch-all parses every group column, and the statement selects exactly `K`'s; zod types a catch-all as an index
 * signature, which TypeScript does not relate to `K`.
 */
function groupedRow<K extends string>(): RowParser<Grouped<K>> {
  return GroupedRow as unknown as RowParser<Grouped<K>>;
}

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
  return runner.query(
    sql`select ${sql.join(select)}${SUMS} from ${sourceRows(slice, shape)} ${groupBy}`,
    groupedRow<K>(),
  );
}

const BucketStartRow = z.object({ start: z.string() });

/** Bucket starts of a window in a time zone: local midnights (or hours), correct across DST changes. */
export async function selectBucketStarts(
  runner: QueryRunner,
  interval: 'hour' | 'day',
  tz: string,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await runner.query(
    `select to_char((local at time zone $2) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start
     from generate_series(date_trunc($1, $3::timestamptz at time zone $2), $4::timestamptz at time zone $2, ('1 ' || $1)::interval) local
     where (local at time zone $2) < $4::timestamptz`,
    [interval, tz, from, to],
    BucketStartRow,
  );
  return rows.map((r) => r.start);
}

/** A mean per call as rollup columns: a total (SQL over a rollup row's columns) over the calls it counts. */
export interface PerCallMean {
  total: string;
  calls: string;
}

const RatioRow = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

/**
 * Per version of a slice, the sums ratioComparisonTest needs for each mean per call, over the slice's rollup rows as
 * clusters: rows without a call of the mean's own are no cluster of it.
 */
export async function selectPerCallMeanSums<M extends string>(
  runner: QueryRunner,
  slice: Slice,
  means: Record<M, PerCallMean>,
): Promise<Map<number, Record<M, RatioSums>>> {
  const shape = rollupShapeFor([...filteredColumns(slice.filters), 'prompt_version']);
  const entries = Object.entries(means) as [M, PerCallMean][];
  const columns = entries.flatMap(([, { total, calls }], i) => {
    const [y, n] = [`(${total})::float8`, `(${calls})::float8`];
    return [
      `count(*) filter (where ${calls} > 0)::float8 as m${i}_clusters`,
      `coalesce(sum(${y}), 0) as m${i}_y`,
      `coalesce(sum(${n}), 0) as m${i}_n`,
      `coalesce(sum(${y} * ${y}), 0) as m${i}_yy`,
      `coalesce(sum(${y} * ${n}), 0) as m${i}_yn`,
      `coalesce(sum(${n} * ${n}), 0) as m${i}_nn`,
    ];
  });
  const rows = await runner.query(
    sql`select prompt_version as version, ${sql.raw(columns.join(', '))} from ${sourceRows(slice, shape)} group by 1`,
    RatioRow,
  );
  const sums = new Map<number, Record<M, RatioSums>>();
  for (const row of rows) {
    const of = (i: number, part: keyof RatioSums) => Number(row[`m${i}_${part}`] ?? 0);
    const byMean = Object.fromEntries(
      entries.map(([name], i) => [
        name,
        {
          clusters: of(i, 'clusters'),
          y: of(i, 'y'),
          n: of(i, 'n'),
          yy: of(i, 'yy'),
          yn: of(i, 'yn'),
          nn: of(i, 'nn'),
        },
      ]),
    ) as Record<M, RatioSums>;
    sums.set(Number(row.version), byMean);
  }
  return sums;
}
