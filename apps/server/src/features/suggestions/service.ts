import { Suggestion, type SuggestionField, type Suggestions, type SuggestionsQuery } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { type ProjectAccess, promptsToList } from '../access/policy';

// Executions are never scanned. Models: the daily rollups hold every model seen (a day is the sum of its hours), one
// prompt's in the full-grain table, whose key starts with project and prompt, the project's in the model table.
// Tags: the ingest statement records each prompt's tags per day, uncounted. Tags are what was logged, so they are
// offered from the prompts whose logs the caller reads; models are analytics, which every member sees.
const MODELS = {
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
};
const TAGS = {
  byPrompts: `select tag as value, null::bigint as calls
    from tags_seen_daily
    where project_id = $1 and prompt_id = any($4::text[]) and starts_with(lower(tag), $2)
    group by tag
    order by max(day) desc, lower(tag), tag limit $3`,
  byProject: `select tag as value, null::bigint as calls
    from tags_seen_daily
    where project_id = $1 and starts_with(lower(tag), $2)
    group by tag
    order by max(day) desc, lower(tag), tag limit $3`,
};

/** What a field's suggestions need of the caller: tags come from the logs, models from the analytics. */
export const SUGGESTION_NEEDS: Record<SuggestionField, 'logs' | 'metrics'> = { model: 'metrics', tag: 'logs' };

/**
 * The values a filter field has taken, starting with `prefix` in any case: models most called first, tags most recent,
 * tags only of the prompts whose logs the caller reads.
 */
export async function suggestValues(
  handle: QueryRunner,
  { projectId, logs }: ProjectAccess,
  query: SuggestionsQuery,
): Promise<Suggestions> {
  const params: unknown[] = [projectId, query.prefix.trim().toLowerCase(), query.limit];
  if (query.field === 'model') {
    const items = query.promptId
      ? await handle.query(MODELS.byPrompt, [...params, query.promptId], Suggestion)
      : await handle.query(MODELS.byProject, params, Suggestion);
    return { items };
  }
  const prompts = promptsToList(logs, query.promptId ? [query.promptId] : undefined);
  const items = prompts
    ? await handle.query(TAGS.byPrompts, [...params, prompts], Suggestion)
    : await handle.query(TAGS.byProject, params, Suggestion);
  return { items };
}
