import { SYSTEM_PROMPTS_PER_VERSION } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { z } from 'zod';
import { isoUtcText } from '../../lib/iso-time';

/**
 * One prompt's system prompts per version: its system_prompt_rollups rows plus the deltas the roller has not folded
 * yet (a fold moves a count from one to the other in one transaction, so the snapshot counts each once), the
 * SYSTEM_PROMPTS_PER_VERSION most called texts of each version, and each version's totals over all its texts.
 */
const SELECT_SYSTEM_PROMPTS = `
with usage as (
  select prompt_version, hash, calls, first_seen_at, last_seen_at from system_prompt_rollups
  where project_id = $1 and prompt_id = $2
  union all
  select prompt_version, hash, calls, first_seen_at, last_seen_at from system_prompt_rollup_deltas
  where project_id = $1 and prompt_id = $2
), texts as (
  select prompt_version, hash, sum(calls)::bigint as calls, min(first_seen_at) as first_seen_at,
    max(last_seen_at) as last_seen_at
  from usage group by 1, 2
), ranked as (
  select t.*,
    row_number() over (partition by prompt_version order by calls desc, last_seen_at desc, hash) as rank,
    count(*) over (partition by prompt_version) as distinct_texts,
    sum(calls) over (partition by prompt_version) as version_calls,
    min(first_seen_at) over (partition by prompt_version) as version_first_seen_at,
    max(last_seen_at) over (partition by prompt_version) as version_last_seen_at
  from texts t
)
select r.prompt_version as "promptVersion", r.hash, r.calls, r.rank,
  ${isoUtcText('r.first_seen_at')} as "firstSeenAt", ${isoUtcText('r.last_seen_at')} as "lastSeenAt",
  r.distinct_texts as "distinctTexts", r.version_calls::bigint as "versionCalls",
  ${isoUtcText('r.version_first_seen_at')} as "versionFirstSeenAt",
  ${isoUtcText('r.version_last_seen_at')} as "versionLastSeenAt",
  s.text
from ranked r
left join system_prompts s on s.project_id = $1 and s.hash = r.hash
where r.rank <= ${SYSTEM_PROMPTS_PER_VERSION}
order by r.prompt_version desc, r.rank`;

export const SystemPromptRow = z.object({
  promptVersion: z.number(),
  hash: z.string(),
  calls: z.number(),
  rank: z.number(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  distinctTexts: z.number(),
  versionCalls: z.number(),
  versionFirstSeenAt: z.string(),
  versionLastSeenAt: z.string(),
  text: z.string().nullable(),
});
export type SystemPromptRow = z.infer<typeof SystemPromptRow>;

export function selectSystemPrompts(handle: QueryRunner, projectId: string, promptId: string) {
  return handle.query(SELECT_SYSTEM_PROMPTS, [projectId, promptId], SystemPromptRow);
}

const Seen = z.object({ seen: z.boolean() });

/** Whether an execution of the project ever named the prompt. */
export async function promptSeen(handle: QueryRunner, projectId: string, promptId: string): Promise<boolean> {
  const [row] = await handle.query(
    'select exists(select 1 from prompts where project_id = $1 and id = $2) as seen',
    [projectId, promptId],
    Seen,
  );
  return row?.seen === true;
}
