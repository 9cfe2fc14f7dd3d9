import { PROJECT_PARAM } from '../../lib/router';

type HasId = { readonly id: string };

/**
 * The project the app shows: the one the URL names while the user is still a member of it, else their
 * first; null only for a user in no project.
 */
export function chooseProject<P extends HasId>(projects: readonly P[], requested: string | null): P | null {
  return projects.find((project) => project.id === requested) ?? projects[0] ?? null;
}

/** Whether the URL names a project the user is not (or no longer) in, so it should drop the name. */
export function isStaleChoice(projects: readonly HasId[], requested: string | null): boolean {
  return requested !== null && !projects.some((project) => project.id === requested);
}

/** Where switching to a project leads: its Prompts page, since prompt ids mean something only in one project. */
export function projectHomePath(projectId: string): string {
  return `/?${new URLSearchParams({ [PROJECT_PARAM]: projectId })}`;
}

/** The project a user has just joined: the first one they are in now and were not before. */
export function joinedProject(before: readonly HasId[], after: readonly HasId[]): string | null {
  return after.find((project) => !before.some((old) => old.id === project.id))?.id ?? null;
}
