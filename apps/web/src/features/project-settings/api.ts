import type { ProjectSettings, RedactionPreview, RedactionSettings, UpdateProjectSettings } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';

export const settingsKeys = {
  all: ['settings'] as const,
  detail: (projectId: string) => [...settingsKeys.all, projectId] as const,
};

const inProject = (projectId: string) => `projectId=${encodeURIComponent(projectId)}`;

export const settingsQuery = (projectId: string) =>
  queryOptions({
    queryKey: settingsKeys.detail(projectId),
    queryFn: ({ signal }) => api.get<ProjectSettings>(`/api/v1/settings?${inProject(projectId)}`, { signal }),
  });

/** 400 with issue paths such as redaction.custom.0.pattern for a pattern RE2 refuses. */
export const updateSettings = (projectId: string, patch: UpdateProjectSettings) =>
  api.patch<ProjectSettings>(`/api/v1/settings?${inProject(projectId)}`, patch);

/** Runs rules that are not saved yet on a sample text; nothing is stored. */
export const previewRedaction = (projectId: string, redaction: RedactionSettings, text: string) =>
  api.post<RedactionPreview>(`/api/v1/settings/redaction-preview?${inProject(projectId)}`, { redaction, text });
