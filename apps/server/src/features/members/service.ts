import { type CreateInviteRequest, type Invite, Member, type ProjectRole } from '@promptlog/contracts';
import { type Database, projectMembers, promptAccess, prompts, type QueryRunner } from '@promptlog/db';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../errors';
import { isoUtcText } from '../../lib/iso-time';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import { createInvite, getInvite, markInviteRevoked } from './invites';

const SELECT_MEMBERS = `
select m.user_id as "userId", u.email, m.role,
  ${isoUtcText('m.created_at')} as "joinedAt",
  coalesce((select array_agg(a.prompt_id order by a.prompt_id) from prompt_access a
            where a.project_id = m.project_id and a.user_id = m.user_id), '{}') as "promptAccess"
from project_members m join users u on u.id = m.user_id
where m.project_id = $1`;

export async function listMembers(handle: QueryRunner, projectId: string): Promise<Member[]> {
  return handle.query(`${SELECT_MEMBERS} order by m.created_at, u.email`, [projectId], Member);
}

export async function getMember(handle: QueryRunner, projectId: string, userId: string): Promise<Member> {
  const [member] = await handle.query(`${SELECT_MEMBERS} and m.user_id = $2`, [projectId, userId], Member);
  if (!member) throw new AppError('not_found', `No member ${userId} in this project`);
  return member;
}

/**
 * Locks the project's membership rows for the rest of the transaction, so two admins demoting each other at once
 * cannot leave the project without one, and returns the member's current role.
 */
async function lockMembership(tx: Database, projectId: string, userId: string) {
  const members = await tx
    .select({ userId: projectMembers.userId, role: projectMembers.role })
    .from(projectMembers)
    .where(eq(projectMembers.projectId, projectId))
    .for('update');
  const member = members.find((m) => m.userId === userId);
  if (!member) throw new AppError('not_found', `No member ${userId} in this project`);
  const admins = members.filter((m) => m.role === 'admin').length;
  return { role: member.role, isLastAdmin: member.role === 'admin' && admins === 1 };
}

/** Changes a member's role and records it, unless it is already theirs; the last admin cannot be demoted. */
export async function changeMemberRole(
  handle: QueryRunner,
  projectId: string,
  change: { userId: string; role: ProjectRole },
  actor: AuditActor,
): Promise<Member> {
  const { userId, role } = change;
  return handle.transaction(async (tx) => {
    const member = await getMember(tx, projectId, userId);
    const { from } = await updateRole(tx.db, projectId, userId, role);
    if (from === role) return member;
    await recordAudit(tx.db, projectId, {
      action: 'member.role_changed',
      actor,
      target: member.email,
      details: { userId, from, to: role },
    });
    return getMember(tx, projectId, userId);
  });
}

/** Removes a member from the project (their account stays) and records it; the last admin cannot be removed. */
export async function removeMember(
  handle: QueryRunner,
  projectId: string,
  userId: string,
  actor: AuditActor,
): Promise<void> {
  await handle.transaction(async (tx) => {
    const member = await getMember(tx, projectId, userId);
    const { role } = await deleteMembership(tx.db, projectId, userId);
    await recordAudit(tx.db, projectId, {
      action: 'member.removed',
      actor,
      target: member.email,
      details: { userId, role },
    });
  });
}

async function updateRole(
  tx: Database,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<{ from: ProjectRole }> {
  const current = await lockMembership(tx, projectId, userId);
  if (current.isLastAdmin && role !== 'admin') {
    throw new AppError('last_admin', 'This is the only admin of the project; make someone else admin first');
  }
  await tx
    .update(projectMembers)
    .set({ role })
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
  return { from: current.role };
}

async function deleteMembership(tx: Database, projectId: string, userId: string): Promise<{ role: ProjectRole }> {
  const current = await lockMembership(tx, projectId, userId);
  if (current.isLastAdmin) {
    throw new AppError('last_admin', 'This is the only admin of the project; make someone else admin first');
  }
  // Their prompt grants go with the membership (foreign key, on delete cascade).
  await tx
    .delete(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
  return { role: current.role };
}

/** Creates a one-time invite link and records it; the token is returned this once and stored only as a hash. */
export async function inviteMember(
  handle: QueryRunner,
  projectId: string,
  request: Required<Pick<CreateInviteRequest, 'role' | 'expiresInHours'>> & { email?: string },
  actor: AuditActor,
): Promise<{ invite: Invite; token: string }> {
  return handle.transaction(async (tx) => {
    const { id, token } = await createInvite(tx.db, projectId, request, actingUserId(actor));
    await recordAudit(tx.db, projectId, {
      action: 'member.invited',
      actor,
      target: request.email ?? null,
      details: { inviteId: id, role: request.role, expiresInHours: request.expiresInHours },
    });
    return { invite: await getInvite(tx, projectId, id), token };
  });
}

/** Revokes an invite that has not been used, and records it. */
export async function revokeInvite(
  handle: QueryRunner,
  projectId: string,
  inviteId: string,
  actor: AuditActor,
): Promise<void> {
  await handle.db.transaction(async (tx) => {
    const { email } = await markInviteRevoked(tx, projectId, inviteId);
    await recordAudit(tx, projectId, {
      action: 'invite.revoked',
      actor,
      target: email,
      details: { inviteId },
    });
  });
}

/** Grants or takes back a member's edit access to one prompt (and so its logs), recording a real change. */
export async function setPromptAccess(
  handle: QueryRunner,
  projectId: string,
  change: { userId: string; promptId: string; granted: boolean },
  actor: AuditActor,
): Promise<void> {
  const { userId, promptId, granted } = change;
  await handle.transaction(async (tx) => {
    const member = await getMember(tx, projectId, userId);
    const changed = granted
      ? await grantPromptAccess(tx.db, projectId, userId, promptId, actor.id)
      : await revokePromptAccess(tx.db, projectId, userId, promptId);
    if (!changed) return;
    await recordAudit(tx.db, projectId, {
      action: granted ? 'prompt_access.granted' : 'prompt_access.revoked',
      actor,
      target: member.email,
      details: { userId, promptId },
    });
  });
}

/** Grants a member edit access to one prompt; granting twice is harmless. */
async function grantPromptAccess(
  tx: Database,
  projectId: string,
  userId: string,
  promptId: string,
  grantedBy: string | null,
): Promise<boolean> {
  const [prompt] = await tx
    .select({ id: prompts.id })
    .from(prompts)
    .where(and(eq(prompts.projectId, projectId), eq(prompts.id, promptId)));
  if (!prompt) throw new AppError('not_found', `No prompt ${promptId} in this project`);
  await lockMembership(tx, projectId, userId);
  const inserted = await tx
    .insert(promptAccess)
    .values({ projectId, userId, promptId, grantedBy })
    .onConflictDoNothing()
    .returning({ promptId: promptAccess.promptId });
  return inserted.length > 0;
}

async function revokePromptAccess(tx: Database, projectId: string, userId: string, promptId: string): Promise<boolean> {
  const deleted = await tx
    .delete(promptAccess)
    .where(
      and(eq(promptAccess.projectId, projectId), eq(promptAccess.userId, userId), eq(promptAccess.promptId, promptId)),
    )
    .returning({ promptId: promptAccess.promptId });
  return deleted.length > 0;
}
