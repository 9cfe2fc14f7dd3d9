import type { PromptList, PromptSummary } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const promptKeys = {
  all: ['prompts'] as const,
  list: (projectId: string) => [...promptKeys.all, 'list', projectId] as const,
  detail: (projectId: string, promptId: string) => [...promptKeys.all, 'detail', projectId, promptId] as const,
};

export const promptsQuery = (projectId: string) =>
  queryOptions({
    queryKey: promptKeys.list(projectId),
    queryFn: ({ signal }) => api.get<PromptList>(projectApiUrl(projectId, '/api/v1/prompts'), { signal }),
  });

export const promptQuery = (projectId: string, promptId: string) =>
  queryOptions({
    queryKey: promptKeys.detail(projectId, promptId),
    queryFn: ({ signal }) =>
      api.get<PromptSummary>(projectApiUrl(projectId, `/api/v1/prompts/${encodeURIComponent(promptId)}`), { signal }),
  });

export function promptPath(promptId: string): string {
  return `/prompts/${encodeURIComponent(promptId)}`;
}
