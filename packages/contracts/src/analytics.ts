import { z } from 'zod';
import { IsoDateTime, RepeatedParam } from './common';
import { ExecutionStatus, SourceType } from './execution';

/**
 * The slice of executions an analytics request covers. Without promptId: the whole project; with
 * `allProjects=true` (sessions only): every project the user belongs to. The window defaults to the
 * last 24 hours; bounds are rounded out to whole hours, the rollups' grain.
 */
export const AnalyticsFilters = z.object({
  projectId: z.uuid().optional(),
  allProjects: z.stringbool().optional(),
  promptId: RepeatedParam(z.string().min(1)),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  source: RepeatedParam(SourceType),
  status: RepeatedParam(ExecutionStatus),
  version: RepeatedParam(z.coerce.number().int().positive()),
  model: RepeatedParam(z.string().min(1)),
});
export type AnalyticsFilters = z.output<typeof AnalyticsFilters>;

export const Measures = z.object({
  calls: z.number().int(),
  successRate: z.number().nullable().describe('0–1; null without calls'),
  errorRate: z.number().nullable().describe('0–1; null without calls'),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  totalTokens: z.number().int(),
  costUsd: z.string().nullable().describe('Exact decimal; null when no call in the slice has a known cost'),
  unpricedCalls: z.number().int().describe('Calls with no known cost (unknown model or no usage)'),
  thinkingCalls: z.number().int().describe('Calls that recorded thinking'),
  avgLatencyMs: z.number().nullable(),
  p50LatencyMs: z.number().nullable().describe('From a log-bucketed histogram: within about 5%'),
  p95LatencyMs: z.number().nullable(),
  refusalRate: z.number().nullable().describe('0–1 of calls whose answer was a refusal; null without calls'),
  truncationRate: z.number().nullable().describe('0–1 of calls cut off by the length limit; null without calls'),
  jsonCheckedCalls: z.number().int().describe('Calls whose answer was checked as JSON (docs/signals.md)'),
  jsonInvalidRate: z.number().nullable().describe('0–1 of the calls whose JSON was checked; null when none was'),
  avgOutputChars: z.number().nullable().describe('Average answer length in characters; null without an answer'),
  p95OutputChars: z
    .number()
    .nullable()
    .describe('95th percentile answer length in characters, from a log-bucketed histogram: within about 5%'),
});
export type Measures = z.infer<typeof Measures>;

export const AnalyticsSummary = Measures;
export type AnalyticsSummary = Measures;

export const TimeseriesQuery = AnalyticsFilters.extend({
  interval: z.enum(['hour', 'day']).default('hour'),
  tz: z.string().min(1).max(64).default('UTC').describe('IANA time zone the buckets start in, e.g. Europe/Paris'),
  by: z.enum(['errorType', 'model', 'status']).optional().describe('Also return one series per value'),
});
export type TimeseriesQuery = z.output<typeof TimeseriesQuery>;

export const TimeseriesPoint = Measures.extend({ start: z.string().describe('Bucket start, ISO-8601 with offset') });
export type TimeseriesPoint = z.infer<typeof TimeseriesPoint>;

export const Timeseries = z.object({
  points: z.array(TimeseriesPoint).describe('Every bucket of the window, empty ones included'),
  series: z
    .array(z.object({ key: z.string().nullable(), points: z.array(TimeseriesPoint) }))
    .optional()
    .describe('With `by`: the same buckets per value'),
});
export type Timeseries = z.infer<typeof Timeseries>;

export const BREAKDOWN_DIMENSIONS = [
  'model',
  'provider',
  'source',
  'version',
  'status',
  'errorType',
  'field',
  'prompt',
] as const;
export const MEASURE_KEYS = [
  'calls',
  'successRate',
  'errorRate',
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'costUsd',
  'unpricedCalls',
  'avgLatencyMs',
  'p95LatencyMs',
  'refusalRate',
  'truncationRate',
  'jsonInvalidRate',
  'avgOutputChars',
  'p95OutputChars',
] as const;

export const BreakdownQuery = AnalyticsFilters.extend({
  by: z.enum(BREAKDOWN_DIMENSIONS),
  sort: z.enum(MEASURE_KEYS).default('calls'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type BreakdownQuery = z.output<typeof BreakdownQuery>;

export const BreakdownItem = Measures.extend({
  key: z.string().nullable().describe('The value of the dimension; null where it was not recorded'),
  models: z.array(z.string()).describe('Models seen in this group (empty for by=prompt and by=model)'),
  projectId: z.uuid().optional().describe('With by=prompt: the prompt’s project'),
});
export type BreakdownItem = z.infer<typeof BreakdownItem>;

export const Breakdown = z.object({ items: z.array(BreakdownItem) });
export type Breakdown = z.infer<typeof Breakdown>;

/** The window and filters of the Analytics tab (the prompt is in the path, the versions are `a` and `b`). */
export const VersionComparisonQuery = AnalyticsFilters.pick({
  projectId: true,
  from: true,
  to: true,
  source: true,
  status: true,
  model: true,
}).extend({
  a: z.coerce.number().int().positive().describe('The version compared against (the baseline)'),
  b: z.coerce.number().int().positive().describe('The version judged'),
});
export type VersionComparisonQuery = z.output<typeof VersionComparisonQuery>;

export const COMPARED_MEASURES = [
  'calls',
  'successRate',
  'errorRate',
  'refusalRate',
  'truncationRate',
  'jsonInvalidRate',
  'p50LatencyMs',
  'p95LatencyMs',
  'tokensPerCall',
  'costPerCall',
  'avgOutputChars',
  'p95OutputChars',
] as const;
export type ComparedMeasureKey = (typeof COMPARED_MEASURES)[number];

export const ComparisonVerdict = z
  .enum(['better', 'worse', 'higher', 'lower', 'no_clear_difference', 'untested'])
  .describe(
    'B against A: better or worse (higher or lower for a measure that is neither, such as output length) only when ' +
      'significant; untested when a side lacks the data a test needs',
  );
export type ComparisonVerdict = z.infer<typeof ComparisonVerdict>;

export const ComparisonTest = z.object({
  kind: z
    .enum(['two_proportion', 'quantile_shift', 'ratio'])
    .describe(
      'two_proportion: rates; quantile_shift: the share of calls above the reference version’s percentile bucket ' +
        '(latency, answer length), from the rollups’ histograms; ratio: a mean per call from rollup sums (rows as clusters)',
    ),
  pValue: z.number().describe('One-sided, in the direction of the observed difference'),
  ci: z
    .tuple([z.number(), z.number()])
    .describe('Interval of B − A at `confidence`, in the measure’s unit; for quantile_shift, of the shares'),
  shares: z
    .object({ reference: z.enum(['a', 'b']), a: z.number(), b: z.number() })
    .optional()
    .describe('quantile_shift: each version’s share of calls above the reference version’s percentile bucket'),
});
export type ComparisonTest = z.infer<typeof ComparisonTest>;

export const ComparedMeasure = z.object({
  measure: z.enum(COMPARED_MEASURES),
  a: z.number().nullable().describe('The value of version A; null where it has none (no calls, none priced…)'),
  b: z.number().nullable(),
  difference: z.number().nullable().describe('b − a'),
  n: z
    .object({ a: z.number().int(), b: z.number().int() })
    .describe('The calls each value counts: all, those with a latency, checked as JSON, priced or with an answer'),
  verdict: ComparisonVerdict.nullable().describe('Null for a measure never judged (calls)'),
  test: ComparisonTest.nullable(),
});
export type ComparedMeasure = z.infer<typeof ComparedMeasure>;

export const VersionComparison = z.object({
  a: z.object({ version: z.number().int(), calls: z.number().int() }),
  b: z.object({ version: z.number().int(), calls: z.number().int() }),
  from: z.string().describe('The window read, rounded out to whole hours'),
  to: z.string(),
  alpha: z.number().describe('One-sided significance level of "better" and "worse", the one alerts use'),
  confidence: z.number().describe('Level of the intervals: 1 − 2·alpha, the two-sided match of the decision'),
  measures: z.array(ComparedMeasure),
  errorTypes: z
    .array(z.object({ type: z.string().nullable(), a: z.number().int(), b: z.number().int() }))
    .describe('Errors per type on each side, most first; type null where none was recorded'),
});
export type VersionComparison = z.infer<typeof VersionComparison>;
