import { z } from 'zod';
import { StorableText } from './common';
import { BUILTIN_REDACTION_RULES, PAYLOAD_POLICIES, REDACTION_RULE_NAME } from './rules';

export const BuiltinRedactionRule = z.enum(BUILTIN_REDACTION_RULES);
export type BuiltinRedactionRule = z.infer<typeof BuiltinRedactionRule>;

export const RedactionRuleName = z.string().regex(REDACTION_RULE_NAME.pattern, REDACTION_RULE_NAME.message);

export const CustomRedactionRule = z.object({
  name: RedactionRuleName.describe('Shown in the stored text as [REDACTED:<name>]'),
  pattern: StorableText.min(1)
    .max(500)
    .describe('A regular expression in RE2 syntax: it runs in linear time, so no lookaround or backreferences'),
  caseInsensitive: z.boolean().default(false),
});
export type CustomRedactionRule = z.infer<typeof CustomRedactionRule>;

export const RedactionSettings = z.object({
  builtins: z
    .array(BuiltinRedactionRule)
    .max(100)
    .refine((rules) => new Set(rules).size === rules.length, 'lists a rule twice')
    .describe('The built-in detectors that are on'),
  custom: z.array(CustomRedactionRule).max(50),
});
export type RedactionSettings = z.infer<typeof RedactionSettings>;

export const PayloadPolicy = z.enum(PAYLOAD_POLICIES);
export type PayloadPolicy = z.infer<typeof PayloadPolicy>;

/** Days; null keeps forever. */
const RetentionDays = z.number().int().min(1).max(36_500).nullable();

export const ProjectSettings = z.object({
  projectId: z.uuid(),
  name: z.string(),
  retentionDays: RetentionDays.describe('Executions and their payloads older than this are deleted; null keeps them'),
  rollupRetentionDays: RetentionDays.describe('Hourly aggregates older than this are deleted; null keeps them'),
  payloadPolicy: PayloadPolicy,
  payloadSampleRate: z
    .number()
    .min(0)
    .max(1)
    .describe('With errors_and_sampled: the fraction of non-failed executions whose payloads are kept'),
  redaction: RedactionSettings,
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const UpdateProjectSettings = z
  .object({
    name: StorableText.trim().min(1).max(100),
    retentionDays: RetentionDays,
    rollupRetentionDays: RetentionDays,
    payloadPolicy: PayloadPolicy,
    payloadSampleRate: z
      .number()
      .min(0)
      .max(1)
      .refine((rate) => rate === 0 || rate >= 1e-6, 'must be 0 or at least 0.000001'),
    redaction: RedactionSettings,
  })
  .partial()
  .refine((s) => Object.keys(s).length > 0, 'send at least one setting');
export type UpdateProjectSettings = z.output<typeof UpdateProjectSettings>;

/** Try redaction rules on a sample text without saving them. */
export const RedactionPreviewRequest = z.object({ redaction: RedactionSettings, text: z.string().max(100_000) });
export const RedactionPreview = z.object({
  text: z.string(),
  counts: z.record(z.string(), z.number().int()),
});
export type RedactionPreview = z.infer<typeof RedactionPreview>;
