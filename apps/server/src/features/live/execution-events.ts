import type { DatabaseHandle } from '@promptlog/db';

/** What a live listener learns of an execution: enough to match it against the Logs tab's filters. */
export interface ExecutionEvent {
  type: 'created' | 'completed';
  projectId: string;
  id: string;
  promptId: string;
  status: string;
  source: string;
  version: number | null;
  model: string;
  tags: string[];
}

type Listener = (event: ExecutionEvent) => void;

const CHANNEL = 'promptlog_execution_events';
// NOTIFY payloads must stay under 8000 bytes.
const MAX_PAYLOAD_BYTES = 7000;

/**
 * Announces stored and completed executions to every server process. Events are buffered and sent
 * with one pg_notify per interval after the data is committed: a NOTIFY inside the ingest
 * transaction would serialise every commit on Postgres' notification lock.
 */
export class ExecutionEventBus {
  private buffer: ExecutionEvent[] = [];
  private readonly listeners = new Set<{ projectId: string; promptId?: string; listener: Listener }>();
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly onError: (error: unknown) => void,
    private readonly flushIntervalMs = 100,
  ) {}

  async start(): Promise<void> {
    this.stopListening = await this.handle.listen(CHANNEL, (payload) => this.deliver(payload));
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.stopListening?.();
    this.listeners.clear();
  }

  publish(events: ExecutionEvent[]): void {
    this.buffer.push(...events);
  }

  /** Calls `listener` for each event of the project (and prompt, when given); returns the unsubscribe. */
  subscribe(filter: { projectId: string; promptId?: string }, listener: Listener): () => void {
    const entry = { ...filter, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    try {
      for (const payload of chunkPayloads(events)) {
        await this.handle.query('select pg_notify($1, $2)', [CHANNEL, payload]);
      }
    } catch (error) {
      this.onError(error);
    }
  }

  private deliver(payload: string): void {
    let events: ExecutionEvent[];
    try {
      events = JSON.parse(payload) as ExecutionEvent[];
    } catch (error) {
      this.onError(error);
      return;
    }
    for (const event of events) {
      for (const { projectId, promptId, listener } of this.listeners) {
        if (event.projectId === projectId && (!promptId || event.promptId === promptId)) listener(event);
      }
    }
  }
}

function chunkPayloads(events: ExecutionEvent[]): string[] {
  const payloads: string[] = [];
  let chunk: string[] = [];
  let size = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    if (size + json.length + 1 > MAX_PAYLOAD_BYTES && chunk.length) {
      payloads.push(`[${chunk.join(',')}]`);
      chunk = [];
      size = 2;
    }
    chunk.push(json);
    size += json.length + 1;
  }
  if (chunk.length) payloads.push(`[${chunk.join(',')}]`);
  return payloads;
}
