import type { Suggestions, SuggestionsQuery } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';

// The daily rollups hold every model seen (a day is the sum of its hours): one prompt's in the full-grain table,
// whose key starts with project and prompt, the project's in the model table. Executions are never scanned.
const BY_PROMPT = `select model as value, sum(calls)::bigint as calls
  from execution_rollups_daily
  where project_id = $1 and prompt_id = $4 and model <> '' and starts_with(lower(model), $2)
  group by model having sum(calls) > 0
  order by calls desc, model limit $3`;
const BY_PROJECT = `select model as value, sum(calls)::bigint as calls
  from model_rollups_daily
  where project_id = $1 and model <> '' and starts_with(lower(model), $2)
  group by model having sum(calls) > 0
  order by calls desc, model limit $3`;

/** The values a filter field has taken, most called first, starting with `prefix` in any case. */
export async function suggestValues(
  handle: DatabaseHandle,
  projectId: string,
  query: SuggestionsQuery,
): Promise<Suggestions> {
  const params: unknown[] = [projectId, query.prefix.trim().toLowerCase(), query.limit];
  const rows = await handle.query<{ value: string; calls: string | number }>(
    query.promptId ? BY_PROMPT : BY_PROJECT,
    query.promptId ? [...params, query.promptId] : params,
  );
  return { items: rows.map((row) => ({ value: row.value, calls: Number(row.calls) })) };
}
