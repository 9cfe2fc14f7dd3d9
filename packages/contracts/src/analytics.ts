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
