import type { AnalyticsFilters } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { RollupSums } from './measures';
import { ROLLUP_TABLES } from './rollup-sql';

export interface Slice {
  projectIds: string[];
  filters: AnalyticsFilters;
  from: string;
  to: string;
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
  sum(latency_count) as latency_count, sum(latency_sum_ms) as latency_sum_ms`;

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

/** The smallest rollup table that has every column the query reads. */
function rollupTableFor(columns: string[]): string {
  const tables = [ROLLUP_TABLES.project, ROLLUP_TABLES.prompt, ROLLUP_TABLES.model, ROLLUP_TABLES.full];
  const fits = tables.find(({ dimensions }) => columns.every((c) => (dimensions as readonly string[]).includes(c)));
  return (fits ?? ROLLUP_TABLES.full).table;
}

/** The WHERE clause and parameters selecting a slice's rollup rows (an index range on project and hour). */
function where(slice: Slice): { clause: string; params: unknown[] } {
  const params: unknown[] = [slice.projectIds, slice.from, slice.to];
  const conditions = ['project_id = any($1::uuid[])', 'hour >= $2::timestamptz', 'hour < $3::timestamptz'];
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
  return { clause: conditions.join(' and '), params };
}

type Grouped<K extends string> = RollupSums & Record<K, string | number | null>;

/**
 * Sums and latency histograms of a slice, grouped by the given SQL expressions (none: one row), read
 * from the smallest rollup table that has the filtered columns and `groupColumns`.
 * The histogram rows come back as (group…, bucket, count).
 */
export async function selectSums<K extends string>(
  handle: DatabaseHandle,
  slice: Slice,
  groups: Record<K, string>,
  extraParams: unknown[] = [],
  groupColumns: string[] = [],
): Promise<{ sums: Grouped<K>[]; buckets: (Record<K, string | number | null> & { bucket: number; count: number })[] }> {
  const { clause, params } = where(slice);
  const offset = params.length;
  const renumber = (expression: string) => expression.replace(/\$x(\d+)/g, (_, n) => `$${offset + Number(n)}`);
  const entries = Object.entries(groups) as [K, string][];
  const select = entries.map(([alias, expression]) => `${renumber(expression)} as "${alias}"`).join(', ');
  const groupBy = entries.length ? `group by ${entries.map((_, i) => i + 1).join(', ')}` : '';
  const allParams = [...params, ...extraParams];
  const table = rollupTableFor([...filteredColumns(slice.filters), ...groupColumns]);
  const [sums, buckets] = await Promise.all([
    handle.query<Grouped<K>>(
      `select ${select ? `${select}, ` : ''}${SUMS} from ${table} where ${clause} ${groupBy}`,
      allParams,
    ),
    handle.query<Record<K, string | number | null> & { bucket: number; count: number }>(
      `select ${select ? `${select}, ` : ''}h.key::int as bucket, sum(h.value::bigint) as count
       from ${table} r, jsonb_each_text(r.latency_histogram) h
       where ${clause} ${entries.length ? `group by ${entries.map((_, i) => i + 1).join(', ')}, ${entries.length + 1}` : 'group by 1'}`,
      allParams,
    ),
  ]);
  return { sums, buckets };
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
