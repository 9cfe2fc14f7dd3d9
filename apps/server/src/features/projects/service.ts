import {
  type CreatedProject,
  type CreateProjectRequest,
  ProjectSummary,
  type RenameProjectRequest,
} from '@promptlog/contracts';
import { type Database, projectDeletions, projectMembers, projects, type QueryRunner } from '@promptlog/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { createApiKey, getApiKeySummary } from '../api-keys/service';
import { type AuditActor, recordAudit } from '../audit/service';

export async function createProject(db: Database, name: string, adminUserId?: string): Promise<string> {
  const projectId = uuidv7();
  await db.insert(projects).values({ id: projectId, name });
  if (adminUserId) await db.insert(projectMembers).values({ projectId, userId: adminUserId, role: 'admin' });
  return projectId;
}

export interface FirstKeyOptions {
  /** The key to store, when it was chosen beforehand (PROMPTLOG_INIT_API_KEY); a new random one otherwise. */
  key?: string;
  /** How the project came to be, when not through the projects API: recorded with its audit events. */
  via?: string;
  /** The first-run setup: the admin's account was created with the project, and is recorded first. */
  firstAdminEmail?: string;
}

/**
 * A project with its admin and its first API key, and their audit events, inside the caller's transaction: the
 * first-run setup and a user's new project are made the same way.
 */
export async function createProjectWithFirstKey(
  tx: Database,
  name: string,
  admin: { userId: string; actor: AuditActor },
  options: FirstKeyOptions = {},
): Promise<{ projectId: string; keyId: string; key: string }> {
  const { userId, actor } = admin;
  const projectId = await createProject(tx, name, userId);
  const via = options.via ? { via: options.via } : {};
  if (options.firstAdminEmail) {
    await recordAudit(tx, projectId, {
      action: 'setup.admin_created',
      actor,
      target: options.firstAdminEmail,
      details: { role: 'admin', ...via },
    });
  }
  await recordAudit(tx, projectId, {
    action: 'project.created',
    actor,
    target: name,
    details: via,
  });
  const scopes = ['ingest', 'read'] as const;
  const key = await createApiKey(tx, projectId, {
    label: 'Default key',
    key: options.key,
    createdBy: userId,
    scopes: [...scopes],
  });
  await recordAudit(tx, projectId, {
    action: 'api_key.created',
    actor,
    target: 'Default key',
    details: { keyId: key.id, prefix: key.prefix, scopes, expiresAt: null },
  });
  return { projectId, keyId: key.id, key: key.key };
}

/** Any logged-in user may start a project: they become its admin, and it gets its first API key (shown once). */
export async function addProject(
  handle: QueryRunner,
  user: { id: string; email: string },
  request: CreateProjectRequest,
): Promise<CreatedProject> {
  const actor: AuditActor = { kind: 'user', id: user.id, label: user.email };
  return handle.transaction(async (tx) => {
    const created = await createProjectWithFirstKey(tx.db, request.name, { userId: user.id, actor });
    return {
      project: await getProjectOf(tx, created.projectId, user.id),
      apiKey: { apiKey: await getApiKeySummary(tx, created.projectId, created.keyId), key: created.key },
    };
  });
}

/** Renames the project and records it as the settings page's rename is recorded; the same name changes nothing. */
export async function renameProject(
  handle: QueryRunner,
  projectId: string,
  request: RenameProjectRequest,
  user: { id: string; email: string },
): Promise<ProjectSummary> {
  return handle.transaction(async (tx) => {
    const [before] = await tx.db
      .select({ name: projects.name })
      .from(projects)
      .where(eq(projects.id, projectId))
      .for('update');
    if (!before) throw new AppError('not_found', `No project ${projectId}`);
    if (before.name === request.name) return getProjectOf(tx, projectId, user.id);
    await tx.db.update(projects).set({ name: request.name }).where(eq(projects.id, projectId));
    await recordAudit(tx.db, projectId, {
      action: 'settings.renamed',
      actor: { kind: 'user', id: user.id, label: user.email },
      target: before.name,
      details: { from: { name: before.name }, to: { name: request.name } },
    });
    return getProjectOf(tx, projectId, user.id);
  });
}

/**
 * Deletes the project row in one short transaction; foreign keys take its members (and their prompt grants), keys,
 * invites, prompts, custom prices and audit events with it. Its executions, payloads, trace steps, prompt versions
 * and rollups have no such key (they are written on the ingestion path) and are removed after, in batches, by
 * purgeProjectData. The same transaction records the deletion in project_deletions, which outlives the project's
 * audit log and tells a restarted server which purges to finish. From the commit on, the project answers 404 to
 * everyone and no key of it works.
 */
export async function deleteProject(
  handle: QueryRunner,
  projectId: string,
  user: { email: string },
): Promise<{ name: string }> {
  return handle.transaction(async (tx) => {
    const [deleted] = await tx.db.delete(projects).where(eq(projects.id, projectId)).returning({ name: projects.name });
    if (!deleted) throw new AppError('not_found', `No project ${projectId}`);
    await tx.db
      .insert(projectDeletions)
      .values({ deletedProjectId: projectId, name: deleted.name, deletedByEmail: user.email });
    return deleted;
  });
}

async function getProjectOf(handle: QueryRunner, projectId: string, userId: string): Promise<ProjectSummary> {
  const [project] = await handle.query(
    `select p.id, p.name, m.role, p.retention_days as "retentionDays"
     from projects p join project_members m on m.project_id = p.id and m.user_id = $2
     where p.id = $1`,
    [projectId, userId],
    ProjectSummary,
  );
  if (!project) throw new AppError('not_found', `No project ${projectId}`);
  return project;
}
