import type { Promptlog } from '../client.js';
import { mergeContexts } from '../context.js';
import type { ExecutionContext, ExecutionError, ExecutionInput, ExecutionRequest, ToolCall, Usage } from '../types.js';
import type { Interceptor } from './intercept.js';
import { classifyError, isObject } from './mapping.js';

export interface WrapOptions extends ExecutionContext {
  /** The client that sends the executions. */
  promptlog: Promptlog;
  /**
   * Log each call as `pending` when it starts and complete it when it ends, so long calls show as
   * running in the Logs tab (one more request per call).
   */
  logPending?: boolean;
}

/** What a wrapper knows when a call starts. */
export interface CallStart {
  provider: string;
  /** Used when neither the options nor the context name a prompt. */
  defaultPromptId: string;
  model: string;
  request: ExecutionRequest;
}

/** What a wrapper read from the call's result or failure. */
export interface CallResult {
  status: 'success' | 'error' | 'cancelled';
  model?: string;
  output?: unknown;
  error?: ExecutionError;
  usage?: Usage;
  thinking?: unknown[];
  toolCalls?: ToolCall[];
  requestId?: string;
}

/** One provider call, from its start to the one record (or pending record and completion) it produces. */
export class RecordedCall {
  private readonly startedAt = new Date();
  private readonly startedAtMs = performance.now();
  private readonly context: ExecutionContext;
  private readonly pendingId: string | undefined;
  private timeToFirstTokenMs: number | undefined;
  private finished = false;

  constructor(
    private readonly options: WrapOptions,
    private readonly start: CallStart,
  ) {
    const { promptlog, logPending, ...wrapContext } = options;
    this.context = mergeContexts(wrapContext, promptlog.currentContext());
    this.pendingId = logPending
      ? promptlog.log({ ...this.describe(), status: 'pending', startedAt: this.startedAt.toISOString() })
      : undefined;
  }

  /** Marks the first generated token of a stream; later calls change nothing. */
  firstToken(): void {
    this.timeToFirstTokenMs ??= Math.round(performance.now() - this.startedAtMs);
  }

  /** Finishes a failed call, keeping what was read before the failure (a stream's partial output). */
  fail(error: unknown, partial?: Omit<CallResult, 'status' | 'error'>): void {
    this.finish({ ...partial, ...classifyError(error) });
  }

  /** For a result this SDK version cannot follow: logged without what it could not read, and reported. */
  finishUnread(what: string): void {
    this.options.promptlog._report('wrapper', `Could not follow ${what}`, 'its shape is not one this SDK knows');
    this.finish({ status: 'success' });
  }

  /** Runs the wrapper's reading of a result, so that a surprise in it is reported, never thrown. */
  guard(read: () => void): void {
    try {
      read();
    } catch (error) {
      this.options.promptlog._report('wrapper', `Could not read a ${this.start.defaultPromptId} result`, error);
      this.finish({ status: 'success' });
    }
  }

  finish(result: CallResult): void {
    if (this.finished) return;
    this.finished = true;
    const latencyMs = Math.max(0, Math.round(performance.now() - this.startedAtMs));
    const outcome = {
      status: result.status,
      endedAt: new Date(this.startedAt.getTime() + latencyMs).toISOString(),
      latencyMs,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
      output: result.output,
      error: result.error,
      usage: result.usage,
      thinking: result.thinking?.length ? result.thinking : undefined,
      toolCalls: result.toolCalls?.length ? result.toolCalls : undefined,
    };
    const { promptlog } = this.options;
    if (this.pendingId) {
      promptlog.complete(this.pendingId, outcome);
      return;
    }
    promptlog.log({
      ...this.describe(),
      ...outcome,
      model: result.model ?? this.start.model,
      requestId: result.requestId,
      startedAt: this.startedAt.toISOString(),
    });
  }

  private describe(): Omit<ExecutionInput, 'status'> {
    const { promptId, source, ...context } = this.context;
    return {
      promptId: promptId ?? this.start.defaultPromptId,
      source: source ?? { type: 'api' },
      model: this.start.model,
      provider: this.start.provider,
      request: this.start.request,
      ...context,
    };
  }
}

export interface CallSpec {
  provider: string;
  defaultPromptId: string;
  /** The requested model and the request as recorded. */
  describeRequest(params: Record<string, unknown>): { model: string; request: ExecutionRequest };
  /** Follows what the provider method returned (a promise, a stream) and finishes `call` from it. */
  follow(returned: unknown, call: RecordedCall, params: Record<string, unknown>): void;
}

/**
 * Wraps one provider method: records the call around the original, which gets the same arguments
 * and whose return value (or exception) reaches the application untouched.
 */
export function recordCalls(options: WrapOptions, spec: CallSpec): Interceptor {
  return (args, callOriginal) => {
    const params = isObject(args[0]) ? args[0] : {};
    const call = startCall(options, spec, params);
    let returned: unknown;
    try {
      returned = callOriginal(args);
    } catch (error) {
      call?.fail(error);
      throw error;
    }
    if (call) {
      try {
        spec.follow(returned, call, params);
      } catch (error) {
        options.promptlog._report('wrapper', `Could not follow a ${spec.defaultPromptId} call`, error);
      }
    }
    return returned;
  };
}

function startCall(options: WrapOptions, spec: CallSpec, params: Record<string, unknown>): RecordedCall | undefined {
  try {
    const { model, request } = spec.describeRequest(params);
    return new RecordedCall(options, {
      provider: spec.provider,
      defaultPromptId: spec.defaultPromptId,
      model,
      request,
    });
  } catch (error) {
    options.promptlog._report('wrapper', `Could not record a ${spec.defaultPromptId} call`, error);
    return undefined;
  }
}
