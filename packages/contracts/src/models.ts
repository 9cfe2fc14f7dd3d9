import { z } from 'zod';

/** The price a model's calls get now: a custom price of the project, else the catalogue's, per million tokens. */
export const ModelPrice = z.object({
  source: z.enum(['custom', 'catalog']),
  /** As executions record it: `custom:<id>` or `catalog:<provider>/<model>`. */
  ref: z.string(),
  customPriceId: z.uuid().nullable(),
  /** The custom price's model name or prefix, and how it matches; null for the catalogue. */
  pattern: z.string().nullable(),
  match: z.enum(['exact', 'prefix']).nullable(),
  effectiveFrom: z.string().nullable(),
  inputPerMillion: z.string(),
  outputPerMillion: z.string(),
  cacheReadPerMillion: z.string().nullable().describe('null: cache reads cost the input price'),
  cacheWritePerMillion: z.string().nullable().describe('null: cache writes cost the input price'),
  reasoningPerMillion: z
    .string()
    .describe(
      "Reasoning tokens are output tokens: a custom price's reasoning rate if it has one, else the output price",
    ),
  tiered: z.boolean().describe('Requests over a size pay other prices; these are the base ones'),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const ModelSummary = z.object({
  model: z.string(),
  calls: z.number().int(),
  unpricedCalls: z.number().int(),
  /** Exact total of the priced calls; null when none was priced. */
  costUsd: z.string().nullable(),
  /** Null: no price is known for this model. */
  price: ModelPrice.nullable(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelList = z.object({ items: z.array(ModelSummary) });
export type ModelList = z.infer<typeof ModelList>;
