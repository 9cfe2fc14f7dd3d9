import type { TraceView } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const traceKeys = {
  all: ['traces'] as const,
  detail: (projectId: string, traceId: string) => [...traceKeys.all, projectId, traceId] as const,
};

export const traceQuery = (projectId: string, traceId: string) =>
  queryOptions({
    queryKey: traceKeys.detail(projectId, traceId),
    queryFn: ({ signal }) =>
      api.get<TraceView>(projectApiUrl(projectId, `/api/v1/traces/${encodeURIComponent(traceId)}`), { signal }),
  });

/** The trace page of a trace id, which may hold any character a client chose. */
export function tracePath(traceId: string): string {
  return `/traces/${encodeURIComponent(traceId)}`;
}
