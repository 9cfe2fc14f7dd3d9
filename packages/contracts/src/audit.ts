import { z } from 'zod';
import { IsoDateTime, RepeatedParam } from './common';
import { AUDIT_ACTIONS } from './rules';

export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEvent = z.object({
  id: z.uuid(),
  at: z.string(),
  action: AuditAction,
  actor: z
    .object({ kind: z.enum(['user', 'api_key', 'system']), id: z.string().nullable(), label: z.string() })
    .describe('Who did it: a user (label is the email), an API key (label is its label) or the system'),
  target: z.string().nullable().describe('What it was done to, in words: a key label, an email, a prompt'),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.object({
  projectId: z.uuid().optional(),
  action: RepeatedParam(AuditAction),
  actor: z.string().max(200).optional().describe("An actor's email or key label"),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type AuditQuery = z.output<typeof AuditQuery>;

export const AuditPage = z.object({ items: z.array(AuditEvent), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
