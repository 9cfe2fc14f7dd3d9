import { z } from 'zod';
import { IsoDateTime, PromptReference, RepeatedParam } from './common';
import {
  CONVERSATION_ID_MAX,
  CostOrigin,
  ExecutionRecord,
  ExecutionStatus,
  OutputSignal,
  SourceType,
} from './execution';
import { DEFAULT_EXECUTION_SORT, EXECUTION_SORTS, REVIEW_RATINGS, REVIEWED_FILTER_VALUES } from './rules';

export const EXECUTION_FILTER_KEYS = [
  'promptId',
  'status',
  'source',
  'version',
  'model',
  'tag',
  'conversationId',
  'signal',
  'flagged',
  'reviewed',
  'rating',
  'label',
] as const;
const KNOWN_QUERY_KEYS = new Set<string>([
  ...EXECUTION_FILTER_KEYS,
  'projectId',
  'from',
  'to',
  'q',
  'limit',
  'cursor',
  'sort',
]);

export const ExecutionSort = z
  .enum(EXECUTION_SORTS)
  .describe(
    'The order: time (startedAt), latency, cost or tokens (input + output), descending or ascending; ties by id in the same direction. Executions without the value (pending, unpriced, no usage) come last either way.',
  );
export type ExecutionSort = z.infer<typeof ExecutionSort>;

/**
 * GET /api/v1/executions. Every filter may repeat (OR within one filter, AND across filters);
 * `meta.<key>=<value>` filters on a metadata entry. Most recent first unless `sort` says otherwise, keyset-paginated by
 * `cursor` (a cursor holds its sort, and is refused under another).
 */
export const ListExecutionsQuery = z
  .looseObject({
    projectId: z.uuid().optional(),
    promptId: RepeatedParam(z.string().min(1)),
    status: RepeatedParam(ExecutionStatus),
    source: RepeatedParam(SourceType),
    version: RepeatedParam(z.coerce.number().int().positive()),
    model: RepeatedParam(z.string().min(1)),
    tag: RepeatedParam(z.string().min(1)),
    conversationId: RepeatedParam(z.string().min(1).max(CONVERSATION_ID_MAX)),
    signal: RepeatedParam(OutputSignal).describe('Executions with any of these output signals'),
    flagged: z
      .literal('true')
      .optional()
      .describe('Executions that need a look: an error, or any output signal (the review queue)'),
    reviewed: z
      .enum(REVIEWED_FILTER_VALUES)
      .optional()
      .describe('true: executions someone reviewed (a rating, note or label); false: those nobody has'),
    rating: RepeatedParam(z.enum(REVIEW_RATINGS)).describe(
      "Executions whose review has any of these ratings: 'up', 'down'",
    ),
    label: RepeatedParam(z.uuid()).describe("Executions whose review has any of these labels (the labels' ids)"),
    from: IsoDateTime.optional().describe('Inclusive lower bound on startedAt'),
    to: IsoDateTime.optional().describe('Exclusive upper bound on startedAt'),
    q: z.string().trim().min(1).max(200).optional().describe('Text searched in inputs, output and error (any script)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page, listed with the same sort'),
    sort: ExecutionSort.default(DEFAULT_EXECUTION_SORT),
  })
  .superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (KNOWN_QUERY_KEYS.has(key) || key.startsWith('meta.')) continue;
      ctx.addIssue({ code: 'custom', path: [key], message: 'is not a known filter (use meta.<key> for metadata)' });
    }
  })
  .transform(
    ({
      projectId,
      promptId,
      status,
      source,
      version,
      model,
      tag,
      conversationId,
      signal,
      flagged,
      reviewed,
      rating,
      label,
      from,
      to,
      q,
      limit,
      cursor,
      sort,
      ...rest
    }) => ({
      projectId,
      promptId,
      status,
      source,
      version,
      model,
      tag,
      conversationId,
      signal,
      flagged: flagged === 'true' || undefined,
      reviewed: reviewed === undefined ? undefined : reviewed === 'true',
      rating,
      label,
      from,
      to,
      q,
      limit,
      cursor,
      sort,
      metadata: Object.entries(rest).flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((v) => ({ key: key.slice('meta.'.length), value: String(v) })),
      ),
    }),
  );
export type ListExecutionsQuery = z.output<typeof ListExecutionsQuery>;

/** The narrow row of a list: no inputs, output or other payloads. */
export const ExecutionListItem = z.object({
  id: z.uuid(),
  promptId: z.string(),
  promptVersion: z.number().int().nullable(),
  status: ExecutionStatus,
  source: z.object({ type: SourceType, id: z.string().nullable(), url: z.string().nullable() }),
  model: z.string(),
  provider: z.string().nullable(),
  startedAt: z.string(),
  latencyMs: z.number().int().nullable(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  costUsd: z.string().nullable(),
  costOrigin: CostOrigin,
  errorType: z.string().nullable(),
  tags: z.array(z.string()),
  attempt: z.number().int().nullable(),
  generation: z.number().int().nullable(),
  traceStepIndex: z.number().int().nullable(),
  traceStepType: z.string().nullable(),
  conversationId: z.string().nullable(),
  signals: z.array(OutputSignal).describe('The output signals this execution raised; empty for most'),
});
export type ExecutionListItem = z.infer<typeof ExecutionListItem>;

export const ExecutionListPage = z.object({
  items: z.array(ExecutionListItem),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as cursor, with the same sort, for the next page; null on the last page'),
  searched: z
    .object({
      executions: z.number().int().describe('How many executions this request searched, in the list order'),
      through: z.string().describe('startedAt of the last execution searched (the oldest, in the default order)'),
    })
    .optional()
    .describe(
      'Present when a text search (q) stopped before filling the page: it reads a bounded number of executions per request so a term that matches nothing answers quickly. Pass nextCursor to search further back.',
    ),
});
export type ExecutionListPage = z.infer<typeof ExecutionListPage>;

/** One execution for the detail drawer, with its trace and its retries and regenerations, in one request. */
export const PAYLOAD_STATES = ['stored', 'omitted_by_policy'] as const;

export const ExecutionDetail = ExecutionRecord.extend({
  payload: z
    .enum(PAYLOAD_STATES)
    .describe("omitted_by_policy: the project's payload policy kept only metadata for this execution"),
  redactions: z
    .record(z.string(), z.number().int())
    .describe('How many values each redaction rule replaced at ingestion, e.g. { "api_key": 2 }'),
  traceSteps: z.array(ExecutionListItem).describe('Every execution of the same trace, in step order'),
  siblings: z
    .array(ExecutionListItem)
    .describe('Attempts and generations at the same location of the same run, this one included, in order'),
});
export type ExecutionDetail = z.infer<typeof ExecutionDetail>;

/** The prompt list's window: the current UTC hour and the 23 before it, as the Analytics tab's "Last 24 hours". */
const PROMPT_WINDOW_HOURS = 24;

export const PromptSummary = z.object({
  id: z.string(),
  lastRunAt: z.string().nullable(),
  runs24h: z
    .number()
    .int()
    .describe('Runs in the last 24 hours: the current UTC hour and the 23 before it (see hourlyRuns24h.from)'),
  errors24h: z.number().int(),
  errorRate24h: z.number().nullable().describe('errors / runs over the last 24 hours, 0–1; null without runs'),
  costUsd24h: z
    .string()
    .nullable()
    .describe('Exact decimal sum of the priced runs of the last 24 hours; null when none of them has a known cost'),
  unpricedRuns24h: z.number().int().describe('Runs of the last 24 hours with no known cost, left out of costUsd24h'),
  p95LatencyMs24h: z
    .number()
    .nullable()
    .describe('95th percentile latency of the last 24 hours, from the latency histogram (within 5%); null without one'),
  hourlyRuns24h: z.object({
    from: z.string().describe('Start of the first hour (ISO 8601, UTC)'),
    runs: z.array(z.number().int()).length(PROMPT_WINDOW_HOURS).describe('Runs per hour, oldest first'),
  }),
  versions: z.array(z.number().int()),
  canViewLogs: z
    .boolean()
    .describe("Whether the caller may read this prompt's logs: editors, admins and granted viewers"),
});
export type PromptSummary = z.infer<typeof PromptSummary>;

export const PromptList = z.object({ items: z.array(PromptSummary) });
export type PromptList = z.infer<typeof PromptList>;

export const PromptParams = z.object({ promptId: PromptReference });
export type PromptParams = z.infer<typeof PromptParams>;

export const ProjectQuery = z.object({ projectId: z.uuid().optional() });
