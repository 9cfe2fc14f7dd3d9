import type { Member, MemberList, ProjectRole } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const memberKeys = {
  all: ['members'] as const,
  list: (projectId: string) => [...memberKeys.all, 'list', projectId] as const,
};

const memberPath = (userId: string) => `/api/v1/members/${encodeURIComponent(userId)}` as const;

export const membersQuery = (projectId: string) =>
  queryOptions({
    queryKey: memberKeys.list(projectId),
    queryFn: ({ signal }) => api.get<MemberList>(projectApiUrl(projectId, '/api/v1/members'), { signal }),
  });

/** 409 last_admin when it would leave the project without an admin. */
export const updateMemberRole = (projectId: string, userId: string, role: ProjectRole) =>
  api.patch<Member>(projectApiUrl(projectId, memberPath(userId)), { role });

export const removeMember = (projectId: string, userId: string) =>
  api.delete<void>(projectApiUrl(projectId, memberPath(userId)));

function promptAccessPath(projectId: string, userId: string, promptId: string) {
  return projectApiUrl(projectId, `${memberPath(userId)}/prompt-access/${encodeURIComponent(promptId)}`);
}

export const grantPromptAccess = (projectId: string, userId: string, promptId: string) =>
  api.put<void>(promptAccessPath(projectId, userId, promptId));

export const revokePromptAccess = (projectId: string, userId: string, promptId: string) =>
  api.delete<void>(promptAccessPath(projectId, userId, promptId));
