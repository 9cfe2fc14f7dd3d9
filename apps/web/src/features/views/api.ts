import type { CreateViewRequest, SavedView, SavedViewList, UpdateViewRequest } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const viewKeys = {
  all: ['views'] as const,
  /** A change to a project-wide view shows on every prompt: invalidate this prefix. */
  project: (projectId: string) => [...viewKeys.all, 'list', projectId] as const,
  list: (projectId: string, promptId: string) => [...viewKeys.project(projectId), promptId] as const,
};

/** The prompt's saved views and the project-wide ones, by name. */
export const viewsQuery = (projectId: string, promptId: string) =>
  queryOptions({
    queryKey: viewKeys.list(projectId, promptId),
    queryFn: ({ signal }) =>
      api.get<SavedViewList>(projectApiUrl(projectId, '/api/v1/views', { promptId }), { signal }),
  });

export const createView = (projectId: string, body: CreateViewRequest) =>
  api.post<SavedView>(projectApiUrl(projectId, '/api/v1/views'), body);

export const updateView = (projectId: string, id: string, body: UpdateViewRequest) =>
  api.patch<SavedView>(projectApiUrl(projectId, `/api/v1/views/${encodeURIComponent(id)}`), body);

export const deleteView = (projectId: string, id: string) =>
  api.delete<void>(projectApiUrl(projectId, `/api/v1/views/${encodeURIComponent(id)}`));
