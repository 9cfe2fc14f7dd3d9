import { z } from 'zod';
import { ProjectRole } from './access';
import { StorableText } from './common';
import { PASSWORD_LENGTH } from './rules';

export const Password = z
  .string()
  .min(PASSWORD_LENGTH.min, `must be at least ${PASSWORD_LENGTH.min} characters`)
  .max(PASSWORD_LENGTH.max);

export const LoginRequest = z.object({ email: z.email(), password: z.string().min(1).max(200) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SetupRequest = z.object({
  email: z.email(),
  password: Password,
  projectName: StorableText.trim().min(1).max(100),
});
export type SetupRequest = z.infer<typeof SetupRequest>;

export const ProjectSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  role: ProjectRole,
  retentionDays: z.number().int().nullable().describe('How long executions are kept; null keeps them'),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const Me = z.object({
  user: z.object({ id: z.uuid(), email: z.string() }),
  projects: z.array(ProjectSummary),
  csrfToken: z.string().describe('Send as the X-CSRF-Token header on every change made with the session cookie'),
});
export type Me = z.infer<typeof Me>;

export const AuthStatus = z.object({ needsSetup: z.boolean() });
export type AuthStatus = z.infer<typeof AuthStatus>;

export const SetupResponse = Me.extend({
  apiKey: z.string().describe('Shown once: the project API key for Authorization: Bearer'),
});
export type SetupResponse = z.infer<typeof SetupResponse>;

export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** Accept an invite: logged in, with no body; otherwise create an account with email and password. */
export const AcceptInviteRequest = z.object({ email: z.email(), password: Password }).partial();
export type AcceptInviteRequest = z.infer<typeof AcceptInviteRequest>;

export const CSRF_HEADER = 'x-csrf-token';
