// The system prompt counts: the ingest statement writes a delta per prompt version and system prompt of its batch,
// the analytics roller folds them into one row each, the rebuild recounts them from the raw executions, and retention
// deletes them (then the texts nothing counts any more) once their last call passed the project's retention.
import { ROLLER_LOCK } from '../analytics/rollup-sql';

const COLUMNS = 'project_id, prompt_id, prompt_version, hash, calls, first_seen_at, last_seen_at';

/**
 * An insert of the deltas for executions-shaped rows `r` read `from` a join or CTE: one row per prompt version and
 * system prompt. Only ingestion writes them: completing an execution or re-pricing it changes neither.
 */
export function insertSystemPromptDeltas(project: string, r: string, from: string): string {
  return `insert into system_prompt_rollup_deltas (${COLUMNS})
  select ${project}::uuid, ${r}.prompt_id, coalesce(${r}.prompt_version, 0), ${r}.system_prompt_hash, count(*),
    min(${r}.started_at), max(${r}.started_at)
  from (select ${r}.* from ${from}) ${r}
  where ${r}.system_prompt_hash is not null
  group by 1, 2, 3, 4`;
}

/**
 * Folds up to $1 pending deltas (or all) into system_prompt_rollups and deletes them, in one statement (so exactly
 * once), under the analytics roller's lock; rows are upserted in key order, so two folds never deadlock.
 */
export function foldSystemPromptsStatement({ all = false } = {}): string {
  const limited = all
    ? ''
    : ' and (project_id, id) in (select project_id, id from system_prompt_rollup_deltas limit $1)';
  return `
with lock as (select pg_try_advisory_xact_lock(${ROLLER_LOCK}) as held),
taken as (
  delete from system_prompt_rollup_deltas
  where (select held from lock)${limited}
  returning *
), cells as (
  select project_id, prompt_id, prompt_version, hash, sum(calls) as calls, min(first_seen_at) as first_seen_at,
    max(last_seen_at) as last_seen_at
  from taken group by 1, 2, 3, 4
), folded as (
  insert into system_prompt_rollups as r (${COLUMNS})
  select * from cells order by 1, 2, 3, 4
  on conflict (project_id, prompt_id, prompt_version, hash) do update set
    calls = r.calls + excluded.calls, first_seen_at = least(r.first_seen_at, excluded.first_seen_at),
    last_seen_at = greatest(r.last_seen_at, excluded.last_seen_at)
  returning 1
)
select (select count(*) from taken) as folded, (select held from lock) as held`;
}

export const FOLD_SYSTEM_PROMPT_DELTAS = foldSystemPromptsStatement();

/**
 * Recounts the system prompts of one project ($1; null: of all) from the executions still stored: discards their
 * deltas and rows and writes deltas for every execution with a system prompt, which the caller then folds. The texts
 * stay; retention deletes those nothing counts any more.
 */
export function rebuildSystemPromptsStatements(): string[] {
  const where = 'where ($1::uuid is null or project_id = $1::uuid)';
  return [
    `delete from system_prompt_rollup_deltas ${where}`,
    `delete from system_prompt_rollups ${where}`,
    insertSystemPromptDeltas('e.project_id', 'e', `(select * from executions ${where}) e`),
  ];
}

const deleteUsage = (table: string) => `
with gone as (
  delete from ${table}
  where ctid = any(array(select ctid from ${table} where project_id = $1 and last_seen_at < $2 limit $3))
    and project_id = $1 and last_seen_at < $2
  returning 1
)
select count(*)::int as deleted from gone`;

/**
 * Retention of project $1 at cutoff $2, $3 rows a statement: the counts whose last call started before the cutoff
 * (pending deltas first, so a fold cannot bring one back), then the texts stored before the cutoff that nothing counts
 * any more, as no execution still kept can show them. A text stored since is left alone: its first delta may be on its
 * way in a statement not yet committed.
 */
export const DELETE_SYSTEM_PROMPTS = [
  deleteUsage('system_prompt_rollup_deltas'),
  deleteUsage('system_prompt_rollups'),
  `
with gone as (
  delete from system_prompts
  where ctid = any(array(
      select s.ctid from system_prompts s
      where s.project_id = $1 and s.stored_at < $2
        and not exists (select from system_prompt_rollups r where r.project_id = $1 and r.hash = s.hash)
        and not exists (select from system_prompt_rollup_deltas d where d.project_id = $1 and d.hash = s.hash)
      limit $3))
    and project_id = $1
  returning 1
)
select count(*)::int as deleted from gone`,
];
