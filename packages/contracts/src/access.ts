import { z } from 'zod';
import { PromptReference } from './common';
import { PROJECT_ROLES } from './rules';

export const ProjectRole = z.enum(PROJECT_ROLES);
export type ProjectRole = z.infer<typeof ProjectRole>;

export const Member = z.object({
  userId: z.uuid(),
  email: z.string(),
  role: ProjectRole,
  joinedAt: z.string(),
  /** Prompts this member may edit and whose logs they may read, beyond what their role gives. */
  promptAccess: z.array(z.string()),
});
export type Member = z.infer<typeof Member>;
export const MemberList = z.object({ items: z.array(Member) });
export type MemberList = z.infer<typeof MemberList>;

export const MemberParams = z.object({ userId: z.uuid() });
export const UpdateMemberRequest = z.object({ role: ProjectRole });
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

export const PromptAccessParams = z.object({ userId: z.uuid(), promptId: PromptReference });

export const CreateInviteRequest = z.object({
  role: ProjectRole,
  email: z.email().optional().describe('Who the link is for; a note for admins, not enforced'),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});
export type CreateInviteRequest = z.input<typeof CreateInviteRequest>;

export const Invite = z.object({
  id: z.uuid(),
  role: ProjectRole,
  email: z.string().nullable(),
  createdBy: z.string().nullable().describe('Email of the admin who created it'),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Invite = z.infer<typeof Invite>;
export const InviteList = z.object({ items: z.array(Invite) });
export type InviteList = z.infer<typeof InviteList>;

export const CreatedInvite = z.object({
  invite: Invite,
  token: z.string().describe('Shown once; the link is /invite/<token>'),
  url: z.string().describe('The invite link, relative to the server'),
});
export type CreatedInvite = z.infer<typeof CreatedInvite>;

export const InviteIdParams = z.object({ id: z.uuid() });
export const InviteTokenParams = z.object({ token: z.string().min(10).max(200) });

/** What anyone holding the link may learn before accepting it. */
export const InvitePreview = z.object({
  projectName: z.string(),
  role: ProjectRole,
  email: z.string().nullable(),
  expiresAt: z.string(),
});
export type InvitePreview = z.infer<typeof InvitePreview>;
