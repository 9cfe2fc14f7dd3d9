import { type ContextStore, createContextStore } from './context.js';
import { Delivery, type Reporter } from './delivery.js';
import {
  describeError,
  type ErrorHandler,
  PromptlogError,
  type PromptlogErrorKind,
  warnOncePerKind,
} from './errors.js';
import { uuidv7 } from './ids.js';
import { utf8Length } from './json.js';
import { DeliveryQueue, type QueueEntry } from './queue.js';
import { readEnv, unrefTimer } from './runtime.js';
import { Transport } from './transport.js';
import type { ExecutionContext, ExecutionInput, ExecutionPatch } from './types.js';

export interface PromptlogOptions {
  /** The Promptlog server; default `PROMPTLOG_URL`, else http://localhost:3000. */
  baseUrl?: string;
  /** A project API key with the `ingest` scope; default `PROMPTLOG_API_KEY`. Without one nothing is sent. */
  apiKey?: string;
  /** Send as soon as this many records are queued (default 20). */
  flushAt?: number;
  /** Send queued records at the latest this long after the first was queued (default 1000 ms). */
  flushIntervalMs?: number;
  /** Records kept while the server is unreachable; beyond it the oldest are dropped (default 10,000). */
  maxQueueSize?: number;
  /** Retries of a request that failed with a network error, 408, 429 or 5xx (default 5). */
  maxRetries?: number;
  /** Give up on one request after this long and retry it (default 30,000 ms). */
  requestTimeoutMs?: number;
  /** Receives every problem; default: one console.warn per kind of problem. */
  onError?: (error: PromptlogError) => void;
}

/** The server's default limit per record is 2 MiB: a bigger one would be refused on every attempt. */
const MAX_RECORD_BYTES = 2 * 1024 * 1024;

/**
 * Queues executions and sends them to Promptlog in batches from the background. Never throws into
 * the application: problems go to `onError`.
 */
export class Promptlog {
  private readonly transport: Transport | undefined;
  private readonly queue: DeliveryQueue;
  private readonly context: ContextStore = createContextStore();
  private readonly onError: ErrorHandler;
  private readonly flushAt: number;
  private readonly flushIntervalMs: number;
  private readonly delivery: Delivery | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dropped = 0;
  private closed = false;

  constructor(options: PromptlogOptions = {}) {
    this.onError = options.onError ?? warnOncePerKind();
    this.flushAt = Math.max(1, options.flushAt ?? 20);
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.queue = new DeliveryQueue(Math.max(1, options.maxQueueSize ?? 10_000));
    const apiKey = options.apiKey ?? readEnv('PROMPTLOG_API_KEY');
    const baseUrl = (options.baseUrl ?? readEnv('PROMPTLOG_URL') ?? 'http://localhost:3000').replace(/\/+$/, '');
    this.transport = apiKey
      ? new Transport({
          baseUrl,
          apiKey,
          maxRetries: Math.max(0, options.maxRetries ?? 5),
          requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
          retryBaseDelayMs: 500,
          retryMaxDelayMs: 30_000,
        })
      : undefined;
    const report: Reporter = (kind, message, details) => this.report(kind, message, details);
    this.delivery = this.transport ? new Delivery(this.queue, this.transport, report) : undefined;
    if (!this.transport) {
      this.report('not_configured', 'No API key (set PROMPTLOG_API_KEY or pass apiKey): executions are not sent');
    }
  }

  /** Records dropped because the queue was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Records and completions waiting to be sent. */
  get queuedCount(): number {
    return this.queue.size;
  }

  /** Whether `withContext` follows awaits (`async`) or only the callback's synchronous part (`sync`). */
  get contextMode(): 'async' | 'sync' {
    return this.context.mode;
  }

  /** Queues one execution and returns its id (the record's own, or a new UUIDv7). */
  log(record: ExecutionInput): string {
    const id = typeof record?.id === 'string' && record.id !== '' ? record.id : uuidv7();
    try {
      if (this.refuse()) return id;
      const full = { ...record, id };
      const serialised = this.toJson(id, full);
      if (serialised) this.enqueue({ kind: 'record', id, record: full, ...serialised, seq: 0 });
    } catch (error) {
      this.report('invalid_record', `Could not queue execution ${id}`, { executionIds: [id], cause: error });
    }
    return id;
  }

  /**
   * Completes an execution logged with status `pending`. Sent once the server has stored the pending
   * record; while that record is still queued, the completion is folded into it instead.
   */
  complete(id: string, patch: ExecutionPatch): void {
    try {
      if (this.refuse()) return;
      const queued = this.queue.findRecord(id);
      if (queued) {
        const { metadata, ...fields } = patch;
        const record = { ...queued.record, ...fields };
        if (metadata) record.metadata = { ...queued.record.metadata, ...metadata };
        const serialised = this.toJson(id, record);
        if (serialised) Object.assign(queued, { record, ...serialised });
        return;
      }
      const serialised = this.toJson(id, patch);
      if (serialised) this.enqueue({ kind: 'patch', id, patch, ...serialised, seq: 0 });
    } catch (error) {
      this.report('invalid_record', `Could not queue the completion of ${id}`, { executionIds: [id], cause: error });
    }
  }

  /**
   * Runs `callback` with these fields applied to every execution the wrappers log inside it (merged
   * over the wrapper's options and any outer context). See `contextMode` for how far it reaches.
   */
  withContext<T>(context: ExecutionContext, callback: () => T): T {
    return this.context.run(context, callback);
  }

  /** The context of the innermost `withContext` around the caller, if any. */
  currentContext(): ExecutionContext | undefined {
    return this.context.current();
  }

  /** Sends everything queued so far; resolves when it is delivered or given up. Never rejects. */
  async flush(): Promise<void> {
    if (!this.transport) return;
    this.clearTimer();
    await this.transport.keepAliveWhile(this.send());
  }

  /** Delivers everything queued, then stops: later records are refused (reported as `closed`). */
  async shutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.clearTimer();
  }

  /** @internal Reports a problem found outside the client, in a wrapper. */
  _report(kind: PromptlogErrorKind, message: string, cause: unknown): void {
    this.report(kind, `${message}: ${describeError(cause)}`, { cause });
  }

  private refuse(): boolean {
    if (this.closed) {
      this.report('closed', 'An execution was logged after shutdown() and is not sent');
      return true;
    }
    return !this.transport;
  }

  /** Serialised once, when logged, so later changes to the caller's objects do not alter the record. */
  private toJson(id: string, value: ExecutionInput | ExecutionPatch): { json: string; bytes: number } | undefined {
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      this.report('invalid_record', `Execution ${id} cannot be serialised to JSON: ${describeError(error)}`, {
        executionIds: [id],
        cause: error,
      });
      return undefined;
    }
    const bytes = utf8Length(json);
    if (bytes > MAX_RECORD_BYTES) {
      this.report(
        'record_too_large',
        `Execution ${id} is ${bytes} bytes, over the ${MAX_RECORD_BYTES}-byte limit per record: not sent`,
        { executionIds: [id] },
      );
      return undefined;
    }
    return { json, bytes };
  }

  private enqueue(entry: QueueEntry): void {
    const dropped = this.queue.push(entry);
    if (dropped.length > 0) {
      this.dropped += dropped.length;
      this.report('queue_overflow', `The queue is full (${this.queue.size}): dropped the oldest execution`, {
        executionIds: dropped.map((d) => d.id),
      });
    }
    if (this.queue.size >= this.flushAt) void this.send();
    else this.armTimer();
  }

  private armTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, this.flushIntervalMs);
    unrefTimer(this.timer);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sends what is queued; what arrives meanwhile waits for the next timer or `flushAt`. */
  private async send(): Promise<void> {
    await this.delivery?.drain();
    if (this.queue.size > 0) this.armTimer();
  }

  private report(kind: PromptlogErrorKind, message: string, details?: PromptlogError['details']): void {
    try {
      this.onError(new PromptlogError(kind, message, details));
    } catch {
      // A failing error handler must not reach the application either.
    }
  }
}
