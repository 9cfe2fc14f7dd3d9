import { type CreateInviteRequest, Invite, InvitePreview, type ProjectRole } from '@promptlog/contracts';
import { type Database, invites, projectMembers, type QueryRunner } from '@promptlog/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { isoUtcText } from '../../lib/iso-time';
import { randomToken, sha256 } from '../../lib/secrets';

const SELECT_INVITES = `
select i.id, i.role, i.email, u.email as "createdBy",
  ${isoUtcText('i.created_at')} as "createdAt",
  ${isoUtcText('i.expires_at')} as "expiresAt"
from invites i left join users u on u.id = i.created_by
where i.project_id = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()`;

/** Invites that can still be accepted, newest first. */
export async function listPendingInvites(handle: QueryRunner, projectId: string): Promise<Invite[]> {
  return handle.query(`${SELECT_INVITES} order by i.created_at desc`, [projectId], Invite);
}

export async function createInvite(
  tx: Database,
  projectId: string,
  request: Required<Pick<CreateInviteRequest, 'role' | 'expiresInHours'>> & { email?: string },
  createdBy: string | null,
): Promise<{ id: string; token: string }> {
  const token = randomToken('inv_');
  const id = uuidv7();
  await tx.insert(invites).values({
    projectId,
    id,
    tokenHash: sha256(token),
    role: request.role,
    email: request.email?.toLowerCase() ?? null,
    createdBy,
    expiresAt: new Date(Date.now() + request.expiresInHours * 3_600_000),
  });
  return { id, token };
}

export async function getInvite(handle: QueryRunner, projectId: string, id: string): Promise<Invite> {
  const [invite] = await handle.query(`${SELECT_INVITES} and i.id = $2`, [projectId, id], Invite);
  if (!invite) throw new AppError('not_found', `No pending invite ${id}`);
  return invite;
}

/** Marks a pending invite revoked, in the caller's transaction. */
export async function markInviteRevoked(
  tx: Database,
  projectId: string,
  id: string,
): Promise<{ email: string | null }> {
  const [revoked] = await tx
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(invites.projectId, projectId), eq(invites.id, id), isNull(invites.acceptedAt), isNull(invites.revokedAt)),
    )
    .returning({ email: invites.email });
  if (!revoked) throw new AppError('not_found', `No pending invite ${id}`);
  return revoked;
}

const UNUSABLE = 'This invite link is unknown, already used, revoked or expired; ask a project admin for a new one';

/** What the holder of a link sees before accepting it. */
export async function previewInvite(handle: QueryRunner, token: string): Promise<InvitePreview> {
  const [preview] = await handle.query(
    `select p.name as "projectName", i.role, i.email,
       ${isoUtcText('i.expires_at')} as "expiresAt"
     from invites i join projects p on p.id = i.project_id
     where i.token_hash = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()`,
    [sha256(token)],
    InvitePreview,
  );
  if (!preview) throw new AppError('not_found', UNUSABLE);
  return preview;
}

/**
 * Uses the invite once: marks it accepted and makes the user a member, in the caller's transaction. The guarded
 * update means two people racing on one link cannot both join.
 */
export async function redeemInvite(
  tx: Database,
  token: string,
  userId: string,
): Promise<{ projectId: string; role: ProjectRole; inviteId: string }> {
  const [invite] = await tx
    .update(invites)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(
      and(
        eq(invites.tokenHash, sha256(token)),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        sql`${invites.expiresAt} > now()`,
      ),
    )
    .returning({ projectId: invites.projectId, role: invites.role, id: invites.id });
  if (!invite) throw new AppError('not_found', UNUSABLE);
  const joined = await tx
    .insert(projectMembers)
    .values({ projectId: invite.projectId, userId, role: invite.role })
    .onConflictDoNothing()
    .returning({ userId: projectMembers.userId });
  if (joined.length === 0) {
    throw new AppError('conflict', 'You are already a member of this project; the invite was left unused');
  }
  return { projectId: invite.projectId, role: invite.role, inviteId: invite.id };
}
