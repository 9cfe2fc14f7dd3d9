import type {
  ExecutionDetail,
  ExecutionListItem,
  ExecutionListPage,
  ExecutionSort,
  SuggestionField,
  Suggestions,
} from '@promptlog/contracts';
import { DEFAULT_EXECUTION_SORT, OUTPUT_SIGNALS } from '@promptlog/contracts/rules';
import {
  type InfiniteData,
  infiniteQueryOptions,
  keepPreviousData,
  type QueryClient,
  queryOptions,
} from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { callerApiUrl, projectApiUrl } from '../../lib/api-url';
import { filtersKey, type LogFilters, toApiParams } from './filters';
import { SORT_PARAM } from './list-view';

export const PAGE_SIZE = 100;

export const executionKeys = {
  all: ['executions'] as const,
  lists: () => [...executionKeys.all, 'list'] as const,
  promptLists: (projectId: string, promptId: string) => [...executionKeys.lists(), projectId, promptId] as const,
  list: (projectId: string, promptId: string, filters: LogFilters, sort: ExecutionSort) =>
    [...executionKeys.promptLists(projectId, promptId), filtersKey(filters), sort] as const,
  // Execution ids are unique across projects, and the server finds one in any of the caller's projects.
  details: () => [...executionKeys.all, 'detail'] as const,
  detail: (id: string) => [...executionKeys.details(), id] as const,
};

/** A page plus the query it answered, so older pages keep the time bounds the first page resolved. */
export type LoadedPage = ExecutionListPage & { query: string };
type PageParam = { query: string | null; cursor: string | null };

export const executionsQuery = (projectId: string, promptId: string, filters: LogFilters, sort: ExecutionSort) =>
  infiniteQueryOptions({
    queryKey: executionKeys.list(projectId, promptId, filters, sort),
    initialPageParam: { query: null, cursor: null } as PageParam,
    queryFn: async ({ pageParam, signal }): Promise<LoadedPage> => {
      const query = pageParam.query ?? listApiParams(promptId, filters, sort, Date.now()).toString();
      const params = new URLSearchParams(query);
      params.set('limit', String(PAGE_SIZE));
      if (pageParam.cursor) params.set('cursor', pageParam.cursor);
      const page = await api.get<ExecutionListPage>(projectApiUrl(projectId, '/api/v1/executions', params), { signal });
      return { ...page, query };
    },
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor ? { query: last.query, cursor: last.nextCursor } : undefined,
  });

/** The list's query string: the filters and, unless it is the default, the order. */
export function listApiParams(
  promptId: string,
  filters: LogFilters,
  sort: ExecutionSort,
  now: number,
): URLSearchParams {
  const params = toApiParams(promptId, filters, now);
  if (sort !== DEFAULT_EXECUTION_SORT) params.set(SORT_PARAM, sort);
  return params;
}

/** The NDJSON download of every execution the current filters select, newest first. */
export function exportUrl(projectId: string, promptId: string, filters: LogFilters, now: number): string {
  return projectApiUrl(projectId, '/api/v1/executions/export', toApiParams(promptId, filters, now));
}

export const SUGGESTION_LIMIT = 20;

/**
 * The values a prompt's rollups have seen for a field, starting with `prefix`: models most called first, tags most
 * recently seen first. The Model and Tag fields' suggestions.
 */
export const suggestionsQuery = (projectId: string, promptId: string, field: SuggestionField, prefix: string) =>
  queryOptions({
    queryKey: ['suggestions', projectId, promptId, field, prefix] as const,
    queryFn: ({ signal }) =>
      api.get<Suggestions>(
        projectApiUrl(projectId, '/api/v1/suggestions', {
          field,
          promptId,
          prefix,
          limit: String(SUGGESTION_LIMIT),
        }),
        { signal },
      ),
    staleTime: 60_000,
    // The list offered while the next prefix is read is the last one, not nothing.
    placeholderData: keepPreviousData,
  });

export const executionQuery = (id: string) =>
  queryOptions({
    queryKey: executionKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<ExecutionDetail>(callerApiUrl(`/api/v1/executions/${encodeURIComponent(id)}`), { signal }),
    staleTime: 60_000,
  });

export function toListItem(detail: ExecutionDetail): ExecutionListItem {
  return {
    id: detail.id,
    promptId: detail.promptId,
    promptVersion: detail.promptVersion ?? null,
    status: detail.status,
    source: { type: detail.source.type, id: detail.source.id ?? null, url: detail.source.url ?? null },
    model: detail.model,
    provider: detail.provider ?? null,
    startedAt: detail.startedAt,
    latencyMs: detail.latencyMs,
    inputTokens: detail.usage?.inputTokens ?? null,
    outputTokens: detail.usage?.outputTokens ?? null,
    costUsd: detail.costUsd,
    costOrigin: detail.costOrigin,
    errorType: detail.error?.type ?? null,
    tags: detail.tags ?? [],
    attempt: detail.attempt ?? null,
    generation: detail.generation ?? null,
    traceStepIndex: detail.trace?.stepIndex ?? null,
    traceStepType: detail.trace?.stepType ?? null,
    conversationId: detail.conversationId ?? null,
    signals: signalsOf(detail.signals),
  };
}

/** The flags of a detail's signals, as a list row carries them. */
export function signalsOf(signals: ExecutionDetail['signals']): ExecutionListItem['signals'] {
  const flags: Record<ExecutionListItem['signals'][number], boolean> = {
    refusal: signals.refusal,
    truncated: signals.truncated,
    empty: signals.empty,
    json_invalid: signals.jsonValid === false,
    injection: signals.injectionSuspected,
  };
  return OUTPUT_SIGNALS.filter((signal) => flags[signal]);
}

/** Replaces one row wherever it is loaded, leaving every other row and page as it was. */
export function patchListItem(
  queryClient: QueryClient,
  projectId: string,
  promptId: string,
  item: ExecutionListItem,
): boolean {
  let found = false;
  queryClient.setQueriesData<InfiniteData<LoadedPage, PageParam>>(
    { queryKey: executionKeys.promptLists(projectId, promptId) },
    (data) => {
      if (!data) return data;
      let changed = false;
      const pages = data.pages.map((page) => {
        if (!page.items.some((row) => row.id === item.id)) return page;
        changed = true;
        return { ...page, items: page.items.map((row) => (row.id === item.id ? item : row)) };
      });
      if (!changed) return data;
      found = true;
      return { ...data, pages };
    },
  );
  return found;
}

export function isLoaded(queryClient: QueryClient, projectId: string, promptId: string, id: string): boolean {
  return queryClient
    .getQueriesData<InfiniteData<LoadedPage, PageParam>>({ queryKey: executionKeys.promptLists(projectId, promptId) })
    .some(([, data]) => data?.pages.some((page) => page.items.some((row) => row.id === id)));
}
