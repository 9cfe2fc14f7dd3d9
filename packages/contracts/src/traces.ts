import { z } from 'zod';
import { JsonObject } from './common';
import { CostOrigin, ExecutionStatus } from './execution';

/** What a step of a trace that is not an LLM call does. */
export const TRACE_SPAN_KINDS = [
  'agent',
  'chain',
  'tool',
  'retriever',
  'reranker',
  'guardrail',
  'evaluator',
  'workflow',
  'task',
  'other',
] as const;
export const TraceSpanKind = z.enum(TRACE_SPAN_KINDS);
export type TraceSpanKind = z.infer<typeof TraceSpanKind>;

/** OpenTelemetry's span status: `unset` is what most instrumentations leave on a step that did not fail. */
export const SPAN_STATUSES = ['ok', 'error', 'unset'] as const;
export const SpanStatus = z.enum(SPAN_STATUSES);
export type SpanStatus = z.infer<typeof SpanStatus>;

/** The most nodes one trace view returns; the earliest-starting ones are kept. */
export const TRACE_MAX_NODES = 2000;

export const TraceParams = z.object({ traceId: z.string().min(1).max(200) });
export type TraceParams = z.infer<typeof TraceParams>;

export const TraceQuery = z.object({ projectId: z.uuid().optional() });
export type TraceQuery = z.infer<typeof TraceQuery>;

const nodeFields = {
  id: z
    .string()
    .describe(
      "The node's id in the tree: a step's span id; an execution's trace.spanId, or its execution id when it has none (or when another node already has that span id)",
    ),
  parentId: z
    .string()
    .nullable()
    .describe('The parent node; null for a root, including a node whose parent is not in the trace'),
  depth: z.number().int().nonnegative().describe('0 for a root'),
  name: z.string().describe("A step's span name; for an execution its prompt id and model"),
  startedAt: z.string(),
  endedAt: z.string().nullable().describe('Null while it runs'),
  durationMs: z.number().nullable(),
  offsetMs: z.number().describe('How long after the start of the trace it started'),
  payloadHidden: z
    .boolean()
    .describe(
      "True when the caller may not read this node's payloads: an execution's inputs and outputs (its prompt's logs), a step's attributes and status message (the logs of every prompt in the trace)",
    ),
};

export const TraceExecutionNode = z.object({
  ...nodeFields,
  kind: z.literal('execution'),
  status: ExecutionStatus,
  executionId: z.uuid(),
  promptId: z.string(),
  promptVersion: z.number().int().nullable(),
  model: z.string(),
  provider: z.string().nullable(),
  costUsd: z.string().nullable().describe('Exact decimal; null when the call is unpriced'),
  costOrigin: CostOrigin,
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  errorType: z.string().nullable(),
  stepType: z.string().nullable(),
  attempt: z.number().int().nullable().describe('1-based retry attempt, as the client sent it'),
});
export type TraceExecutionNode = z.infer<typeof TraceExecutionNode>;

export const TraceSpanNode = z.object({
  ...nodeFields,
  kind: TraceSpanKind,
  status: SpanStatus,
  serviceName: z.string().nullable(),
  statusMessage: z.string().nullable().optional().describe('Omitted when payloadHidden'),
  attributes: JsonObject.nullable().optional().describe('Redacted at ingestion; omitted when payloadHidden'),
});
export type TraceSpanNode = z.infer<typeof TraceSpanNode>;

export const TraceNode = z.discriminatedUnion('kind', [TraceExecutionNode, TraceSpanNode]);
export type TraceNode = z.infer<typeof TraceNode>;
export type TraceNodeKind = TraceNode['kind'];

export const TraceTotals = z.object({
  executions: z.number().int().describe('LLM calls in the whole trace'),
  spans: z.number().int().describe('Other steps in the whole trace'),
  errors: z.number().int().describe('Calls and steps with status error'),
  costUsd: z.string().nullable().describe('Exact decimal sum of the priced calls; null when no call is priced'),
  unpricedExecutions: z.number().int().describe('Calls with no known cost, left out of costUsd'),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
});
export type TraceTotals = z.infer<typeof TraceTotals>;

/** One run of a chain, agent or workflow: its LLM calls and other steps as a tree, with totals. */
export const TraceView = z.object({
  traceId: z.string(),
  startedAt: z.string().describe('When its first node started'),
  endedAt: z.string().nullable().describe('When its last node ended; null when none has ended'),
  durationMs: z.number().nullable(),
  totals: TraceTotals.describe('Over the whole trace, also when `nodes` is truncated'),
  stoppedAt: z
    .string()
    .nullable()
    .describe(
      'Where a failed run stopped. An error node is a stop unless the run went on without it: a node at its level or at ' +
        "one of its ancestors' levels started at or after the moment it failed (its end, else its start), or an ancestor " +
        'still running then ended successfully. stoppedAt is the stop that failed first; among those failing at the same ' +
        'moment, the deepest; then the first in tree order. Null when there is none. Judged on the nodes returned.',
    ),
  truncated: z.boolean().describe('True when the trace has more nodes than returned'),
  payloadHidden: z
    .boolean()
    .describe('True when step attributes are hidden: the caller may not read the logs of every prompt in the trace'),
  nodes: z
    .array(TraceNode)
    .describe(
      `Depth-first, children by start time; at most ${TRACE_MAX_NODES}, the earliest-starting, a node whose parent was left out becoming a root`,
    ),
});
export type TraceView = z.infer<typeof TraceView>;
