import { randomBytes } from 'node:crypto';
import type { ExecutionEventData } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';

/** What the bus needs of the database: LISTEN, and a statement to send NOTIFY. */
export type NotifyChannel = Pick<DatabaseHandle, 'listen'> & {
  query(text: string, params: unknown[]): Promise<unknown[]>;
};

/**
 * What a live listener learns of an execution, enough to match it against the Logs tab's filters: the event clients
 * receive (ExecutionEventData, the contract), plus the project it belongs to.
 */
export interface ExecutionEvent extends ExecutionEventData {
  projectId: string;
}

/**
 * One server-sent message. `execution` carries an event (without its project); `resync` says events may have been
 * missed, so the receiver should read the list again. `id` is this process's position after the message.
 */
export interface LiveMessage {
  id: string;
  event: 'execution' | 'resync';
  data: string;
}

export type ResyncReason = 'unknown-id' | 'expired' | 'interrupted';

type Listener = (message: LiveMessage) => void;
type Filter = { projectId: string; promptId?: string };
/** Whether a subscriber may read the logs of a prompt, and so learn its calls' tags and conversations. */
type ReadsLogsOf = (promptId: string) => boolean;
const READS_EVERY_PROMPTS_LOGS: ReadsLogsOf = () => true;
interface Subscriber {
  filter: Filter;
  listener: Listener;
  readsLogsOf: ReadsLogsOf;
}

/** The replay buffer keeps the most recent events within all three bounds. */
export interface ReplayLimits {
  maxEvents: number;
  maxAgeMs: number;
  /** Counted as the serialized events' length, so a burst of large events cannot grow memory unbounded. */
  maxBytes: number;
}

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = {
  maxEvents: 10_000,
  maxAgeMs: 5 * 60_000,
  maxBytes: 8 * 1024 * 1024,
};

export interface ExecutionEventBusOptions {
  flushIntervalMs?: number;
  replay?: Partial<ReplayLimits>;
  now?: () => number;
}

interface Buffered {
  projectId: string;
  promptId: string;
  data: string;
  /**
   * The event without what only the prompt's logs may tell (tags, conversation), made when first needed. Shorter than
   * `data`, so it is not counted against the byte bound: the buffer stays within twice it.
   */
  metricsData?: string;
  receivedAt: number;
}

const CHANNEL = 'promptlog_execution_events';
// NOTIFY payloads must stay under 8000 bytes.
const MAX_PAYLOAD_BYTES = 7000;
// Events that could not be sent yet are kept for the next flush, up to this many.
const MAX_UNSENT_EVENTS = 10_000;

/**
 * Announces stored and completed executions to every server process. Events are buffered and sent
 * with one pg_notify per interval after the data is committed: a NOTIFY inside the ingest
 * transaction would serialise every commit on Postgres' notification lock.
 *
 * Each process numbers the events it receives (`<boot id>-<sequence>`) and keeps the recent ones, so a stream that
 * reconnects with the last id it saw is sent what it missed; any id this process cannot vouch for gets a `resync`.
 */
export class ExecutionEventBus {
  private unsent: ExecutionEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;

  private readonly bootId = randomBytes(8).toString('hex');
  private readonly limits: ReplayLimits;
  private readonly flushIntervalMs: number;
  private readonly now: () => number;
  /** The last sequence number given out. */
  private sequence = 0;
  /** The oldest position replay can resume from: the events after it, up to `sequence`, are all in `replay`. */
  private floor = 0;
  private replay: Buffered[] = [];
  private replayStart = 0;
  private replayBytes = 0;

  constructor(
    private readonly handle: NotifyChannel,
    private readonly onError: (error: unknown) => void,
    options: ExecutionEventBusOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.limits = { ...DEFAULT_REPLAY_LIMITS, ...options.replay };
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.stopListening = await this.handle.listen(
      CHANNEL,
      (payload) => this.deliver(payload),
      () => this.listenResumed(),
    );
    this.timer = setInterval(() => {
      if (!this.flushing) void this.flush();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.stopListening?.();
    this.subscribers.clear();
  }

  publish(events: ExecutionEvent[]): void {
    this.unsent.push(...events);
  }

  /** The id of the latest event this process received: every listener has been given what matched up to it. */
  get lastEventId(): string {
    return `${this.bootId}-${this.sequence}`;
  }

  /**
   * Calls `listener` for each event of the project (and prompt, when given); returns the unsubscribe. With
   * `lastEventId`, the matching events received since are passed first, or a `resync` when they are not all here.
   * Events of a prompt whose logs the subscriber may not read come without their tags and conversation.
   */
  subscribe(
    filter: Filter,
    listener: Listener,
    lastEventId?: string,
    readsLogsOf: ReadsLogsOf = READS_EVERY_PROMPTS_LOGS,
  ): () => void {
    const subscriber = { filter, listener, readsLogsOf };
    if (lastEventId !== undefined) this.replaySince(lastEventId, subscriber);
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /**
   * Notifications sent while this process was not listening never arrive: every subscriber is told to resync, and
   * no earlier position is replayed from any more.
   */
  listenResumed(): void {
    this.sequence += 1;
    this.clearReplay(this.sequence);
    const message = this.resync('interrupted');
    for (const { listener } of this.subscribers) listener(message);
  }

  flush(): Promise<void> {
    const run = (this.flushing ?? Promise.resolve()).then(() => this.send());
    this.flushing = run;
    void run.finally(() => {
      if (this.flushing === run) this.flushing = null;
    });
    return run;
  }

  private async send(): Promise<void> {
    if (this.unsent.length === 0) return;
    const events = this.unsent;
    this.unsent = [];
    let sent = 0;
    try {
      for (const { payload, count } of chunkPayloads(events)) {
        await this.handle.query('select pg_notify($1, $2)', [CHANNEL, payload]);
        sent += count;
      }
    } catch (error) {
      // Kept for the next flush (in order) rather than lost: the database may be restarting.
      this.unsent = [...events.slice(sent), ...this.unsent];
      const dropped = this.unsent.length - MAX_UNSENT_EVENTS;
      if (dropped > 0) this.unsent.splice(0, dropped);
      this.onError(error);
    }
  }

  private deliver(payload: string): void {
    let events: ExecutionEvent[];
    try {
      events = JSON.parse(payload) as ExecutionEvent[];
      if (!Array.isArray(events)) throw new Error('live event payload is not an array');
    } catch (error) {
      this.onError(error);
      return;
    }
    for (const { projectId, ...event } of events) {
      this.sequence += 1;
      const buffered = { projectId, promptId: event.promptId, data: JSON.stringify(event), receivedAt: this.now() };
      this.remember(buffered);
      for (const subscriber of this.subscribers) {
        if (matches(subscriber.filter, buffered))
          subscriber.listener(this.execution(this.sequence, buffered, subscriber));
      }
    }
  }

  private replaySince(lastEventId: string, subscriber: Subscriber): void {
    const { filter, listener } = subscriber;
    this.expire();
    const position = this.positionOf(lastEventId);
    if (position === null || position < this.floor) {
      listener(this.resync(position === null ? 'unknown-id' : 'expired'));
      return;
    }
    for (let sequence = position + 1; sequence <= this.sequence; sequence += 1) {
      const buffered = this.replay[this.replayStart + sequence - this.floor - 1];
      if (buffered && matches(filter, buffered)) listener(this.execution(sequence, buffered, subscriber));
    }
  }

  /** The sequence number in one of this process's ids; null for another process's, a malformed or a future one. */
  private positionOf(id: string): number | null {
    const separator = id.lastIndexOf('-');
    if (id.slice(0, separator) !== this.bootId) return null;
    const digits = id.slice(separator + 1);
    if (!/^\d{1,15}$/.test(digits)) return null;
    const position = Number(digits);
    return position <= this.sequence ? position : null;
  }

  private remember(buffered: Buffered): void {
    this.replay.push(buffered);
    this.replayBytes += buffered.data.length;
    this.expire();
    while (this.replay.length - this.replayStart > this.limits.maxEvents || this.replayBytes > this.limits.maxBytes) {
      this.dropOldest();
    }
  }

  private expire(): void {
    const cutoff = this.now() - this.limits.maxAgeMs;
    let oldest = this.replay[this.replayStart];
    while (oldest && oldest.receivedAt < cutoff) {
      this.dropOldest();
      oldest = this.replay[this.replayStart];
    }
  }

  private dropOldest(): void {
    const oldest = this.replay[this.replayStart];
    if (!oldest) return;
    this.replayBytes -= oldest.data.length;
    this.replayStart += 1;
    this.floor += 1;
    // Compacting only once half the array is dropped keeps each drop O(1) on average.
    if (this.replayStart > 1024 && this.replayStart * 2 > this.replay.length) {
      this.replay = this.replay.slice(this.replayStart);
      this.replayStart = 0;
    }
  }

  private clearReplay(floor: number): void {
    this.replay = [];
    this.replayStart = 0;
    this.replayBytes = 0;
    this.floor = floor;
  }

  private execution(sequence: number, buffered: Buffered, subscriber: Subscriber): LiveMessage {
    const data = subscriber.readsLogsOf(buffered.promptId) ? buffered.data : this.metricsDataOf(buffered);
    return { id: `${this.bootId}-${sequence}`, event: 'execution', data };
  }

  private metricsDataOf(buffered: Buffered): string {
    if (buffered.metricsData === undefined) {
      const { tags: _tags, conversationId: _conversationId, ...metrics } = JSON.parse(buffered.data) as ExecutionEvent;
      buffered.metricsData = JSON.stringify(metrics);
    }
    return buffered.metricsData;
  }

  private resync(reason: ResyncReason): LiveMessage {
    return { id: this.lastEventId, event: 'resync', data: JSON.stringify({ reason }) };
  }
}

function matches(filter: Filter, event: { projectId: string; promptId: string }): boolean {
  return event.projectId === filter.projectId && (!filter.promptId || event.promptId === filter.promptId);
}

function chunkPayloads(events: ExecutionEvent[]): { payload: string; count: number }[] {
  const payloads: { payload: string; count: number }[] = [];
  let chunk: string[] = [];
  let size = 2;
  const close = () => payloads.push({ payload: `[${chunk.join(',')}]`, count: chunk.length });
  for (const event of events) {
    const json = JSON.stringify(event);
    if (size + json.length + 1 > MAX_PAYLOAD_BYTES && chunk.length) {
      close();
      chunk = [];
      size = 2;
    }
    chunk.push(json);
    size += json.length + 1;
  }
  if (chunk.length) close();
  return payloads;
}
