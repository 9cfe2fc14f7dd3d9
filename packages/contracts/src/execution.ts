import { z } from 'zod';
import { DecimalString, IsoDateTime, JsonObject, MAX_PAYLOAD_NESTING, nestsDeeperThan } from './common';
import {
  COST_ORIGINS,
  ERROR_TYPES,
  EXECUTION_STATUSES,
  FINISH_REASONS,
  OUTPUT_SIGNALS,
  SOURCE_TYPES,
  TRIGGERS,
} from './rules';

export const ExecutionStatus = z.enum(EXECUTION_STATUSES);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;

export const SourceType = z.enum(SOURCE_TYPES);
export type SourceType = z.infer<typeof SourceType>;

export const ErrorType = z.enum(ERROR_TYPES);
export type ErrorType = z.infer<typeof ErrorType>;

export const CostOrigin = z.enum(COST_ORIGINS);
export type CostOrigin = z.infer<typeof CostOrigin>;

const PromptKey = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
    'must start with a letter or digit and use only letters, digits and . _ : / -',
  );

/** Counts, versions and latencies are stored as PostgreSQL integers. */
export const INTEGER_MAX = 2_147_483_647;
const Count = z.number().int().nonnegative().max(INTEGER_MAX);
const Ordinal = z.number().int().positive().max(INTEGER_MAX);
const ShortText = z.string().max(500);

export const Source = z.object({
  type: SourceType,
  id: ShortText.optional(),
  url: z.url().max(2000).optional(),
});

export const Usage = z
  .object({
    inputTokens: Count.default(0),
    outputTokens: Count.default(0),
    cacheReadTokens: Count.default(0),
    cacheWriteTokens: Count.default(0),
    reasoningTokens: Count.default(0),
  })
  .refine((u) => u.cacheReadTokens + u.cacheWriteTokens <= u.inputTokens, {
    message: 'cacheReadTokens + cacheWriteTokens must not exceed inputTokens (inputTokens includes cache tokens)',
    path: ['inputTokens'],
  })
  .refine((u) => u.reasoningTokens <= u.outputTokens, {
    message: 'reasoningTokens must not exceed outputTokens (outputTokens includes reasoning tokens)',
    path: ['reasoningTokens'],
  });
export type Usage = z.infer<typeof Usage>;

export const ExecutionError = z.object({
  type: ErrorType.optional(),
  message: z.string().max(100_000),
  code: ShortText.optional(),
  stack: z.string().optional(),
});

export const FileInput = z.object({
  type: z.literal('file'),
  name: z.string(),
  mimeType: z.string(),
  sizeBytes: Count,
  url: z.string().optional(),
  sha256: z.string().optional(),
});
export type FileInput = z.infer<typeof FileInput>;

export const ExecutionRequest = z.object({
  systemPrompt: z.string().optional(),
  messages: z.array(z.unknown()).optional(),
  parameters: JsonObject.optional(),
});

export const ToolCall = z.object({
  round: Count,
  name: z.string().min(1),
  arguments: z.unknown(),
  result: z.unknown().optional(),
  error: z.unknown().optional(),
  latencyMs: Count.optional(),
});

export const Trace = z.object({
  traceId: z.string().min(1).max(200),
  parentId: z.string().max(200).optional().describe("The parent step's spanId (or any id the client uses for it)"),
  spanId: z
    .string()
    .max(200)
    .optional()
    .describe("This execution's own step in the trace, so other steps can name it as parent"),
  stepIndex: Count.optional(),
  stepType: ShortText.optional(),
});

/** Bounded, so that an array of bad items costs a few validation issues, not one per item sent. */
const ToolCalls = z.array(ToolCall).max(1_000);

const Output = z.union([z.string(), z.unknown()]);
const Thinking = z.union([z.string(), z.array(z.unknown())]);

const PAYLOAD_FIELDS = ['inputs', 'request', 'output', 'error', 'thinking', 'toolCalls', 'metadata'] as const;

/** Refuses a payload field that nests deeper than MAX_PAYLOAD_NESTING, before redaction or storage walks it. */
function payloadNesting(record: Partial<Record<(typeof PAYLOAD_FIELDS)[number], unknown>>, ctx: z.RefinementCtx) {
  for (const field of PAYLOAD_FIELDS) {
    if (nestsDeeperThan(record[field], MAX_PAYLOAD_NESTING)) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `nests deeper than ${MAX_PAYLOAD_NESTING} levels of arrays and objects`,
      });
    }
  }
}

/** The longest conversation (session) id stored. */
export const CONVERSATION_ID_MAX = 200;

const ExecutionFields = z.object({
  id: z
    .uuid()
    .optional()
    .describe('Send your own (UUIDv7 recommended) so a retry is stored once; generated when absent'),
  promptId: PromptKey.describe("The prompt's key, e.g. support-reply; a prompt is created the first time it is seen"),
  promptVersion: Ordinal.optional().describe('The version of the prompt that ran'),
  status: ExecutionStatus,
  source: Source,
  model: z.string().min(1).max(200),
  provider: z.string().min(1).max(100).optional(),
  startedAt: IsoDateTime.optional().describe(
    'ISO-8601; defaults to endedAt − latencyMs, else the time it was received',
  ),
  endedAt: IsoDateTime.optional(),
  latencyMs: Count.optional().describe('Derived from startedAt and endedAt when absent'),
  timeToFirstTokenMs: Count.optional(),
  inputs: JsonObject.optional(),
  request: ExecutionRequest.optional(),
  output: Output.optional().describe('The full result: text or JSON'),
  error: ExecutionError.optional(),
  usage: Usage.optional().describe(
    'OpenTelemetry GenAI convention: inputTokens includes cache read and write tokens, outputTokens includes reasoning tokens',
  ),
  costUsd: DecimalString.optional().describe(
    'The billed cost when you know it; otherwise Promptlog prices the call from model and usage',
  ),
  user: z.object({ email: z.email().optional(), id: ShortText.optional() }).optional(),
  accessKey: ShortText.optional().describe('Label of the access key behind an API run'),
  requestId: ShortText.optional(),
  attempt: Ordinal.optional().describe('1-based retry attempt'),
  generation: Count.optional().describe('0 for the first answer, N for the Nth regeneration'),
  triggeredBy: z.enum(TRIGGERS).optional(),
  location: z.object({ node: ShortText.optional(), field: ShortText.optional() }).optional(),
  thinking: Thinking.optional(),
  toolCalls: ToolCalls.optional(),
  trace: Trace.optional().describe(
    'Ties together the steps of one chain or workflow run and the fallback attempts of one request',
  ),
  tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  metadata: JsonObject.optional(),
  environment: z.string().max(100).optional(),
  conversationId: z
    .string()
    .min(1)
    .max(CONVERSATION_ID_MAX)
    .optional()
    .describe(
      'The conversation (chat session) this call is one turn of: every call sent with the same id forms its thread',
    ),
});

/** What a client sends to log one execution. */
export const ExecutionInput = ExecutionFields.superRefine(payloadNesting);
export type ExecutionInput = z.infer<typeof ExecutionInput>;

/** Completes a pending execution. */
export const ExecutionPatch = z
  .object({
    status: ExecutionStatus.exclude(['pending']),
    output: Output.optional(),
    error: ExecutionError.optional(),
    usage: Usage.optional(),
    costUsd: DecimalString.optional(),
    endedAt: IsoDateTime.optional(),
    latencyMs: Count.optional(),
    timeToFirstTokenMs: Count.optional(),
    thinking: Thinking.optional(),
    toolCalls: ToolCalls.optional(),
    metadata: JsonObject.optional(),
  })
  .strict()
  .superRefine(payloadNesting);
export type ExecutionPatch = z.infer<typeof ExecutionPatch>;

export const ExecutionIdParams = z.object({ id: z.uuid() });

export const CreatedExecution = z.object({ id: z.uuid() });

export const BatchRequest = z.object({
  executions: z.array(z.unknown()).min(1, 'send at least one execution'),
});
export type BatchRequest = z.infer<typeof BatchRequest>;

export const BatchItemResult = z.object({
  id: z.string().nullable(),
  status: z.enum(['created', 'duplicate', 'rejected']),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    })
    .optional(),
});
export type BatchItemResult = z.infer<typeof BatchItemResult>;
export const BatchResponse = z.object({ results: z.array(BatchItemResult) });
export type BatchResponse = z.infer<typeof BatchResponse>;

export const FinishReason = z.enum(FINISH_REASONS);
export type FinishReason = z.infer<typeof FinishReason>;

export const OutputSignal = z.enum(OUTPUT_SIGNALS);
export type OutputSignal = z.infer<typeof OutputSignal>;

/** Computed at ingestion from the output, the request and the inputs (docs/signals.md). */
export const ExecutionSignals = z.object({
  outputChars: z.number().int().nullable().describe('Characters of the answer text; null while there is no answer'),
  finishReason: FinishReason.nullable().describe(
    'Why the model stopped, normalised across providers; null when not reported',
  ),
  truncated: z.boolean().describe('The model stopped at its token limit (finish reason length)'),
  empty: z.boolean().describe('A successful call that returned neither text nor a tool call'),
  refusal: z
    .boolean()
    .describe('The model declined: a provider refusal field, or the answer opens with a refusal phrase'),
  jsonValid: z
    .boolean()
    .nullable()
    .describe(
      'Whether the answer parses as JSON; null unless the request asked for JSON or the answer opens like JSON',
    ),
  injectionSuspected: z
    .boolean()
    .describe('A user-supplied input or the last user message reads like "ignore previous instructions"'),
});
export type ExecutionSignals = z.infer<typeof ExecutionSignals>;

/** The stored record as the API returns it: everything ingested plus the computed fields. */
export const ExecutionRecord = ExecutionFields.omit({ costUsd: true, startedAt: true }).extend({
  id: z.uuid(),
  startedAt: z.string(),
  receivedAt: z.string(),
  costUsd: z.string().nullable(),
  costOrigin: CostOrigin,
  latencyMs: z
    .number()
    .int()
    .nullable()
    .describe('As stored: rows written before start and end were checked against each other may hold a negative value'),
  usage: Usage.nullable(),
  signals: ExecutionSignals,
});
export type ExecutionRecord = z.infer<typeof ExecutionRecord>;
