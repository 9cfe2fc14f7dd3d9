import type { PromptList } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const promptKeys = {
  all: ['prompts'] as const,
  list: () => [...promptKeys.all, 'list'] as const,
};

export const promptsQuery = () =>
  queryOptions({
    queryKey: promptKeys.list(),
    queryFn: ({ signal }) => api.get<PromptList>('/api/v1/prompts', { signal }),
  });

export function promptPath(promptId: string): string {
  return `/prompts/${encodeURIComponent(promptId)}`;
}
