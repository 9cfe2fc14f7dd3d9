import type { PromptSummary } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { isoUtcText } from '../../lib/iso-time';

/**
 * Every prompt (or the one named) with its last run, runs and errors over the last 24 hours and the versions seen; each
 * figure is an index range read per prompt, never a scan of all executions.
 */
const SELECT_PROMPT_SUMMARIES = `
select p.id,
  ${isoUtcText('last_run.started_at')} as "lastRunAt",
  (select count(*) from executions e
    where e.project_id = p.project_id and e.prompt_id = p.id and e.started_at >= now() - interval '24 hours') as "runs24h",
  (select count(*) from executions e
    where e.project_id = p.project_id and e.prompt_id = p.id and e.status = 'error'
      and e.started_at >= now() - interval '24 hours') as "errors24h",
  coalesce((select array_agg(v.version order by v.version) from prompt_versions v
    where v.project_id = p.project_id and v.prompt_id = p.id), '{}') as versions
from prompts p
left join lateral (
  select e.started_at from executions e
  where e.project_id = p.project_id and e.prompt_id = p.id
  order by e.started_at desc nulls last, e.id desc nulls last limit 1
) last_run on true
where p.project_id = $1 and ($2::text is null or p.id = $2)
order by last_run.started_at desc nulls last, p.id`;

export async function selectPromptSummaries(
  handle: DatabaseHandle,
  projectId: string,
  promptId: string | null = null,
): Promise<Omit<PromptSummary, 'canViewLogs'>[]> {
  const rows = await handle.query<Omit<PromptSummary, 'errorRate24h' | 'canViewLogs'>>(SELECT_PROMPT_SUMMARIES, [
    projectId,
    promptId,
  ]);
  return rows.map((row) => ({ ...row, errorRate24h: row.runs24h > 0 ? row.errors24h / row.runs24h : null }));
}
