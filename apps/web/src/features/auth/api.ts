import type { AuthStatus, LoginRequest, Me, SetupRequest, SetupResponse } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api-client';

export const authKeys = {
  all: ['auth'] as const,
  status: () => [...authKeys.all, 'status'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

export const authStatusQuery = () =>
  queryOptions({
    queryKey: authKeys.status(),
    queryFn: ({ signal }) => api.get<AuthStatus>('/api/auth/status', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** `null` means "not logged in": a 401 is an answer here, not an error. */
export const meQuery = () =>
  queryOptions({
    queryKey: authKeys.me(),
    queryFn: async ({ signal }): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/auth/me', { signal });
      } catch (error) {
        if (isApiError(error, 401)) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });

export const login = (body: LoginRequest) => api.post<Me>('/api/auth/login', body);
export const setup = (body: SetupRequest) => api.post<SetupResponse>('/api/auth/setup', body);
export const logout = () => api.post<void>('/api/auth/logout');
