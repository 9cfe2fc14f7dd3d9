import type { ApiKeyList, CreateApiKeyRequest, CreatedApiKey } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: (projectId: string) => [...apiKeyKeys.all, 'list', projectId] as const,
};

/** Every key of the project, revoked ones included. */
export const apiKeysQuery = (projectId: string) =>
  queryOptions({
    queryKey: apiKeyKeys.list(projectId),
    queryFn: ({ signal }) => api.get<ApiKeyList>(projectApiUrl(projectId, '/api/v1/api-keys'), { signal }),
  });

export const createApiKey = (projectId: string, body: CreateApiKeyRequest) =>
  api.post<CreatedApiKey>(projectApiUrl(projectId, '/api/v1/api-keys'), body);

export const revokeApiKey = (projectId: string, id: string) =>
  api.delete<void>(projectApiUrl(projectId, `/api/v1/api-keys/${encodeURIComponent(id)}`));
