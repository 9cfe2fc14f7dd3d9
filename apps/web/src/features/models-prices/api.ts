import type { CustomPriceList, CustomPricePreview, ModelList } from '@promptlog/contracts';
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
};

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

export type PriceSaved = { repricedExecutions: number };

export const savePrice = (projectId: string, priceId: string | null, body: PriceBody) =>
  priceId
    ? api.put<PriceSaved>(projectApiUrl(projectId, `/api/v1/prices/${encodeURIComponent(priceId)}`), body)
    : api.post<PriceSaved>(projectApiUrl(projectId, '/api/v1/prices'), body);

export const deletePrice = (projectId: string, priceId: string) =>
  api.delete<PriceSaved>(projectApiUrl(projectId, `/api/v1/prices/${encodeURIComponent(priceId)}`));
