import type {
  AnalyticsSummary,
  Breakdown,
  BreakdownQuery,
  Timeseries,
  TimeseriesQuery,
  VersionComparison,
  VersionSamples,
} from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const analyticsKeys = {
  all: ['analytics'] as const,
  summary: (projectId: string, params: string) => [...analyticsKeys.all, 'summary', projectId, params] as const,
  timeseries: (projectId: string, params: string) => [...analyticsKeys.all, 'timeseries', projectId, params] as const,
  breakdown: (projectId: string, params: string) => [...analyticsKeys.all, 'breakdown', projectId, params] as const,
  comparison: (projectId: string, promptId: string, params: string) =>
    [...analyticsKeys.all, 'comparison', projectId, promptId, params] as const,
  samples: (projectId: string, promptId: string, params: string) =>
    [...analyticsKeys.all, 'samples', projectId, promptId, params] as const,
};

// With allProjects=true the server reads every project of the user and ignores projectId; it is sent anyway,
// so every analytics request has the same shape.

function withExtra(params: URLSearchParams, extra: Record<string, string | undefined>): string {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) next.set(key, value);
  next.sort();
  return next.toString();
}

export const summaryQuery = (projectId: string, params: URLSearchParams) => {
  const query = withExtra(params, {});
  return queryOptions({
    queryKey: analyticsKeys.summary(projectId, query),
    queryFn: ({ signal }) =>
      api.get<AnalyticsSummary>(projectApiUrl(projectId, '/api/v1/analytics/summary', query), { signal }),
  });
};

export const timeseriesQuery = (
  projectId: string,
  params: URLSearchParams,
  options: { interval: TimeseriesQuery['interval']; tz: string; by?: TimeseriesQuery['by'] },
) => {
  const query = withExtra(params, options);
  return queryOptions({
    queryKey: analyticsKeys.timeseries(projectId, query),
    queryFn: ({ signal }) =>
      api.get<Timeseries>(projectApiUrl(projectId, '/api/v1/analytics/timeseries', query), { signal }),
  });
};

export const breakdownQuery = (
  projectId: string,
  params: URLSearchParams,
  options: { by: BreakdownQuery['by']; sort?: BreakdownQuery['sort']; order?: 'asc' | 'desc'; limit?: number },
) => {
  const query = withExtra(params, {
    ...options,
    limit: options.limit === undefined ? undefined : String(options.limit),
  });
  return queryOptions({
    queryKey: analyticsKeys.breakdown(projectId, query),
    queryFn: ({ signal }) =>
      api.get<Breakdown>(projectApiUrl(projectId, '/api/v1/analytics/breakdown', query), { signal }),
  });
};

/** Version `b` of a prompt against `a` over the tab's window and filters (its version filter aside), judged by the server. */
export const comparisonQuery = (projectId: string, promptId: string, params: URLSearchParams, a: number, b: number) => {
  const query = withExtra(params, { a: String(a), b: String(b) });
  return queryOptions({
    queryKey: analyticsKeys.comparison(projectId, promptId, query),
    queryFn: ({ signal }) =>
      api.get<VersionComparison>(
        projectApiUrl(projectId, `/api/v1/prompts/${encodeURIComponent(promptId)}/compare`, query),
        { signal },
      ),
  });
};

/** Calls of `a` and `b` with the same inputs, side by side (outputs are payloads: the caller needs the prompt's logs). */
export const samplesQuery = (
  projectId: string,
  promptId: string,
  window: { from: string; to: string },
  a: number,
  b: number,
) => {
  const query = withExtra(new URLSearchParams(), { ...window, a: String(a), b: String(b) });
  return queryOptions({
    queryKey: analyticsKeys.samples(projectId, promptId, query),
    queryFn: ({ signal }) =>
      api.get<VersionSamples>(
        projectApiUrl(projectId, `/api/v1/prompts/${encodeURIComponent(promptId)}/compare/samples`, query),
        { signal },
      ),
  });
};
