import { z } from 'zod';

export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

/** How deep arrays and objects may nest in one payload field; deeper JSON is refused before anything walks it. */
export const MAX_PAYLOAD_NESTING = 64;

/** Whether arrays and objects nest more than `limit` levels deep in `value` (`{}` is one level). Any depth is safe to ask. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { item: object; depth: number }[] = [];
  const visit = (item: unknown, depth: number) => {
    if (typeof item === 'object' && item !== null) pending.push({ item, depth });
  };
  visit(value, 1);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > limit) return true;
    for (const child of Array.isArray(next.item) ? next.item : Object.values(next.item)) visit(child, next.depth + 1);
  }
  return false;
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text PostgreSQL can store: JSON can carry a NUL character or an unpaired surrogate, text and jsonb cannot. */
export const StorableText = z
  .string()
  .refine(
    (text) => !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text),
    'must not contain a NUL character (\\u0000) or an unpaired surrogate',
  );

/** A prompt's key where a filter, view or alert names one (it may not have been logged yet): any storable text. */
export const PromptReference = StorableText.min(1).max(200);

/** The earliest instant PostgreSQL stores as a timestamp the way the API writes it (it has no year 0). */
const YEAR_ONE = Date.parse('0001-01-01T00:00:00Z');

export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine((value) => Date.parse(value) >= YEAR_ONE, 'must be in the year 1 or later (UTC)');

export const DecimalString = z
  .union([z.string(), z.number()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .pipe(
    z
      .string()
      .max(40, 'must have at most 40 characters')
      .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal such as "0.0125"'),
  );

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(ErrorIssue).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  database: z.enum(['embedded', 'postgres']),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** A query parameter that may repeat (`status=error&status=cancelled`), read as a list. */
export const RepeatedParam = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[])
    .optional();
