import './lib/zod-jitless';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { authKeys } from './features/auth/api';
import { isApiError } from './lib/api-client';
import { startTheme } from './lib/theme';
import './styles.css';

// Any request that finds the session gone sends the user back to the login page.
function onAuthError(error: unknown, queryKey?: readonly unknown[]): void {
  if (!isApiError(error, 401) || queryKey?.[0] === authKeys.all[0]) return;
  queryClient.setQueryData(authKeys.me(), null);
}

startTheme();

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onAuthError(error, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (error) => onAuthError(error) }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (failureCount, error) =>
        failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
