import { index, json, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The steps of a trace that are not LLM calls (agent, chain, tool, retriever, workflow…), kept so the whole tree
 * can be drawn. LLM calls are executions, tied in by executions.trace_span_id. Ids are OpenTelemetry's, as hex.
 */
export const traceSpans = pgTable(
  'trace_spans',
  {
    projectId: uuid('project_id').notNull(),
    traceId: text('trace_id').notNull(),
    spanId: text('span_id').notNull(),
    parentSpanId: text('parent_span_id'),
    name: text('name').notNull(),
    /** What the step does: agent, chain, tool, retriever, reranker, guardrail, evaluator, workflow, task or other. */
    kind: text('kind').notNull(),
    serviceName: text('service_name'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'string' }),
    status: text('status', { enum: ['ok', 'error', 'unset'] }).notNull(),
    statusMessage: text('status_message'),
    /** The span's attributes, redacted and bounded in size; shown only to those who may read the trace's logs. */
    attributes: json('attributes'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.traceId, t.spanId] }),
    index('trace_spans_project_started_idx').on(t.projectId, t.startedAt),
  ],
);
