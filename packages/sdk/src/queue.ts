import type { ExecutionInput, ExecutionPatch } from './types.js';

export interface RecordEntry {
  kind: 'record';
  id: string;
  record: ExecutionInput;
  json: string;
  bytes: number;
  seq: number;
}

export interface PatchEntry {
  kind: 'patch';
  id: string;
  patch: ExecutionPatch;
  json: string;
  bytes: number;
  seq: number;
}

export type QueueEntry = RecordEntry | PatchEntry;

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
}

/** Records and completions waiting to be sent, in the order they were logged, bounded in size. */
export class DeliveryQueue {
  private entries: QueueEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.length;
  }

  /** The sequence number of the newest entry, so a flush can send exactly what was queued before it. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Appends the entry and returns the oldest entries dropped to stay within capacity. */
  push(entry: QueueEntry): QueueEntry[] {
    entry.seq = this.nextSeq++;
    this.entries.push(entry);
    const excess = this.entries.length - this.capacity;
    return excess > 0 ? this.entries.splice(0, excess) : [];
  }

  findRecord(id: string): RecordEntry | undefined {
    return this.entries.filter(isRecordEntry).find((entry) => entry.id === id);
  }

  /**
   * Takes the next request's worth of entries queued up to `untilSeq`: one completion on its own, or
   * consecutive records within the batch limits (a completion must follow its pending record).
   */
  takeNext(
    untilSeq: number,
    limits: BatchLimits,
  ): { kind: 'patch'; entry: PatchEntry } | { kind: 'records'; entries: RecordEntry[] } | undefined {
    const head = this.entries[0];
    if (!head || head.seq > untilSeq) return undefined;
    if (head.kind === 'patch') {
      this.entries.shift();
      return { kind: 'patch', entry: head };
    }
    let count = 0;
    let bytes = 0;
    for (const entry of this.entries) {
      if (entry.kind !== 'record' || entry.seq > untilSeq || count >= limits.maxRecords) break;
      if (count > 0 && bytes + entry.bytes + 1 > limits.maxBytes) break;
      count++;
      bytes += entry.bytes + 1;
    }
    return { kind: 'records', entries: this.entries.splice(0, count).filter(isRecordEntry) };
  }
}

function isRecordEntry(entry: QueueEntry): entry is RecordEntry {
  return entry.kind === 'record';
}
