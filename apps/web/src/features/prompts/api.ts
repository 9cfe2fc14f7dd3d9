import type { PromptList, PromptSummary } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const promptKeys = {
  all: ['prompts'] as const,
  list: (projectId: string) => [...promptKeys.all, 'list', projectId] as const,
  detail: (projectId: string, promptId: string) => [...promptKeys.all, 'detail', projectId, promptId] as const,
};

/**
 * How often a shown prompt list or prompt header reads its figures again, so new prompts and the last 24 hours keep up
 * without a reload; the reads are rollup sums, and none runs while the tab is hidden.
 */
export const PROMPT_FIGURES_REFRESH_MS = 30_000;

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
