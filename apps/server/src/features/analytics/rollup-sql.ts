// SQL shared by everything that changes what the rollups must say: ingestion, completion of a pending
// execution and re-pricing write deltas; the roller folds them in; the rebuild recomputes from scratch.

const MEASURE_COLUMNS = [
  'calls',
  'success_calls',
  'error_calls',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'priced_calls',
  'thinking_calls',
  'latency_count',
  'latency_sum_ms',
];
const DIMENSION_COLUMNS = [
  'project_id',
  'hour',
  'prompt_id',
  'prompt_version',
  'model',
  'provider',
  'source_type',
  'status',
  'error_type',
  'location_field',
];

/** The rollup dimensions of executions-shaped rows `r` (absent values as '' or 0, as keys need). */
function dimensionsOf(r: string): string {
  return `date_trunc('hour', ${r}.started_at, 'UTC'), ${r}.prompt_id, coalesce(${r}.prompt_version, 0), ${r}.model,
    coalesce(${r}.provider, ''), ${r}.source_type, ${r}.status, coalesce(${r}.error_type, ''),
    coalesce(${r}.location_field, ''), promptlog_latency_bucket(${r}.latency_ms)`;
}

function measuresOf(r: string, sign: 1 | -1): string {
  const s = sign === 1 ? '' : '-';
  return `${s}count(*), ${s}count(*) filter (where ${r}.status = 'success'), ${s}count(*) filter (where ${r}.status = 'error'),
    ${s}coalesce(sum(${r}.input_tokens), 0), ${s}coalesce(sum(${r}.output_tokens), 0),
    ${s}coalesce(sum(${r}.cache_read_tokens), 0), ${s}coalesce(sum(${r}.cache_write_tokens), 0),
    ${s}coalesce(sum(${r}.reasoning_tokens), 0), ${s}coalesce(sum(${r}.cost_usd), 0), ${s}count(${r}.cost_usd),
    ${s}count(*) filter (where ${r}.has_thinking), ${s}count(${r}.latency_ms), ${s}coalesce(sum(${r}.latency_ms), 0)`;
}

const INSERT_DELTAS = `insert into execution_rollup_deltas (${DIMENSION_COLUMNS.join(', ')}, latency_bucket, ${MEASURE_COLUMNS.join(', ')})`;

/**
 * An insert of the deltas for rows `r` (columns as in executions) read `from` a join or CTE, counted
 * once each (sign 1) or taken back (sign -1), grouped so a batch writes few rows.
 */
export function insertDeltas(project: string, r: string, from: string, sign: 1 | -1): string {
  return `${INSERT_DELTAS}
  select ${project}::uuid, ${dimensionsOf(r)}, ${measuresOf(r, sign)}
  from ${from}
  group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`;
}

const dimensionList = DIMENSION_COLUMNS.join(', ');
const foldedMeasures = MEASURE_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ');
const accumulate = MEASURE_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ');

export const ROLLER_LOCK = 8412003;

/** The rollup tables, finest first: each gets the same measures for its own dimensions. */
export const ROLLUP_TABLES = {
  full: { table: 'execution_rollups_hourly', dimensions: DIMENSION_COLUMNS },
  prompt: { table: 'prompt_rollups_hourly', dimensions: ['project_id', 'prompt_id', 'hour'] },
  model: { table: 'model_rollups_hourly', dimensions: ['project_id', 'model', 'hour'] },
  project: { table: 'project_rollups_hourly', dimensions: ['project_id', 'hour'] },
} as const;

/** Rows of one rollup table from `cells` (deltas summed by every dimension and latency bucket). */
function rowsFor(dimensions: readonly string[]): string {
  const dims = dimensions.join(', ');
  return `select ${dims}, ${MEASURE_COLUMNS.map((c) => `sum(${c})::${c === 'cost_usd' ? 'numeric' : 'bigint'}`).join(', ')},
      coalesce(jsonb_object_agg(latency_bucket::text, latency_count) filter (where latency_bucket is not null and latency_count <> 0), '{}'::jsonb)
    from (select ${dims}, latency_bucket, ${foldedMeasures} from cells group by ${dims}, latency_bucket) by_bucket
    group by ${dims}`;
}

function upsertInto({ table, dimensions }: { table: string; dimensions: readonly string[] }): string {
  return `insert into ${table} as r (${dimensions.join(', ')}, ${MEASURE_COLUMNS.join(', ')}, latency_histogram)
    ${rowsFor(dimensions)}
    on conflict (${dimensions.join(', ')})
    do update set ${accumulate}, latency_histogram = promptlog_merge_counts(r.latency_histogram, excluded.latency_histogram)
    returning 1`;
}

/**
 * Folds up to $1 pending deltas into every rollup table and deletes them, in one statement (so exactly
 * once). The advisory lock keeps two processes' rollers from contending; the loser folds nothing.
 */
export const FOLD_DELTAS = `
with lock as (select pg_try_advisory_xact_lock(${ROLLER_LOCK}) as held),
taken as (
  delete from execution_rollup_deltas
  where (select held from lock) and (project_id, id) in (
    select project_id, id from execution_rollup_deltas limit $1)
  returning *
), cells as (
  select ${dimensionList}, latency_bucket, ${foldedMeasures}
  from taken group by ${dimensionList}, latency_bucket
), full_rows as (${upsertInto(ROLLUP_TABLES.full)}
), prompt_rows as (${upsertInto(ROLLUP_TABLES.prompt)}
), model_rows as (${upsertInto(ROLLUP_TABLES.model)}
), project_rows as (${upsertInto(ROLLUP_TABLES.project)}
)
select (select count(*) from taken) as folded`;

/**
 * Recomputes the rollups of one project (or of all) from the raw executions: discards their deltas and
 * rollups and writes deltas for every execution, in one statement so both see the same snapshot
 * (executions committed meanwhile keep their own deltas). The caller then folds them like any others.
 * Hours retention may have deleted executions from are kept as they are: those before `now` minus the
 * project's retention_days, and, once rollups reach back before the oldest execution left (retention
 * deleted rows, maybe later switched off), every hour up to and including that execution's.
 */
export function rebuildStatement(projectId: string | null, now: Date): string {
  const scope = projectId === null ? '' : `where p.id = '${assertUuid(projectId)}'::uuid`;
  const nextHour = (t: string) => `date_trunc('hour', ${t} - interval '1 microsecond', 'UTC') + interval '1 hour'`;
  const retentionCutoff = `'${now.toISOString()}'::timestamptz - p.retention_days * interval '24 hours'`;
  const bounds = `bounds as (
    select p.id as project_id, greatest(
      case
        when o.oldest is null then 'infinity'
        when exists (select from execution_rollups_hourly r
          where r.project_id = p.id and r.hour < date_trunc('hour', o.oldest, 'UTC')) then ${nextHour('o.oldest')}
        else '-infinity'
      end,
      coalesce(${nextHour(retentionCutoff)}, '-infinity')
    ) as since
    from projects p cross join lateral (select min(started_at) as oldest from executions e where e.project_id = p.id) o
    ${scope}
  )`;
  const discards = ['execution_rollup_deltas', ...Object.values(ROLLUP_TABLES).map(({ table }) => table)].map(
    (table, i) =>
      `discarded_${i} as (delete from ${table} t using bounds b where t.project_id = b.project_id and t.hour >= b.since)`,
  );
  const recount = insertDeltas(
    'e.project_id',
    'e',
    'executions e join bounds b on e.project_id = b.project_id and e.started_at >= b.since',
    1,
  );
  return `with ${bounds},\n  ${discards.join(',\n  ')},\n  recounted as (${recount} returning 1)\nselect count(*)::int as deltas from recounted`;
}

function assertUuid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
    throw new Error(`not a uuid: ${value}`);
  return value;
}
