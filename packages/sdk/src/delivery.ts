import { describeError, type PromptlogError, type PromptlogErrorKind } from './errors.js';
import type { DeliveryQueue, PatchEntry, RecordEntry } from './queue.js';
import type { DeliveryOutcome, Transport } from './transport.js';

export type Reporter = (kind: PromptlogErrorKind, message: string, details?: PromptlogError['details']) => void;

/** The server's default limits are 1,000 records and 10 MB per request: half the bytes leaves room. */
const BATCH_LIMITS = { maxRecords: 1000, maxBytes: 5 * 1024 * 1024 };
const MAX_AWAITED_COMPLETIONS = 100_000;

/**
 * Sends the queue to the server, one request at a time and in queue order, so a completion always
 * follows its pending record; reads each batch's results and reports what was refused.
 */
export class Delivery {
  private sending: Promise<void> = Promise.resolve();
  private nextDrain: Promise<void> | undefined;
  /** Pending records the server stored, whose completion may now be sent. */
  private readonly awaitingCompletion = new Set<string>();

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly transport: Transport,
    private readonly report: Reporter,
  ) {}

  /** Sends everything queued when the drain starts; callers arriving before it starts share it. */
  drain(): Promise<void> {
    if (this.nextDrain) return this.nextDrain;
    const drain = this.sending.then(async () => {
      this.nextDrain = undefined;
      try {
        await this.deliverQueued();
      } catch (error) {
        this.report('delivery_failed', `Unexpected failure while sending: ${describeError(error)}`, { cause: error });
      }
    });
    this.nextDrain = drain;
    this.sending = drain;
    return drain;
  }

  private async deliverQueued(): Promise<void> {
    const untilSeq = this.queue.lastSeq;
    let next = this.queue.takeNext(untilSeq, BATCH_LIMITS);
    while (next) {
      if (next.kind === 'patch') await this.sendCompletion(next.entry);
      else await this.sendBatch(next.entries);
      next = this.queue.takeNext(untilSeq, BATCH_LIMITS);
    }
  }

  private async sendBatch(entries: RecordEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids = entries.map((entry) => entry.id);
    const body = `{"executions":[${entries.map((entry) => entry.json).join(',')}]}`;
    const outcome = await this.transport.send('POST', '/api/v1/executions/batch', body);
    if (outcome.kind === 'answered' && outcome.status === 413 && entries.length > 1) {
      const half = Math.ceil(entries.length / 2);
      await this.sendBatch(entries.slice(0, half));
      await this.sendBatch(entries.slice(half));
      return;
    }
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
      this.readBatchResults(entries, outcome.body);
      return;
    }
    this.reportFailedRequest(outcome, `${entries.length} execution(s)`, ids, (status) =>
      status === 413 ? 'record_too_large' : status === 400 || status === 422 ? 'rejected' : 'http',
    );
  }

  private readBatchResults(entries: RecordEntry[], body: unknown): void {
    const results = isObject(body) && Array.isArray(body.results) ? body.results : [];
    entries.forEach((entry, index) => {
      const result: unknown = results[index];
      const status = isObject(result) ? result.status : undefined;
      if (status === 'created' || status === 'duplicate') {
        if (entry.record.status === 'pending') this.expectCompletion(entry.id);
        return;
      }
      const error = isObject(result) && isObject(result.error) ? result.error : {};
      const message = typeof error.message === 'string' ? error.message : 'no result for this record';
      this.report('rejected', `The server rejected execution ${entry.id}: ${message}`, { executionIds: [entry.id] });
    });
  }

  private expectCompletion(id: string): void {
    this.awaitingCompletion.add(id);
    if (this.awaitingCompletion.size > MAX_AWAITED_COMPLETIONS) {
      const oldest = this.awaitingCompletion.values().next().value;
      if (oldest !== undefined) this.awaitingCompletion.delete(oldest);
    }
  }

  private async sendCompletion(entry: PatchEntry): Promise<void> {
    if (!this.awaitingCompletion.delete(entry.id)) {
      this.report(
        'completion_failed',
        `Execution ${entry.id} was not completed: its pending record was not stored (rejected, dropped or never logged)`,
        { executionIds: [entry.id] },
      );
      return;
    }
    const outcome = await this.transport.send(
      'PATCH',
      `/api/v1/executions/${encodeURIComponent(entry.id)}`,
      entry.json,
    );
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) return;
    // A 409 after a retry means an earlier attempt was applied and only its answer was lost.
    if (outcome.kind === 'answered' && outcome.status === 409 && outcome.attempts > 1) return;
    this.reportFailedRequest(outcome, `the completion of execution ${entry.id}`, [entry.id], () => 'completion_failed');
  }

  private reportFailedRequest(
    outcome: DeliveryOutcome,
    what: string,
    executionIds: string[],
    kindForRefusal: (status: number) => PromptlogErrorKind,
  ): void {
    if (outcome.kind === 'gave_up') {
      const reason = outcome.lastStatus ? `HTTP ${outcome.lastStatus}` : describeError(outcome.cause);
      this.report('delivery_failed', `Could not send ${what} after ${outcome.attempts} attempts (${reason})`, {
        status: outcome.lastStatus,
        executionIds,
        cause: outcome.cause,
      });
      return;
    }
    const message = serverMessage(outcome.body);
    const status = outcome.status;
    const kind = status === 401 || status === 403 ? 'unauthorized' : kindForRefusal(status);
    this.report(kind, `The server refused ${what} with HTTP ${status}${message ? `: ${message}` : ''}`, {
      status,
      executionIds,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function serverMessage(body: unknown): string | undefined {
  if (isObject(body) && isObject(body.error) && typeof body.error.message === 'string') return body.error.message;
  return undefined;
}
