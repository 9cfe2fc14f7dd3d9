import type { PromptSummary } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { z } from 'zod';
import { isoUtcText } from '../../lib/iso-time';
import { decodeHistogram, percentile } from '../analytics/measures';
import { packedHistogram } from '../analytics/rollup-sql';

/** The window of every 24-hour figure: the current UTC hour and the 23 before it (the Analytics tab's "Last 24 hours"). */
export const WINDOW_HOURS = 24;

/**
 * Every prompt (or the one named) with its 24-hour figures, its last run and the versions seen, in one statement.
 * The figures are sums of the window's prompt_rollups_hourly rows (an index range on project and hour) plus the deltas
 * the roller has not folded in yet: a fold moves a change from the one to the other in one transaction, so the
 * statement's snapshot counts each change exactly once and the list never lags ingestion.
 */
const SELECT_PROMPT_SUMMARIES = `
with bounds as (
  select date_trunc('hour', now(), 'UTC') - interval '${WINDOW_HOURS - 1} hours' as since,
    date_trunc('hour', now(), 'UTC') + interval '1 hour' as until
), recent as (
  select r.prompt_id, r.hour, r.calls, r.error_calls, r.cost_usd, r.priced_calls, r.latency_histogram
  from prompt_rollups_hourly r, bounds b
  where r.project_id = $1 and r.hour >= b.since and r.hour < b.until and ($2::text is null or r.prompt_id = $2)
  union all
  select d.prompt_id, d.hour, d.calls, d.error_calls, d.cost_usd, d.priced_calls,
    coalesce(${packedHistogram('d.latency_bucket', 'd.latency_count')}, 0)
  from execution_rollup_deltas d, bounds b
  where d.project_id = $1 and d.hour >= b.since and d.hour < b.until and ($2::text is null or d.prompt_id = $2)
), windowed as (
  select r.prompt_id, sum(r.calls)::bigint as runs, sum(r.error_calls)::bigint as errors,
    trim_scale(sum(r.cost_usd))::text as cost_usd, sum(r.priced_calls)::bigint as priced,
    sum(r.latency_histogram)::text as latency_histogram,
    array_agg((extract(epoch from r.hour - b.since) / 3600)::int) as hour_offsets,
    array_agg(r.calls::int) as hour_runs
  from recent r, bounds b group by r.prompt_id
)
select p.id,
  ${isoUtcText('last_run.started_at')} as "lastRunAt",
  ${isoUtcText('(select since from bounds)')} as "from",
  coalesce(w.runs, 0) as runs, coalesce(w.errors, 0) as errors, w.cost_usd as "costUsd",
  coalesce(w.priced, 0) as priced, w.latency_histogram as "latencyHistogram",
  coalesce(w.hour_offsets, '{}') as "hourOffsets", coalesce(w.hour_runs, '{}') as "hourRuns",
  coalesce((select array_agg(v.version order by v.version) from prompt_versions v
    where v.project_id = p.project_id and v.prompt_id = p.id), '{}') as versions
from prompts p
left join windowed w on w.prompt_id = p.id
left join lateral (
  select e.started_at from executions e
  where e.project_id = p.project_id and e.prompt_id = p.id
  order by e.started_at desc nulls last, e.id desc nulls last limit 1
) last_run on true
where p.project_id = $1 and ($2::text is null or p.id = $2)
order by last_run.started_at desc nulls last, p.id`;

const PromptRow = z.object({
  id: z.string(),
  lastRunAt: z.string().nullable(),
  from: z.string(),
  runs: z.number(),
  errors: z.number(),
  costUsd: z.string().nullable(),
  priced: z.number(),
  latencyHistogram: z.string().nullable(),
  hourOffsets: z.array(z.number()),
  hourRuns: z.array(z.number()),
  versions: z.array(z.number()),
});
type PromptRow = z.infer<typeof PromptRow>;

export type PromptFigures = Omit<PromptSummary, 'canViewLogs'>;

/** The API's summary of one row: rates and the p95 from the summed histogram, the hours as a full series. */
export function toPromptSummary(row: PromptRow): PromptFigures {
  const { runs, errors, priced } = row;
  const hourly = new Array<number>(WINDOW_HOURS).fill(0);
  // One entry per rollup row or pending delta (a completion's is negative, then positive): they add up per hour.
  row.hourOffsets.forEach((offset, i) => {
    if (offset >= 0 && offset < WINDOW_HOURS) hourly[offset] = (hourly[offset] ?? 0) + (row.hourRuns[i] ?? 0);
  });
  return {
    id: row.id,
    lastRunAt: row.lastRunAt,
    runs24h: runs,
    errors24h: errors,
    errorRate24h: runs > 0 ? errors / runs : null,
    costUsd24h: priced > 0 ? row.costUsd : null,
    unpricedRuns24h: runs - priced,
    p95LatencyMs24h: percentile(decodeHistogram(row.latencyHistogram), 0.95),
    hourlyRuns24h: { from: row.from, runs: hourly },
    versions: row.versions,
  };
}

export async function selectPromptSummaries(
  handle: QueryRunner,
  projectId: string,
  promptId: string | null = null,
): Promise<PromptFigures[]> {
  const rows = await handle.query(SELECT_PROMPT_SUMMARIES, [projectId, promptId], PromptRow);
  return rows.map(toPromptSummary);
}
