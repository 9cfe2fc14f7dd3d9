import type { ApiKeyList, CreateApiKeyRequest, CreatedApiKey } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: (projectId: string) => [...apiKeyKeys.all, 'list', projectId] as const,
};

const inProject = (projectId: string) => `projectId=${encodeURIComponent(projectId)}`;

/** Every key of the project, revoked ones included. */
export const apiKeysQuery = (projectId: string) =>
  queryOptions({
    queryKey: apiKeyKeys.list(projectId),
    queryFn: ({ signal }) => api.get<ApiKeyList>(`/api/v1/api-keys?${inProject(projectId)}`, { signal }),
  });

export const createApiKey = (projectId: string, body: CreateApiKeyRequest) =>
  api.post<CreatedApiKey>(`/api/v1/api-keys?${inProject(projectId)}`, body);

export const revokeApiKey = (projectId: string, id: string) =>
  api.delete<void>(`/api/v1/api-keys/${encodeURIComponent(id)}?${inProject(projectId)}`);
