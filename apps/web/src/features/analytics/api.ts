import type { AnalyticsSummary, Breakdown, BreakdownQuery, Timeseries, TimeseriesQuery } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const analyticsKeys = {
  all: ['analytics'] as const,
  summary: (params: string) => [...analyticsKeys.all, 'summary', params] as const,
  timeseries: (params: string) => [...analyticsKeys.all, 'timeseries', params] as const,
  breakdown: (params: string) => [...analyticsKeys.all, 'breakdown', params] as const,
};

function withExtra(params: URLSearchParams, extra: Record<string, string | undefined>): string {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) next.set(key, value);
  next.sort();
  return next.toString();
}

export const summaryQuery = (params: URLSearchParams) => {
  const query = withExtra(params, {});
  return queryOptions({
    queryKey: analyticsKeys.summary(query),
    queryFn: ({ signal }) => api.get<AnalyticsSummary>(`/api/v1/analytics/summary?${query}`, { signal }),
  });
};

export const timeseriesQuery = (
  params: URLSearchParams,
  options: { interval: TimeseriesQuery['interval']; tz: string; by?: TimeseriesQuery['by'] },
) => {
  const query = withExtra(params, options);
  return queryOptions({
    queryKey: analyticsKeys.timeseries(query),
    queryFn: ({ signal }) => api.get<Timeseries>(`/api/v1/analytics/timeseries?${query}`, { signal }),
  });
};

export const breakdownQuery = (
  params: URLSearchParams,
  options: { by: BreakdownQuery['by']; sort?: BreakdownQuery['sort']; order?: 'asc' | 'desc'; limit?: number },
) => {
  const query = withExtra(params, {
    ...options,
    limit: options.limit === undefined ? undefined : String(options.limit),
  });
  return queryOptions({
    queryKey: analyticsKeys.breakdown(query),
    queryFn: ({ signal }) => api.get<Breakdown>(`/api/v1/analytics/breakdown?${query}`, { signal }),
  });
};
