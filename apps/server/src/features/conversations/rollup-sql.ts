// The conversation rollup: every statement that changes executions writes deltas for the conversations it touched,
// the roller folds them into one row per conversation, and the rebuild recounts them from the raw executions.
import { CONVERSATION_SAMPLE } from '@promptlog/contracts';
import { ROLLER_LOCK } from '../analytics/rollup-sql';

/** One more than the summary names, so a sample that holds this many says "and more". */
export const SAMPLE_KEPT = CONVERSATION_SAMPLE + 1;

const COLUMNS = [
  'project_id',
  'conversation_id',
  'first_at',
  'last_at',
  'last_ended_at',
  'calls',
  'error_calls',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'priced_calls',
  'latency_sum_ms',
  'user_ids',
  'prompt_ids',
];

/** The smallest SAMPLE_KEPT distinct values of a text[] expression, sorted. */
const sampleOf = (values: string) =>
  `array(select distinct v from unnest(${values}) v where v is not null order by v limit ${SAMPLE_KEPT})`;

/**
 * An insert of the deltas for executions-shaped rows `r` read `from` a join or CTE, counted once (sign 1) or taken
 * back (sign -1): one row per conversation. Times only ever widen a conversation's span, so a taken-back row keeps
 * them; its samples are empty (a completion changes neither user nor prompt).
 */
export function insertConversationDeltas(project: string, r: string, from: string, sign: 1 | -1): string {
  const s = sign === 1 ? '' : '-';
  const sample = (column: string) =>
    sign === 1
      ? `(array_agg(distinct ${column} order by ${column}) filter (where ${column} is not null))[1:${SAMPLE_KEPT}]`
      : `'{}'::text[]`;
  return `insert into conversation_rollup_deltas (${COLUMNS.join(', ')})
  select ${project}::uuid, ${r}.conversation_id, min(${r}.started_at), max(${r}.started_at),
    max(coalesce(${r}.ended_at, ${r}.started_at + ${r}.latency_ms * interval '1 millisecond', ${r}.started_at)),
    ${s}count(*), ${s}count(*) filter (where ${r}.status = 'error'),
    ${s}coalesce(sum(${r}.input_tokens), 0), ${s}coalesce(sum(${r}.output_tokens), 0),
    ${s}coalesce(sum(${r}.cost_usd), 0), ${s}count(${r}.cost_usd), ${s}coalesce(sum(${r}.latency_ms), 0),
    coalesce(${sample(`coalesce(${r}.user_id, ${r}.user_email)`)}, '{}'), coalesce(${sample(`${r}.prompt_id`)}, '{}')
  from (select ${r}.* from ${from}) ${r}
  where ${r}.conversation_id is not null
  group by 1, 2`;
}

const SUMMED = ['calls', 'error_calls', 'input_tokens', 'output_tokens', 'cost_usd', 'priced_calls', 'latency_sum_ms'];

/**
 * Folds up to $1 pending deltas (or all) into conversation_rollups and deletes them, in one statement (so exactly
 * once), under the analytics roller's lock. Rows are upserted in key order, so two folds never deadlock.
 */
export function foldConversationsStatement({ all = false } = {}): string {
  const limited = all
    ? ''
    : ' and (project_id, id) in (select project_id, id from conversation_rollup_deltas limit $1)';
  const merge = (column: string) => `${column} = ${sampleOf(`r.${column} || excluded.${column}`)}`;
  return `
with lock as (select pg_try_advisory_xact_lock(${ROLLER_LOCK}) as held),
taken as (
  delete from conversation_rollup_deltas
  where (select held from lock)${limited}
  returning *
), samples as (
  select t.project_id, t.conversation_id, ${sampleOf('array_agg(u)')} as user_ids
  from taken t left join lateral unnest(t.user_ids) u on true
  group by 1, 2
), prompt_samples as (
  select t.project_id, t.conversation_id, ${sampleOf('array_agg(p)')} as prompt_ids
  from taken t left join lateral unnest(t.prompt_ids) p on true
  group by 1, 2
), cells as (
  select t.project_id, t.conversation_id, min(first_at) as first_at, max(last_at) as last_at,
    max(last_ended_at) as last_ended_at, ${SUMMED.map((c) => `sum(${c}) as ${c}`).join(', ')}
  from taken t group by 1, 2
), folded as (
  insert into conversation_rollups as r (${COLUMNS.join(', ')})
  select c.project_id, c.conversation_id, c.first_at, c.last_at, c.last_ended_at, ${SUMMED.map((col) => `c.${col}`).join(', ')},
    s.user_ids, p.prompt_ids
  from cells c
  join samples s using (project_id, conversation_id)
  join prompt_samples p using (project_id, conversation_id)
  order by c.project_id, c.conversation_id
  on conflict (project_id, conversation_id) do update set
    first_at = least(r.first_at, excluded.first_at), last_at = greatest(r.last_at, excluded.last_at),
    last_ended_at = greatest(r.last_ended_at, excluded.last_ended_at),
    ${SUMMED.map((c) => `${c} = r.${c} + excluded.${c}`).join(', ')},
    ${merge('user_ids')}, ${merge('prompt_ids')}
  returning 1
)
select (select count(*) from taken) as folded, (select held from lock) as held`;
}

export const FOLD_CONVERSATION_DELTAS = foldConversationsStatement();

/**
 * Recounts the conversations of one project ($1; null: of all) from the executions still stored: discards their
 * deltas and rows and writes deltas for every execution with a conversation, which the caller then folds.
 */
export function rebuildConversationsStatements(): string[] {
  const where = 'where ($1::uuid is null or project_id = $1::uuid)';
  return [
    `delete from conversation_rollup_deltas ${where}`,
    `delete from conversation_rollups ${where}`,
    insertConversationDeltas('e.project_id', 'e', `(select * from executions ${where}) e`, 1),
  ];
}
