import type { Member, MemberList, ProjectRole } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const memberKeys = {
  all: ['members'] as const,
  list: (projectId: string) => [...memberKeys.all, 'list', projectId] as const,
};

const inProject = (projectId: string) => `projectId=${encodeURIComponent(projectId)}`;
const memberPath = (userId: string) => `/api/v1/members/${encodeURIComponent(userId)}`;

export const membersQuery = (projectId: string) =>
  queryOptions({
    queryKey: memberKeys.list(projectId),
    queryFn: ({ signal }) => api.get<MemberList>(`/api/v1/members?${inProject(projectId)}`, { signal }),
  });

/** 409 last_admin when it would leave the project without an admin. */
export const updateMemberRole = (projectId: string, userId: string, role: ProjectRole) =>
  api.patch<Member>(`${memberPath(userId)}?${inProject(projectId)}`, { role });

export const removeMember = (projectId: string, userId: string) =>
  api.delete<void>(`${memberPath(userId)}?${inProject(projectId)}`);

function promptAccessPath(projectId: string, userId: string, promptId: string): string {
  return `${memberPath(userId)}/prompt-access/${encodeURIComponent(promptId)}?${inProject(projectId)}`;
}

export const grantPromptAccess = (projectId: string, userId: string, promptId: string) =>
  api.put<void>(promptAccessPath(projectId, userId, promptId));

export const revokePromptAccess = (projectId: string, userId: string, promptId: string) =>
  api.delete<void>(promptAccessPath(projectId, userId, promptId));
