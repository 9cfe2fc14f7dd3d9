import type {
  AcceptInviteRequest,
  CreatedInvite,
  CreateInviteRequest,
  InviteList,
  InvitePreview,
  Me,
} from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';
import { remember } from '../auth/api';

export const inviteKeys = {
  all: ['invites'] as const,
  lists: () => [...inviteKeys.all, 'list'] as const,
  list: (projectId: string) => [...inviteKeys.lists(), projectId] as const,
  preview: (token: string) => [...inviteKeys.all, 'preview', token] as const,
};

/** What the link offers; 404 when it is unknown, used, revoked or expired. */
export const invitePreviewQuery = (token: string) =>
  queryOptions({
    queryKey: inviteKeys.preview(token),
    queryFn: ({ signal }) => api.get<InvitePreview>(`/api/auth/invites/${encodeURIComponent(token)}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Logged in: an empty body joins as this user; otherwise email and password create the account. */
export const acceptInvite = async (token: string, body: AcceptInviteRequest) =>
  remember(await api.post<Me>(`/api/auth/invites/${encodeURIComponent(token)}/accept`, body));

export const invitesQuery = (projectId: string) =>
  queryOptions({
    queryKey: inviteKeys.list(projectId),
    queryFn: ({ signal }) => api.get<InviteList>(projectApiUrl(projectId, '/api/v1/invites'), { signal }),
  });

export const createInvite = (projectId: string, body: CreateInviteRequest) =>
  api.post<CreatedInvite>(projectApiUrl(projectId, '/api/v1/invites'), body);

export const revokeInvite = (projectId: string, id: string) =>
  api.delete<void>(projectApiUrl(projectId, `/api/v1/invites/${encodeURIComponent(id)}`));

/** The full link to hand over: the server answers with a path relative to itself. */
export function inviteLink(origin: string, url: string): string {
  return new URL(url, origin).href;
}
