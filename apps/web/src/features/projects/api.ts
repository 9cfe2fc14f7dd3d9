import type {
  CreatedProject,
  CreateProjectRequest,
  Me,
  ProjectSummary,
  RenameProjectRequest,
} from '@promptlog/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client';
import { callerApiUrl } from '../../lib/api-url';
import { analyticsKeys } from '../analytics/api';
import { authKeys } from '../auth/api';

export const createProject = (body: CreateProjectRequest) =>
  api.post<CreatedProject>(callerApiUrl('/api/v1/projects'), body);

export const renameProject = (projectId: string, body: RenameProjectRequest) =>
  api.patch<ProjectSummary>(callerApiUrl(`/api/v1/projects/${encodeURIComponent(projectId)}`), body);

export const deleteProject = (projectId: string) =>
  api.delete<void>(callerApiUrl(`/api/v1/projects/${encodeURIComponent(projectId)}`));

type Projects = readonly ProjectSummary[];

/** The user's projects with one added, or replaced where it already is (a rename). */
export function withProject(projects: Projects, project: ProjectSummary): ProjectSummary[] {
  return projects.some((candidate) => candidate.id === project.id)
    ? projects.map((candidate) => (candidate.id === project.id ? project : candidate))
    : [...projects, project];
}

export function withoutProject(projects: Projects, projectId: string): ProjectSummary[] {
  return projects.filter((candidate) => candidate.id !== projectId);
}

/** Whether what was typed names the project to delete: its name exactly, spaces around it aside. */
export function confirmsName(typed: string, name: string): boolean {
  return typed.trim() === name;
}

/**
 * The user's projects changed: the switcher shows the change at once, then the session is read again, and the
 * dashboard's totals across all projects are fetched anew.
 */
export function projectsChanged(queryClient: QueryClient, change: (projects: Projects) => ProjectSummary[]): void {
  queryClient.setQueryData<Me | null>(authKeys.me(), (me) => (me ? { ...me, projects: change(me.projects) } : me));
  void queryClient.invalidateQueries({ queryKey: authKeys.me() });
  void queryClient.invalidateQueries({ queryKey: analyticsKeys.all });
}
