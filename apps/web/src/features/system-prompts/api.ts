import type { SystemPromptList } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const systemPromptKeys = {
  all: ['system-prompts'] as const,
  list: (projectId: string, promptId: string) => [...systemPromptKeys.all, 'list', projectId, promptId] as const,
};

/** Every system prompt a prompt was logged with, per version (its payload texts: the caller needs its logs). */
export const systemPromptsQuery = (projectId: string, promptId: string) =>
  queryOptions({
    queryKey: systemPromptKeys.list(projectId, promptId),
    queryFn: ({ signal }) =>
      api.get<SystemPromptList>(
        projectApiUrl(projectId, `/api/v1/prompts/${encodeURIComponent(promptId)}/system-prompts`),
        { signal },
      ),
  });
