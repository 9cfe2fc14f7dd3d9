import type { ProjectSettings, RedactionPreview, RedactionSettings, UpdateProjectSettings } from '@promptlog/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';

export const settingsKeys = {
  all: ['settings'] as const,
  detail: (projectId: string) => [...settingsKeys.all, projectId] as const,
};

export const settingsQuery = (projectId: string) =>
  queryOptions({
    queryKey: settingsKeys.detail(projectId),
    queryFn: ({ signal }) => api.get<ProjectSettings>(projectApiUrl(projectId, '/api/v1/settings'), { signal }),
  });

/** 400 with issue paths such as redaction.custom.0.pattern for a pattern RE2 refuses. */
export const updateSettings = (projectId: string, patch: UpdateProjectSettings) =>
  api.patch<ProjectSettings>(projectApiUrl(projectId, '/api/v1/settings'), patch);

/** Runs rules that are not saved yet on a sample text; nothing is stored. */
export const previewRedaction = (projectId: string, redaction: RedactionSettings, text: string) =>
  api.post<RedactionPreview>(projectApiUrl(projectId, '/api/v1/settings/redaction-preview'), { redaction, text });
