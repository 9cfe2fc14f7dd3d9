import { z } from 'zod';
import { DecimalString, IsoDateTime, StorableText } from './common';

export const CustomPriceInput = z.object({
  model: StorableText.min(1).max(200),
  match: z.enum(['exact', 'prefix']).default('exact'),
  effectiveFrom: IsoDateTime.default('1970-01-01T00:00:00Z'),
  inputPerMillion: DecimalString,
  outputPerMillion: DecimalString,
  cacheReadPerMillion: DecimalString.optional(),
  cacheWritePerMillion: DecimalString.optional(),
  reasoningPerMillion: DecimalString.optional().describe(
    'Reasoning tokens (part of the output tokens) at this rate, the rest of the output at the output rate; absent: all output at the output rate',
  ),
});
export type CustomPriceInput = z.infer<typeof CustomPriceInput>;

export const CustomPrice = z.object({
  id: z.uuid(),
  model: z.string(),
  match: z.enum(['exact', 'prefix']),
  effectiveFrom: z.string(),
  inputPerMillion: z.string(),
  outputPerMillion: z.string(),
  cacheReadPerMillion: z.string().nullable(),
  cacheWritePerMillion: z.string().nullable(),
  reasoningPerMillion: z.string().nullable().describe('null: reasoning tokens cost the output price'),
  createdAt: z.string(),
});
export type CustomPrice = z.infer<typeof CustomPrice>;

export const RepricingState = z.enum(['queued', 'running', 'done', 'failed']);
export type RepricingState = z.infer<typeof RepricingState>;

/** The background re-pricing a price change started, with its progress as the last committed chunk left it. */
export const RepricingJob = z.object({
  id: z.uuid(),
  state: RepricingState,
  priceId: z.uuid(),
  action: z.enum(['created', 'updated', 'deleted']),
  model: z.string().describe("The price's model name or prefix"),
  total: z
    .number()
    .int()
    .nullable()
    .describe('Executions the price change covered when the walk started (an estimate: more may arrive); null before'),
  processed: z.number().int().describe('Covered executions walked so far'),
  repriced: z.number().int().describe('Executions whose cost changed so far'),
  error: z.string().nullable().describe('Why the last chunk failed; a failed job keeps it until retried'),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RepricingJob = z.infer<typeof RepricingJob>;
export const RepricingJobList = z.object({ items: z.array(RepricingJob) });
export type RepricingJobList = z.infer<typeof RepricingJobList>;
export const RepricingJobIdParams = z.object({ id: z.uuid() });

/** A price change commits with its re-pricing job; the executions are re-priced in the background after it. */
export const CustomPriceCreated = z.object({ price: CustomPrice, repricing: RepricingJob });
export type CustomPriceCreated = z.infer<typeof CustomPriceCreated>;
export const CustomPriceList = z.object({ items: z.array(CustomPrice) });
export type CustomPriceList = z.infer<typeof CustomPriceList>;
export const CustomPriceIdParams = z.object({ id: z.uuid() });

export const CustomPriceUpdated = CustomPriceCreated;
export type CustomPriceUpdated = CustomPriceCreated;
export const CustomPriceDeleted = z.object({ repricing: RepricingJob });
export type CustomPriceDeleted = z.infer<typeof CustomPriceDeleted>;

/** A price as it would be saved (in place of `priceId` when editing one), to count what saving it would re-price. */
export const CustomPricePreviewRequest = CustomPriceInput.extend({ priceId: z.uuid().optional() });
export type CustomPricePreviewRequest = z.infer<typeof CustomPricePreviewRequest>;
export const CustomPricePreview = z.object({
  repricedExecutions: z
    .number()
    .int()
    .describe('Executions whose cost saving this price would change, of those checked'),
  checkedExecutions: z.number().int().describe('Executions the price covers that were checked, oldest first'),
  complete: z
    .boolean()
    .describe(
      'False when the price covers more executions than a preview checks: saving re-prices at least repricedExecutions',
    ),
});
export type CustomPricePreview = z.infer<typeof CustomPricePreview>;
