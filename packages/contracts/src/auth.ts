import { z } from 'zod';

export const Password = z.string().min(10, 'must be at least 10 characters').max(200);

export const LoginRequest = z.object({ email: z.email(), password: z.string().min(1).max(200) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SetupRequest = z.object({
  email: z.email(),
  password: Password,
  projectName: z.string().trim().min(1).max(100),
});
export type SetupRequest = z.infer<typeof SetupRequest>;

export const ProjectSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(['viewer', 'editor', 'admin']),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const Me = z.object({
  user: z.object({ id: z.uuid(), email: z.string() }),
  projects: z.array(ProjectSummary),
});
export type Me = z.infer<typeof Me>;

export const AuthStatus = z.object({ needsSetup: z.boolean() });
export type AuthStatus = z.infer<typeof AuthStatus>;

export const SetupResponse = Me.extend({
  apiKey: z.string().describe('Shown once: the project API key for Authorization: Bearer'),
});
export type SetupResponse = z.infer<typeof SetupResponse>;
