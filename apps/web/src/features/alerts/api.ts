import type {
  AlertDelivery,
  AlertDeliveryList,
  AlertEventPage,
  AlertRuleList,
  CreateAlertRuleRequest,
  SavedAlertRule,
  UpdateAlertRuleRequest,
} from '@promptlog/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

/** How often the bell asks for new alerts; the evaluator itself runs every minute. */
export const BELL_POLL_MS = 15_000;

export const alertKeys = {
  all: ['alerts'] as const,
  rules: (projectId: string) => [...alertKeys.all, 'rules', projectId] as const,
  events: (projectId: string) => [...alertKeys.all, 'events', projectId] as const,
  unread: (projectId: string) => [...alertKeys.all, 'unread', projectId] as const,
  deliveries: (projectId: string, ruleId: string) => [...alertKeys.all, 'deliveries', projectId, ruleId] as const,
};

export const alertRulesQuery = (projectId: string) =>
  queryOptions({
    queryKey: alertKeys.rules(projectId),
    queryFn: ({ signal }) => api.get<AlertRuleList>(projectApiUrl(projectId, '/api/v1/alerts/rules'), { signal }),
  });

export const alertEventsQuery = (projectId: string) =>
  infiniteQueryOptions({
    queryKey: alertKeys.events(projectId),
    initialPageParam: null as string | null,
    queryFn: ({ signal, pageParam }) =>
      api.get<AlertEventPage>(
        projectApiUrl(
          projectId,
          '/api/v1/alerts/events',
          pageParam ? { cursor: pageParam, limit: '50' } : { limit: '50' },
        ),
        { signal },
      ),
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: BELL_POLL_MS,
  });

/** The bell's count: one alert and the caller's unread number, polled. */
export const unreadAlertsQuery = (projectId: string) =>
  queryOptions({
    queryKey: alertKeys.unread(projectId),
    queryFn: ({ signal }) =>
      api.get<AlertEventPage>(projectApiUrl(projectId, '/api/v1/alerts/events', { limit: '1' }), { signal }),
    refetchInterval: BELL_POLL_MS,
  });

export const alertDeliveriesQuery = (projectId: string, ruleId: string) =>
  queryOptions({
    queryKey: alertKeys.deliveries(projectId, ruleId),
    queryFn: ({ signal }) =>
      api.get<AlertDeliveryList>(
        projectApiUrl(projectId, `/api/v1/alerts/rules/${encodeURIComponent(ruleId)}/deliveries`),
        { signal },
      ),
  });

export const createAlertRule = (projectId: string, body: CreateAlertRuleRequest) =>
  api.post<SavedAlertRule>(projectApiUrl(projectId, '/api/v1/alerts/rules'), body);

export const updateAlertRule = (projectId: string, id: string, body: UpdateAlertRuleRequest) =>
  api.patch<SavedAlertRule>(projectApiUrl(projectId, `/api/v1/alerts/rules/${encodeURIComponent(id)}`), body);

export const deleteAlertRule = (projectId: string, id: string) =>
  api.delete<void>(projectApiUrl(projectId, `/api/v1/alerts/rules/${encodeURIComponent(id)}`));

export const testAlertRule = (projectId: string, id: string) =>
  api.post<AlertDelivery>(projectApiUrl(projectId, `/api/v1/alerts/rules/${encodeURIComponent(id)}/test`));

export const markAlertsRead = (projectId: string, through: string) =>
  api.post<void>(projectApiUrl(projectId, '/api/v1/alerts/events/read'), { through });
