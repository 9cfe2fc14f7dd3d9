import type { AuditPage } from '@promptlog/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';
import { type AuditFilters, auditParams } from './describe';

export const auditKeys = {
  all: ['audit'] as const,
  list: (projectId: string, filters: AuditFilters) =>
    [...auditKeys.all, projectId, auditParams(filters).toString()] as const,
};

export const AUDIT_PAGE_SIZE = 50;

/** Newest first, a page at a time: the cursor continues exactly where the previous page stopped. */
export const auditQuery = (projectId: string, filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(projectId, filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = auditParams(filters);
      params.set('limit', String(AUDIT_PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      return api.get<AuditPage>(projectApiUrl(projectId, '/api/v1/audit', params), { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Changes made in the other settings tabs a moment ago belong in the log when it is opened.
    staleTime: 0,
  });
