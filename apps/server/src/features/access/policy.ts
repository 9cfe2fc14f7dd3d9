import type { ApiKeyScope, ProjectRole } from '@promptlog/contracts';
import { AppError } from '../../errors';

/** A user's place in one project: their role and the prompts they were granted edit access to. */
export interface Membership {
  role: ProjectRole;
  promptAccess: string[];
}

/** Who is asking, as far as authorization cares. */
export type Caller =
  | { kind: 'apiKey'; projectId: string; scopes: string[] }
  | { kind: 'session'; memberships: Map<string, Membership> };

/**
 * What a request needs in its project:
 * - `ingest`: write executions (an API key with the ingest scope);
 * - `metrics`: analytics, the dashboard, prompt summaries, prices (any member, a read key);
 * - `logs`: inputs and outputs (editors, admins, viewers granted the prompt, a read key);
 * - `admin`: members, keys, settings, prices, audit (an admin's session).
 */
export type Need = 'ingest' | 'metrics' | 'logs' | 'admin';

/** Which prompts' logs the caller may read in the project. */
export type LogsScope = { all: true } | { all: false; promptIds: string[] };

export interface ProjectAccess {
  projectId: string;
  logs: LogsScope;
}

const ROLE_RANK: Record<ProjectRole, number> = { viewer: 0, editor: 1, admin: 2 };
const SCOPE_FOR: Record<Exclude<Need, 'admin'>, ApiKeyScope> = { ingest: 'ingest', metrics: 'read', logs: 'read' };

/**
 * The project a request acts on and what the caller may see in it. A project outside the caller's reach is
 * reported as not found, so its existence is not revealed; a permission missing inside it is a 403 that says what
 * is needed.
 */
export function resolveProjectAccess(caller: Caller, requested: string | undefined, need: Need): ProjectAccess {
  if (caller.kind === 'apiKey') {
    if (requested && requested !== caller.projectId) throw new AppError('not_found', `No project ${requested}`);
    if (need === 'admin') {
      throw new AppError('forbidden', "Managing a project needs an admin's logged-in session; API keys cannot do it");
    }
    const scope = SCOPE_FOR[need];
    if (!caller.scopes.includes(scope)) {
      throw new AppError(
        'forbidden',
        `This API key lacks the ${scope} scope; create a key with it in Settings → API keys`,
      );
    }
    return { projectId: caller.projectId, logs: { all: true } };
  }

  if (need === 'ingest') throw new AppError('forbidden', 'Logging executions needs a project API key');
  const projectId = requested ?? (caller.memberships.size === 1 ? caller.memberships.keys().next().value : undefined);
  if (!projectId) {
    throw new AppError('validation_failed', 'Say which project: add ?projectId=<id>', [
      {
        path: 'projectId',
        message:
          caller.memberships.size === 0
            ? 'is required, and you are a member of no project yet'
            : `is required: you are a member of ${caller.memberships.size} projects`,
      },
    ]);
  }
  const membership = caller.memberships.get(projectId);
  if (!membership) throw new AppError('not_found', `No project ${projectId}`);

  if (need === 'admin' && membership.role !== 'admin') {
    throw new AppError('forbidden', 'This needs the admin role in the project');
  }
  const logs: LogsScope =
    ROLE_RANK[membership.role] >= ROLE_RANK.editor ? { all: true } : { all: false, promptIds: membership.promptAccess };
  if (need === 'logs' && !logs.all && logs.promptIds.length === 0) {
    throw new AppError(
      'forbidden',
      'Viewers see analytics, not logs; ask an admin for edit access to a prompt to read its executions',
    );
  }
  return { projectId, logs };
}

export function canReadLogsOf(scope: LogsScope, promptId: string): boolean {
  return scope.all || scope.promptIds.includes(promptId);
}

export function assertCanReadLogsOf(scope: LogsScope, promptId: string): void {
  if (!canReadLogsOf(scope, promptId)) {
    throw new AppError(
      'forbidden',
      `Reading the logs of prompt ${promptId} needs edit access to it; ask a project admin to grant it`,
    );
  }
}

/** The prompts a list may cover: those asked for, each checked, or for a viewer all they were granted. */
export function promptsToList(scope: LogsScope, requested: string[] | undefined): string[] | undefined {
  if (requested) {
    for (const promptId of requested) assertCanReadLogsOf(scope, promptId);
    return requested;
  }
  return scope.all ? undefined : scope.promptIds;
}

/**
 * Reviewing executions (a rating, a note, labels) and keeping the project's label list: editors and admins, in a
 * logged-in session, since a review names its reviewer. Reviews are shared judgements the project acts on, so like
 * saved views they are written by the roles that see every prompt's logs; a viewer, even one granted a prompt,
 * reads the reviews of the logs they may read and writes none. An API key has no person behind it and writes none.
 */
export function canReview(caller: Caller, projectId: string): boolean {
  if (caller.kind !== 'session') return false;
  const role = caller.memberships.get(projectId)?.role;
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK.editor;
}

export function assertCanReview(caller: Caller, projectId: string): void {
  if (!canReview(caller, projectId)) {
    throw new AppError('forbidden', 'Reviewing executions and managing review labels needs the editor or admin role');
  }
}
