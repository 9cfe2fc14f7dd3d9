import { Suggestion, type SuggestionField, type Suggestions, type SuggestionsQuery } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';

// Executions are never scanned. Models: the daily rollups hold every model seen (a day is the sum of its hours), one
// prompt's in the full-grain table, whose key starts with project and prompt, the project's in the model table.
// Tags: the ingest statement records each prompt's tags per day, uncounted.
const STATEMENTS: Record<SuggestionField, { byPrompt: string; byProject: string }> = {
  model: {
    byPrompt: `select model as value, sum(calls)::bigint as calls
      from execution_rollups_daily
      where project_id = $1 and prompt_id = $4 and model <> '' and starts_with(lower(model), $2)
      group by model having sum(calls) > 0
      order by calls desc, model limit $3`,
    byProject: `select model as value, sum(calls)::bigint as calls
      from model_rollups_daily
      where project_id = $1 and model <> '' and starts_with(lower(model), $2)
      group by model having sum(calls) > 0
      order by calls desc, model limit $3`,
  },
  tag: {
    byPrompt: `select tag as value, null::bigint as calls
      from tags_seen_daily
      where project_id = $1 and prompt_id = $4 and starts_with(lower(tag), $2)
      group by tag
      order by max(day) desc, lower(tag), tag limit $3`,
    byProject: `select tag as value, null::bigint as calls
      from tags_seen_daily
      where project_id = $1 and starts_with(lower(tag), $2)
      group by tag
      order by max(day) desc, lower(tag), tag limit $3`,
  },
};

/** The values a filter field has taken, starting with `prefix` in any case: models most called first, tags most recent. */
export async function suggestValues(
  handle: QueryRunner,
  projectId: string,
  query: SuggestionsQuery,
): Promise<Suggestions> {
  const { byPrompt, byProject } = STATEMENTS[query.field];
  const params: unknown[] = [projectId, query.prefix.trim().toLowerCase(), query.limit];
  const items = await handle.query(
    query.promptId ? byPrompt : byProject,
    query.promptId ? [...params, query.promptId] : params,
    Suggestion,
  );
  return { items };
}
