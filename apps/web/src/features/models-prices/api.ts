import type {
  CustomPriceCreated,
  CustomPriceDeleted,
  CustomPriceList,
  CustomPricePreview,
  ModelList,
  RepricingJob,
  RepricingJobList,
} from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';
import type { PriceBody } from './form';

export const modelPriceKeys = {
  all: ['models-prices'] as const,
  models: (projectId: string) => [...modelPriceKeys.all, 'models', projectId] as const,
  prices: (projectId: string) => [...modelPriceKeys.all, 'prices', projectId] as const,
  preview: (projectId: string, priceId: string | null, body: PriceBody) =>
    [...modelPriceKeys.all, 'preview', projectId, priceId, body] as const,
  repricing: (projectId: string) => [...modelPriceKeys.all, 'repricing', projectId] as const,
};

const REPRICING_POLL_MS = 1_000;

export function isRepricing(job: Pick<RepricingJob, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** The recent re-pricings, read again every second while one is under way. */
export const repricingJobsQuery = (projectId: string) =>
  queryOptions({
    queryKey: modelPriceKeys.repricing(projectId),
    queryFn: ({ signal }) =>
      api.get<RepricingJobList>(projectApiUrl(projectId, '/api/v1/prices/repricing'), { signal }),
    refetchInterval: (query) => (query.state.data?.items.some(isRepricing) ? REPRICING_POLL_MS : false),
  });

export const retryRepricing = (projectId: string, jobId: string) =>
  api.post<RepricingJob>(projectApiUrl(projectId, `/api/v1/prices/repricing/${encodeURIComponent(jobId)}/retry`), {});

/** Every model seen, with calls, spend and the price it gets now (from the rollups). */
export const modelsQuery = (projectId: string) =>
  queryOptions({
    queryKey: modelPriceKeys.models(projectId),
    queryFn: ({ signal }) => api.get<ModelList>(projectApiUrl(projectId, '/api/v1/models'), { signal }),
  });

export const customPricesQuery = (projectId: string) =>
  queryOptions({
    queryKey: modelPriceKeys.prices(projectId),
    queryFn: ({ signal }) => api.get<CustomPriceList>(projectApiUrl(projectId, '/api/v1/prices'), { signal }),
  });

/** How many executions saving this price would re-price; the server walks them as the save would, writing nothing. */
export const repricingPreviewQuery = (projectId: string, priceId: string | null, body: PriceBody) =>
  queryOptions({
    queryKey: modelPriceKeys.preview(projectId, priceId, body),
    queryFn: ({ signal }) =>
      api.post<CustomPricePreview>(
        projectApiUrl(projectId, '/api/v1/prices/preview'),
        { ...body, ...(priceId ? { priceId } : {}) },
        { signal },
      ),
    staleTime: 0,
  });

/** The saved price and the re-pricing it queued, which then runs in the background. */
export const savePrice = (projectId: string, priceId: string | null, body: PriceBody) =>
  priceId
    ? api.put<CustomPriceCreated>(projectApiUrl(projectId, `/api/v1/prices/${encodeURIComponent(priceId)}`), body)
    : api.post<CustomPriceCreated>(projectApiUrl(projectId, '/api/v1/prices'), body);

export const deletePrice = (projectId: string, priceId: string) =>
  api.delete<CustomPriceDeleted>(projectApiUrl(projectId, `/api/v1/prices/${encodeURIComponent(priceId)}`));
