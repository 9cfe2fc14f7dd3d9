import { z } from 'zod';
import { StorableText } from './common';

export const BUILTIN_REDACTION_RULES = ['api_key', 'bearer_token', 'url_password', 'card_number'] as const;
export const BuiltinRedactionRule = z.enum(BUILTIN_REDACTION_RULES);
export type BuiltinRedactionRule = z.infer<typeof BuiltinRedactionRule>;

export const BUILTIN_REDACTION_DESCRIPTIONS: Record<BuiltinRedactionRule, string> = {
  api_key:
    'Provider API keys: OpenAI and Anthropic sk-…, Google AIza…, AWS AKIA…, GitHub, Slack, Stripe, Hugging Face and others',
  bearer_token: 'Bearer tokens, as in an Authorization header',
  url_password: 'The password in a URL such as postgres://user:password@host',
  card_number: 'Payment card numbers: the prefix and length a card issuer uses, and a valid Luhn check digit',
};

export const RedactionRuleName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1–40 lowercase letters, digits or _, starting with a letter');

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

export const PAYLOAD_POLICIES = ['all', 'errors_and_sampled', 'metadata_only'] as const;
export const PayloadPolicy = z.enum(PAYLOAD_POLICIES);
export type PayloadPolicy = z.infer<typeof PayloadPolicy>;

export const PAYLOAD_POLICY_DESCRIPTIONS: Record<PayloadPolicy, string> = {
  all: 'Store inputs, output, errors and tool calls of every execution',
  errors_and_sampled: 'Store payloads of every failed execution and of a sampled fraction of the others',
  metadata_only: 'Store no payloads: only model, tokens, cost, latency, status, source and version',
};

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
