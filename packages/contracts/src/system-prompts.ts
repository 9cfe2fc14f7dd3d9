import { z } from 'zod';
import { ProjectQuery } from './executions-query';

/** Texts listed per version at most, most called first; `versions` counts them all. */
export const SYSTEM_PROMPTS_PER_VERSION = 10;

export const SystemPromptsQuery = ProjectQuery;
export type SystemPromptsQuery = z.infer<typeof SystemPromptsQuery>;

export const SystemPromptItem = z.object({
  hash: z
    .string()
    .describe('The first 128 bits of the SHA-256 of the system prompt as stored (after redaction), in hex'),
  promptVersion: z.number().int().nullable().describe('The version label it was logged with; null for none'),
  firstSeenAt: z.string().describe('Start of the first call of this version with this text (ISO 8601)'),
  lastSeenAt: z.string().describe('Start of the latest call of this version with this text (ISO 8601)'),
  calls: z.number().int().describe('Calls of this version with this text'),
  text: z
    .string()
    .nullable()
    .describe(
      "The text, redacted; null when the project's payload policy kept the payload of none of its calls, or retention deleted it",
    ),
});
export type SystemPromptItem = z.infer<typeof SystemPromptItem>;

export const SystemPromptVersion = z.object({
  promptVersion: z.number().int().nullable(),
  distinctTexts: z
    .number()
    .int()
    .describe('Different system prompts this version was logged with; more than 1 is drift'),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  calls: z.number().int().describe('Calls of this version that carried a system prompt'),
});
export type SystemPromptVersion = z.infer<typeof SystemPromptVersion>;

export const SystemPromptList = z.object({
  items: z
    .array(SystemPromptItem)
    .describe(
      `Newest version first, each version's texts most called first, at most ${SYSTEM_PROMPTS_PER_VERSION} per version`,
    ),
  versions: z.array(SystemPromptVersion).describe('Every version that carried a system prompt, newest first'),
});
export type SystemPromptList = z.infer<typeof SystemPromptList>;
