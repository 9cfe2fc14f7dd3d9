import { bigint, index, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The dimensions analytics slice by. Absent values are stored as '' (text) or 0 (version) because
 * they are part of the primary key.
 */
const sliceDimensions = () => ({
  promptId: text('prompt_id').notNull(),
  promptVersion: integer('prompt_version').notNull(),
  model: text('model').notNull(),
  provider: text('provider').notNull(),
  sourceType: text('source_type').notNull(),
  status: text('status').notNull(),
  errorType: text('error_type').notNull(),
  locationField: text('location_field').notNull(),
});

const dimensions = () => ({
  projectId: uuid('project_id').notNull(),
  hour: timestamp('hour', { withTimezone: true, mode: 'string' }).notNull(),
  ...sliceDimensions(),
});

const measures = () => ({
  calls: bigint('calls', { mode: 'number' }).notNull(),
  successCalls: bigint('success_calls', { mode: 'number' }).notNull().default(0),
  errorCalls: bigint('error_calls', { mode: 'number' }).notNull().default(0),
  inputTokens: bigint('input_tokens', { mode: 'number' }).notNull(),
  outputTokens: bigint('output_tokens', { mode: 'number' }).notNull(),
  cacheReadTokens: bigint('cache_read_tokens', { mode: 'number' }).notNull(),
  cacheWriteTokens: bigint('cache_write_tokens', { mode: 'number' }).notNull(),
  reasoningTokens: bigint('reasoning_tokens', { mode: 'number' }).notNull(),
  costUsd: numeric('cost_usd').notNull(),
  pricedCalls: bigint('priced_calls', { mode: 'number' }).notNull(),
  thinkingCalls: bigint('thinking_calls', { mode: 'number' }).notNull(),
  latencyCount: bigint('latency_count', { mode: 'number' }).notNull(),
  latencySumMs: bigint('latency_sum_ms', { mode: 'number' }).notNull(),
  // Output signals (docs/signals.md): defaults so adding them rewrote no existing row.
  refusalCalls: bigint('refusal_calls', { mode: 'number' }).notNull().default(0),
  truncatedCalls: bigint('truncated_calls', { mode: 'number' }).notNull().default(0),
  jsonCheckedCalls: bigint('json_checked_calls', { mode: 'number' }).notNull().default(0),
  jsonInvalidCalls: bigint('json_invalid_calls', { mode: 'number' }).notNull().default(0),
  outputCalls: bigint('output_calls', { mode: 'number' }).notNull().default(0),
  outputCharsSum: bigint('output_chars_sum', { mode: 'number' }).notNull().default(0),
});

/**
 * The latency histogram as one integer: the count of log-scale bucket b (see promptlog_latency_bucket) in
 * the 12 decimal digits from 10^(12·b), so rows and deltas add up with plain `+` and `sum()`, natively and
 * with no expansion; decoded by the analytics service. Counts stay far below the 10^12 a bucket has room for.
 */
const latencyHistogram = () => numeric('latency_histogram').notNull();

/**
 * The same packing for answer lengths (see promptlog_output_chars_bucket), of the calls `output_calls` counts; a
 * default so adding it rewrote no existing row.
 */
const outputCharsHistogram = () => numeric('output_chars_histogram').notNull().default('0');

/** Every histogram a rollup row holds. */
const histograms = () => ({ latencyHistogram: latencyHistogram(), outputCharsHistogram: outputCharsHistogram() });

/**
 * Hourly aggregates of executions, maintained incrementally from execution_rollup_deltas. Charts read
 * these, never the raw executions.
 */
export const executionRollupsHourly = pgTable(
  'execution_rollups_hourly',
  {
    ...dimensions(),
    ...measures(),
    ...histograms(),
  },
  (t) => [
    primaryKey({
      columns: [
        t.projectId,
        t.promptId,
        t.hour,
        t.promptVersion,
        t.model,
        t.provider,
        t.sourceType,
        t.status,
        t.errorType,
        t.locationField,
      ],
    }),
    index('execution_rollups_hourly_project_hour_idx').on(t.projectId, t.hour),
  ],
);

/**
 * Changes not yet folded into the rollups: written by the ingest statement (and by completions and
 * re-pricing, as a negative row for the old values plus a positive one for the new), insert-only so
 * writers never wait on each other; the roller folds and deletes them in one transaction.
 */
export const executionRollupDeltas = pgTable(
  'execution_rollup_deltas',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    ...dimensions(),
    ...measures(),
    latencyBucket: integer('latency_bucket'),
    outputCharsBucket: integer('output_chars_bucket'),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);

/** The same measures per prompt and hour, for slices that filter on nothing but the prompt. */
export const promptRollupsHourly = pgTable(
  'prompt_rollups_hourly',
  {
    projectId: uuid('project_id').notNull(),
    promptId: text('prompt_id').notNull(),
    hour: timestamp('hour', { withTimezone: true, mode: 'string' }).notNull(),
    ...measures(),
    ...histograms(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.promptId, t.hour] }),
    // Every prompt of a window (the breakdown by prompt) is an index range too.
    index('prompt_rollups_hourly_project_hour_idx').on(t.projectId, t.hour),
  ],
);

/** The same measures per project and hour, for the dashboard's unfiltered totals. */
export const projectRollupsHourly = pgTable(
  'project_rollups_hourly',
  {
    projectId: uuid('project_id').notNull(),
    hour: timestamp('hour', { withTimezone: true, mode: 'string' }).notNull(),
    ...measures(),
    ...histograms(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.hour] })],
);

/** The same measures per model and hour, for the project-wide breakdown by model (cost by model). */
export const modelRollupsHourly = pgTable(
  'model_rollups_hourly',
  {
    projectId: uuid('project_id').notNull(),
    model: text('model').notNull(),
    hour: timestamp('hour', { withTimezone: true, mode: 'string' }).notNull(),
    ...measures(),
    ...histograms(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.model, t.hour] }),
    index('model_rollups_hourly_project_hour_idx').on(t.projectId, t.hour),
  ],
);

/**
 * The same tables per UTC day, folded from the same deltas in the same statement, so a day always equals the sum of
 * its hours: windows of several days read whole days here and only their ragged ends from the hourly tables.
 */
export const executionRollupsDaily = pgTable(
  'execution_rollups_daily',
  {
    projectId: uuid('project_id').notNull(),
    day: timestamp('day', { withTimezone: true, mode: 'string' }).notNull(),
    ...sliceDimensions(),
    ...measures(),
    ...histograms(),
  },
  (t) => [
    primaryKey({
      columns: [
        t.projectId,
        t.promptId,
        t.day,
        t.promptVersion,
        t.model,
        t.provider,
        t.sourceType,
        t.status,
        t.errorType,
        t.locationField,
      ],
    }),
    index('execution_rollups_daily_project_day_idx').on(t.projectId, t.day),
  ],
);

export const promptRollupsDaily = pgTable(
  'prompt_rollups_daily',
  {
    projectId: uuid('project_id').notNull(),
    promptId: text('prompt_id').notNull(),
    day: timestamp('day', { withTimezone: true, mode: 'string' }).notNull(),
    ...measures(),
    ...histograms(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.promptId, t.day] }),
    index('prompt_rollups_daily_project_day_idx').on(t.projectId, t.day),
  ],
);

export const projectRollupsDaily = pgTable(
  'project_rollups_daily',
  {
    projectId: uuid('project_id').notNull(),
    day: timestamp('day', { withTimezone: true, mode: 'string' }).notNull(),
    ...measures(),
    ...histograms(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day] })],
);

export const modelRollupsDaily = pgTable(
  'model_rollups_daily',
  {
    projectId: uuid('project_id').notNull(),
    model: text('model').notNull(),
    day: timestamp('day', { withTimezone: true, mode: 'string' }).notNull(),
    ...measures(),
    ...histograms(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.model, t.day] }),
    index('model_rollups_daily_project_day_idx').on(t.projectId, t.day),
  ],
);
