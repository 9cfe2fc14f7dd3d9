import type { ProjectRole } from '@promptlog/contracts';
import { AppError } from '../../errors';
import { type Caller, canReadLogsOf, type LogsScope } from '../access/policy';

/**
 * What a caller may do with a project's saved views. Views are shared with the project: whoever may read a prompt's
 * logs sees its views (and the project-wide ones); editors and admins save views; the member who saved a view, or an
 * admin, renames, changes or deletes it. An API key has no role: with the read scope it may list them, nothing more.
 */
export interface ViewsAccess {
  projectId: string;
  logs: LogsScope;
  /** The logged-in user; null for an API key. */
  userId: string | null;
  role: ProjectRole | null;
}

export function viewsAccessOf(
  caller: Caller,
  userId: string | null,
  access: { projectId: string; logs: LogsScope },
): ViewsAccess {
  const role = caller.kind === 'session' ? (caller.memberships.get(access.projectId)?.role ?? null) : null;
  return { ...access, userId: caller.kind === 'session' ? userId : null, role };
}

export function canCreateViews(access: ViewsAccess): boolean {
  return access.role === 'editor' || access.role === 'admin';
}

export function assertCanCreateViews(access: ViewsAccess): void {
  if (!canCreateViews(access)) {
    throw new AppError('forbidden', 'Saving views needs the editor or admin role in the project');
  }
}

/** A view of a prompt whose logs the caller may not read is, to them, not there. */
export function canSeeView(access: ViewsAccess, view: { promptId: string | null }): boolean {
  return view.promptId === null || canReadLogsOf(access.logs, view.promptId);
}

export function canEditView(access: ViewsAccess, view: { createdById: string | null }): boolean {
  return access.role === 'admin' || (access.userId !== null && view.createdById === access.userId);
}

export function assertCanEditView(access: ViewsAccess, view: { createdById: string | null }): void {
  if (!canEditView(access, view)) {
    throw new AppError('forbidden', 'Only the member who saved this view, or a project admin, may change or delete it');
  }
}
