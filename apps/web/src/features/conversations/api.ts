import type { ConversationListPage, ConversationThread } from '@promptlog/contracts';
import { infiniteQueryOptions, keepPreviousData } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';
import { type ConversationFilters, toConversationParams } from './filters';

export const PAGE_SIZE = 50;
export const THREAD_PAGE_SIZE = 200;

export const conversationKeys = {
  all: ['conversations'] as const,
  lists: (projectId: string) => [...conversationKeys.all, projectId, 'list'] as const,
  list: (projectId: string, filters: ConversationFilters) =>
    [...conversationKeys.lists(projectId), filters.range, filters.q] as const,
  thread: (projectId: string, conversationId: string) =>
    [...conversationKeys.all, projectId, 'thread', conversationId] as const,
};

/** A page plus the query it answered, so older pages keep the time bounds the first page resolved. */
type LoadedPage = ConversationListPage & { query: string };
type PageParam = { query: string | null; cursor: string | null };

export const conversationsQuery = (projectId: string, filters: ConversationFilters) =>
  infiniteQueryOptions({
    queryKey: conversationKeys.list(projectId, filters),
    initialPageParam: { query: null, cursor: null } as PageParam,
    queryFn: async ({ pageParam, signal }): Promise<LoadedPage> => {
      const query = pageParam.query ?? toConversationParams(filters, Date.now()).toString();
      const params = new URLSearchParams(query);
      params.set('limit', String(PAGE_SIZE));
      if (pageParam.cursor) params.set('cursor', pageParam.cursor);
      const page = await api.get<ConversationListPage>(projectApiUrl(projectId, '/api/v1/conversations', params), {
        signal,
      });
      return { ...page, query };
    },
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor ? { query: last.query, cursor: last.nextCursor } : undefined,
    placeholderData: keepPreviousData,
  });

export const conversationThreadQuery = (projectId: string, conversationId: string) =>
  infiniteQueryOptions({
    queryKey: conversationKeys.thread(projectId, conversationId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<ConversationThread>(
        projectApiUrl(projectId, `/api/v1/conversations/${encodeURIComponent(conversationId)}`, {
          limit: String(THREAD_PAGE_SIZE),
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** The page of a conversation id, which may hold any character a client chose. */
export function conversationPath(conversationId: string): string {
  return `/conversations/${encodeURIComponent(conversationId)}`;
}

/** The Logs tab of a prompt, filtered to one conversation. */
export function conversationLogsPath(promptId: string, conversationId: string): string {
  const search = new URLSearchParams({ tab: 'logs', conversation: conversationId, range: 'all' });
  return `/prompts/${encodeURIComponent(promptId)}?${search}`;
}
