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
  createdAt: z.string(),
});
export type CustomPrice = z.infer<typeof CustomPrice>;

export const CustomPriceCreated = z.object({ price: CustomPrice, repricedExecutions: z.number().int() });
export const CustomPriceList = z.object({ items: z.array(CustomPrice) });
export type CustomPriceList = z.infer<typeof CustomPriceList>;
export const CustomPriceIdParams = z.object({ id: z.uuid() });

export const CustomPriceUpdated = CustomPriceCreated;

/** A price as it would be saved (in place of `priceId` when editing one), to count what saving it would re-price. */
export const CustomPricePreviewRequest = CustomPriceInput.extend({ priceId: z.uuid().optional() });
export type CustomPricePreviewRequest = z.infer<typeof CustomPricePreviewRequest>;
export const CustomPricePreview = z.object({
  repricedExecutions: z.number().int().describe('Executions whose cost saving this price would change'),
});
export type CustomPricePreview = z.infer<typeof CustomPricePreview>;
