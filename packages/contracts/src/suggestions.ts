import { z } from 'zod';
import { PromptReference } from './common';
import { ProjectQuery } from './executions-query';

/** The filter fields with suggestions. */
export const SUGGESTION_FIELDS = ['model', 'tag'] as const;
export type SuggestionField = (typeof SUGGESTION_FIELDS)[number];

export const SuggestionsQuery = ProjectQuery.extend({
  field: z.enum(SUGGESTION_FIELDS).describe('The filter field whose values are suggested'),
  promptId: PromptReference.optional().describe("One prompt's values; the whole project's when absent"),
  prefix: z.string().max(200).default('').describe('Only values starting with this text, ignoring case'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SuggestionsQuery = z.infer<typeof SuggestionsQuery>;

export const Suggestion = z.object({
  value: z.string(),
  calls: z
    .number()
    .int()
    .nullable()
    .describe('Calls seen with this value, within the rollup retention; null for tags, whose calls are not counted'),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const Suggestions = z.object({
  items: z
    .array(Suggestion)
    .describe('Models: most called first. Tags: seen on the most recent day first, then by name'),
});
export type Suggestions = z.infer<typeof Suggestions>;
