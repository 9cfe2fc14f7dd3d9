import type {
  CreateReviewLabelRequest,
  ExecutionListPage,
  ReviewLabel,
  ReviewLabelList,
  ReviewState,
  SaveReviewRequest,
  UpdateReviewLabelRequest,
} from '@promptlog/contracts';
import { infiniteQueryOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { callerApiUrl, projectApiUrl } from '../../lib/api-url';
import { type QueueView, queueFilterParams } from './queue';

export const reviewKeys = {
  all: ['reviews'] as const,
  // Execution ids are unique across projects, and the server finds one in any of the caller's projects.
  review: (executionId: string) => [...reviewKeys.all, 'execution', executionId] as const,
  labels: (projectId: string) => [...reviewKeys.all, 'labels', projectId] as const,
};

const reviewUrl = (executionId: string) => callerApiUrl(`/api/v1/executions/${encodeURIComponent(executionId)}/review`);

/** One execution's review and whether the caller may change it. */
export const reviewQuery = (executionId: string) =>
  queryOptions({
    queryKey: reviewKeys.review(executionId),
    queryFn: ({ signal }) => api.get<ReviewState>(reviewUrl(executionId), { signal }),
  });

export const saveReview = (executionId: string, body: SaveReviewRequest) =>
  api.put<ReviewState>(reviewUrl(executionId), body);

/** The project's review labels, by name, and whether the caller may manage them. */
export const labelsQuery = (projectId: string) =>
  queryOptions({
    queryKey: reviewKeys.labels(projectId),
    queryFn: ({ signal }) => api.get<ReviewLabelList>(projectApiUrl(projectId, '/api/v1/review-labels'), { signal }),
    staleTime: 60_000,
  });

export const createLabel = (projectId: string, body: CreateReviewLabelRequest) =>
  api.post<ReviewLabel>(projectApiUrl(projectId, '/api/v1/review-labels'), body);

export const updateLabel = (projectId: string, id: string, body: UpdateReviewLabelRequest) =>
  api.patch<ReviewLabel>(projectApiUrl(projectId, `/api/v1/review-labels/${encodeURIComponent(id)}`), body);

export const deleteLabel = (projectId: string, id: string) =>
  api.delete<void>(projectApiUrl(projectId, `/api/v1/review-labels/${encodeURIComponent(id)}`));

/** A label changed or went: the list, and every review showing it, are read again. */
export function invalidateLabels(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: reviewKeys.all }).then(() => undefined);
}

/** A page of the queue plus the query it answered, so later pages keep the window the first one resolved. */
type QueuePage = ExecutionListPage & { query: string };
type QueuePageParam = { query: string | null; cursor: string | null };
export const QUEUE_PAGE_SIZE = 50;

/**
 * The review queue: not under the executions' list keys, so a review saved from it leaves it as it is (reviewed rows
 * stay, marked, until the reader reloads the queue) rather than pulling rows from under the keyboard.
 */
export const queueQuery = (projectId: string, view: QueueView) =>
  infiniteQueryOptions({
    queryKey: [...reviewKeys.all, 'queue', projectId, view.show, view.range, view.promptId] as const,
    initialPageParam: { query: null, cursor: null } as QueuePageParam,
    queryFn: async ({ pageParam, signal }): Promise<QueuePage> => {
      const query = pageParam.query ?? queueFilterParams(view, Date.now()).toString();
      const params = new URLSearchParams(query);
      params.set('limit', String(QUEUE_PAGE_SIZE));
      if (pageParam.cursor) params.set('cursor', pageParam.cursor);
      const page = await api.get<ExecutionListPage>(projectApiUrl(projectId, '/api/v1/executions', params), { signal });
      return { ...page, query };
    },
    getNextPageParam: (last): QueuePageParam | undefined =>
      last.nextCursor ? { query: last.query, cursor: last.nextCursor } : undefined,
    refetchOnWindowFocus: false,
  });
