import type { AuthStatus, LoginRequest, Me, SetupRequest, SetupResponse } from '@promptlog/contracts';
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from '../../lib/api-client';

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
        return remember(await api.get<Me>('/api/auth/me', { signal }));
      } catch (error) {
        if (isApiError(error, 401)) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });

/** Every response that starts or reads a session carries its CSRF token; the api client sends it with changes. */
export function remember<T extends Me>(me: T): T {
  setCsrfToken(me.csrfToken);
  return me;
}

/** Shows the app as `me`, e.g. after login or accepting an invite. */
export function startSession(queryClient: QueryClient, me: Me): void {
  const { user, projects, csrfToken } = remember(me);
  queryClient.setQueryData(authKeys.me(), { user, projects, csrfToken });
}

/** Back to the login page, forgetting every cached answer of the old session. */
export function endSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.setQueryData(authKeys.me(), null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
}

export const login = async (body: LoginRequest) => remember(await api.post<Me>('/api/auth/login', body));
export const setup = async (body: SetupRequest) => remember(await api.post<SetupResponse>('/api/auth/setup', body));
export const logout = () => api.post<void>('/api/auth/logout');
