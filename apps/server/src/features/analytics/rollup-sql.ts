// SQL shared by everything that changes what the rollups must say: ingestion, completion of a pending
// execution and re-pricing write deltas; the roller folds them in; the rebuild recomputes from scratch.
import {
  BUCKET_COLUMNS,
  HISTOGRAM_DIGITS,
  MEASURE_COLUMNS,
  ROLLUP_HISTOGRAMS,
  ROLLUP_MEASURES,
  SUMMED_COLUMNS,
} from './measures';

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

/** The rollup dimensions and histogram buckets of executions-shaped rows `r` (absent values as '' or 0, as keys need). */
function dimensionsOf(r: string): string {
  return `date_trunc('hour', ${r}.started_at, 'UTC'), ${r}.prompt_id, coalesce(${r}.prompt_version, 0), ${r}.model,
    coalesce(${r}.provider, ''), ${r}.source_type, ${r}.status, coalesce(${r}.error_type, ''),
    coalesce(${r}.location_field, ''), ${ROLLUP_HISTOGRAMS.map((h) => h.bucketOf(r)).join(', ')}`;
}

function measuresOf(r: string, sign: 1 | -1): string {
  return ROLLUP_MEASURES.map((measure) => `${sign === 1 ? '' : '-'}${measure.of(r)}`).join(', ');
}

/** The columns of one delta row, in the order the ingest statement (and the ingest benchmark's baseline) writes them. */
export const DELTA_COLUMNS = [...DIMENSION_COLUMNS, ...BUCKET_COLUMNS, ...MEASURE_COLUMNS];
/** The positions of a delta's dimensions (its project first) and buckets in its select: what it is grouped by. */
const DELTA_KEYS = [...DIMENSION_COLUMNS, ...BUCKET_COLUMNS].map((_, i) => i + 1).join(', ');
const INSERT_DELTAS = `insert into execution_rollup_deltas (${DELTA_COLUMNS.join(', ')})`;

/**
 * An insert of the deltas for rows `r` (columns as in executions) read `from` a join or CTE, counted
 * once each (sign 1) or taken back (sign -1), grouped so a batch writes few rows.
 */
export function insertDeltas(project: string, r: string, from: string, sign: 1 | -1): string {
  return `${INSERT_DELTAS}
  select ${project}::uuid, ${dimensionsOf(r)}, ${measuresOf(r, sign)}
  from ${from}
  group by ${DELTA_KEYS}`;
}

const dimensionList = DIMENSION_COLUMNS.join(', ');
const foldedMeasures = MEASURE_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ');
const accumulate = SUMMED_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ');

export const ROLLER_LOCK = 8412003;

/** A rollup table: its name and its key, whose time column is `hour` or `day` (a UTC day). */
export interface RollupTable {
  table: string;
  time: 'hour' | 'day';
  dimensions: readonly string[];
}

/** The hourly rollup tables, finest first: each gets the same measures for its own dimensions. */
export const ROLLUP_TABLES = {
  full: { table: 'execution_rollups_hourly', time: 'hour', dimensions: DIMENSION_COLUMNS },
  prompt: { table: 'prompt_rollups_hourly', time: 'hour', dimensions: ['project_id', 'prompt_id', 'hour'] },
  model: { table: 'model_rollups_hourly', time: 'hour', dimensions: ['project_id', 'model', 'hour'] },
  project: { table: 'project_rollups_hourly', time: 'hour', dimensions: ['project_id', 'hour'] },
} as const satisfies Record<string, RollupTable>;
export type RollupShape = keyof typeof ROLLUP_TABLES;

const daily = (table: string, dimensions: readonly string[]): RollupTable => ({
  table,
  time: 'day',
  dimensions: dimensions.map((d) => (d === 'hour' ? 'day' : d)),
});

/** The same tables per UTC day, folded from the same deltas, so a day is always the sum of its hours. */
export const DAILY_ROLLUP_TABLES: Record<RollupShape, RollupTable> = {
  full: daily('execution_rollups_daily', DIMENSION_COLUMNS),
  prompt: daily('prompt_rollups_daily', ROLLUP_TABLES.prompt.dimensions),
  model: daily('model_rollups_daily', ROLLUP_TABLES.model.dimensions),
  project: daily('project_rollups_daily', ROLLUP_TABLES.project.dimensions),
};

/** Every rollup table, hourly and daily. */
export const ALL_ROLLUP_TABLES: RollupTable[] = [
  ...Object.values(ROLLUP_TABLES),
  ...Object.values(DAILY_ROLLUP_TABLES),
];

/** A dimension's value computed from hourly rows (the day of a daily table is the UTC day of the hour). */
const fromHourly = (dimension: string) => (dimension === 'day' ? `date_trunc('day', hour, 'UTC')` : dimension);

/** The packed histogram (see HISTOGRAM_DIGITS) of `count` calls in log-scale bucket `bucket`. */
export const packedHistogram = (bucket: string, count: string) =>
  `${count}::numeric * ('1e' || (${HISTOGRAM_DIGITS} * ${bucket}))::numeric`;

/** Each histogram of a cell of deltas (one bucket of each), packed; a bucket is null where the cell counts no call. */
const foldedHistograms = ROLLUP_HISTOGRAMS.map(
  (h) => `coalesce(${packedHistogram(h.bucket, `sum(${h.count})`)}, 0) as ${h.column}`,
).join(', ');

/** Rows of one rollup table from `cells` (deltas summed by every dimension and histogram bucket). */
function rowsFor({ dimensions }: RollupTable): string {
  const keys = dimensions.map(fromHourly).join(', ');
  return `select ${keys}, ${MEASURE_COLUMNS.map((c) => `sum(${c})::${c === 'cost_usd' ? 'numeric' : 'bigint'}`).join(', ')},
      ${ROLLUP_HISTOGRAMS.map((h) => `sum(${h.column})`).join(', ')}
    from cells group by ${keys}`;
}

function upsertInto(rollup: RollupTable): string {
  const { table, dimensions } = rollup;
  return `insert into ${table} as r (${dimensions.join(', ')}, ${SUMMED_COLUMNS.join(', ')})
    ${rowsFor(rollup)}
    on conflict (${dimensions.join(', ')})
    do update set ${accumulate}
    returning 1`;
}

/**
 * Folds up to $1 pending deltas (with `all`: every one of project $1, or of all projects when $1 is null) into the
 * given rollup tables and deletes them, in one statement (so exactly once). The advisory lock keeps two processes' rollers from contending; the loser folds nothing.
 */
export function foldStatement(tables: RollupTable[], { all = false } = {}): string {
  // All of one project ($1) or of every one ($1 null), for the rebuild: no join, whose plan would rest on statistics
  // from before the rebuild wrote them.
  const limited = all
    ? ' and ($1::uuid is null or project_id = $1::uuid)'
    : ' and (project_id, id) in (select project_id, id from execution_rollup_deltas limit $1)';
  return `
with lock as (select pg_try_advisory_xact_lock(${ROLLER_LOCK}) as held),
taken as (
  delete from execution_rollup_deltas
  where (select held from lock)${limited}
  returning *
), cells as (
  select ${dimensionList}, ${foldedMeasures}, ${foldedHistograms}
  from taken group by ${dimensionList}, ${BUCKET_COLUMNS.join(', ')}
), ${tables.map((rollup, i) => `folded_${i} as (${upsertInto(rollup)}\n)`).join(', ')}
select (select count(*) from taken) as folded, (select held from lock) as held`;
}

/** The roller's fold: every rollup table, hourly and daily. */
export const FOLD_DELTAS = foldStatement(ALL_ROLLUP_TABLES);

/**
 * Statements that recompute the daily rollups of one project ($1; null: of all) from its hourly ones, for the rebuild,
 * which recounts hours: a day is then again the sum of its hours.
 */
export function rederiveDailyStatements(): string[] {
  const scope = 'where ($1::uuid is null or project_id = $1::uuid)';
  return Object.entries(DAILY_ROLLUP_TABLES).flatMap(([shape, rollup]) => {
    const hourly = ROLLUP_TABLES[shape as RollupShape].table;
    const keys = rollup.dimensions.map(fromHourly).join(', ');
    const sums = SUMMED_COLUMNS.map((c) => `sum(${c})`).join(', ');
    return [
      `delete from ${rollup.table} ${scope}`,
      `insert into ${rollup.table} (${rollup.dimensions.join(', ')}, ${SUMMED_COLUMNS.join(', ')})
       select ${keys}, ${sums} from ${hourly} ${scope} group by ${keys}`,
    ];
  });
}

/**
 * Recomputes the rollups of one project (or of all) from the raw executions: discards their deltas and
 * rollups and writes deltas for every execution, in one statement so both see the same snapshot
 * (executions committed meanwhile keep their own deltas). The caller then folds them like any others.
 * Hours retention may have deleted executions from are kept as they are: those before `now` minus the
 * project's retention_days, and, once rollups reach back before the oldest execution left (retention
 * deleted rows, maybe later switched off), every hour up to and including that execution's.
 */
export function rebuildStatement(): string {
  const scope = 'where ($1::uuid is null or p.id = $1::uuid)';
  const nextHour = (t: string) => `date_trunc('hour', ${t} - interval '1 microsecond', 'UTC') + interval '1 hour'`;
  const retentionCutoff = `$2::timestamptz - p.retention_days * interval '24 hours'`;
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
