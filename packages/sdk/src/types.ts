/**
 * What a client sends to log one execution. These types mirror the server's `ExecutionInput` and
 * `ExecutionPatch` contracts (packages/contracts) as plain TypeScript, so the SDK carries no runtime
 * dependency; a test checks that they stay assignable to the contracts.
 */

export type ExecutionStatus = 'success' | 'error' | 'cancelled' | 'pending';
export type SourceType = 'chat' | 'workflow' | 'api' | 'playground' | 'project_tool' | 'mcp';
export type ErrorType = 'authentication' | 'validation' | 'rate_limit' | 'timeout' | 'provider' | 'cancelled' | 'other';
export type JsonObject = Record<string, unknown>;

/** Where the call came from. */
export interface Source {
  type: SourceType;
  id?: string;
  url?: string;
}

/** Token counts in Promptlog's inclusive convention. */
export interface Usage {
  /** All input tokens, cache reads and cache writes included. */
  inputTokens?: number;
  /** All output tokens, reasoning included. */
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

export interface ExecutionError {
  type?: ErrorType;
  message: string;
  code?: string;
  stack?: string;
}

export interface ExecutionRequest {
  systemPrompt?: string;
  messages?: unknown[];
  /** The request's other parameters (temperature, tools, …), without the messages and system prompt. */
  parameters?: JsonObject;
}

export interface ToolCall {
  /** 1 for the tools the model asked for first in a conversation, 2 for the next round, … */
  round: number;
  name: string;
  arguments: unknown;
  result?: unknown;
  error?: unknown;
  latencyMs?: number;
}

export interface Trace {
  traceId: string;
  parentId?: string;
  spanId?: string;
  stepIndex?: number;
  stepType?: string;
}

export interface ExecutionUser {
  email?: string;
  id?: string;
}

export interface ExecutionLocation {
  node?: string;
  field?: string;
}

export type TriggeredBy = 'auto' | 'user' | 'admin';

/** One execution, as `promptlog.log()` takes it. */
export interface ExecutionInput {
  /** Assigned by the SDK (UUIDv7) when absent, so retries are stored once. */
  id?: string;
  /** The prompt's key, e.g. `support-reply`: letters, digits and `. _ : / -`. */
  promptId: string;
  promptVersion?: number;
  status: ExecutionStatus;
  source: Source;
  model: string;
  provider?: string;
  /** ISO-8601 timestamps. */
  startedAt?: string;
  endedAt?: string;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  /** The prompt's variables. */
  inputs?: JsonObject;
  request?: ExecutionRequest;
  /** The result: text or JSON. */
  output?: unknown;
  error?: ExecutionError;
  usage?: Usage;
  /** The billed cost when known, e.g. "0.0125"; otherwise Promptlog prices the call. */
  costUsd?: string | number;
  user?: ExecutionUser;
  accessKey?: string;
  requestId?: string;
  attempt?: number;
  generation?: number;
  triggeredBy?: TriggeredBy;
  location?: ExecutionLocation;
  thinking?: string | unknown[];
  toolCalls?: ToolCall[];
  trace?: Trace;
  tags?: string[];
  metadata?: JsonObject;
  environment?: string;
  /** The conversation (chat session) this call is one turn of, at most 200 characters: its calls form one thread. */
  conversationId?: string;
}

/** Completes an execution logged with status `pending`. */
export interface ExecutionPatch {
  status: Exclude<ExecutionStatus, 'pending'>;
  output?: unknown;
  error?: ExecutionError;
  usage?: Usage;
  costUsd?: string | number;
  endedAt?: string;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  thinking?: string | unknown[];
  toolCalls?: ToolCall[];
  /** Merged into the pending execution's metadata. */
  metadata?: JsonObject;
}

/** The fields that describe a call rather than its result: set per wrapper or per `withContext`. */
export type ExecutionContext = Partial<
  Pick<
    ExecutionInput,
    | 'promptId'
    | 'promptVersion'
    | 'source'
    | 'inputs'
    | 'user'
    | 'accessKey'
    | 'attempt'
    | 'generation'
    | 'triggeredBy'
    | 'location'
    | 'trace'
    | 'tags'
    | 'metadata'
    | 'environment'
    | 'conversationId'
  >
>;
