import type { PayloadPolicy } from '@promptlog/contracts';
import type { StoragePolicy } from '../api-keys/service';
import { compileRedactor } from '../redaction/redactor';

/**
 * Whether an execution's payloads are kept. With errors_and_sampled the choice for a successful or cancelled
 * execution is drawn from its id, so a retry or the completion of a pending execution decides the same way.
 */
export function keepsPayload(policy: PayloadPolicy, sampleRate: number, id: string, status: string): boolean {
  if (policy === 'all') return true;
  if (policy === 'metadata_only') return false;
  if (status === 'error' || status === 'pending') return true;
  return sampleFraction(id) < sampleRate;
}

/**
 * A 32-bit hash of the id as a fraction in [0, 1): the same id always lands in the same place, and ids made one after
 * another (the server's count up within a millisecond) spread evenly instead of deciding alike. FNV-1a over the
 * characters, then MurmurHash3's finaliser, without which ids differing in their last digit land close together.
 */
function sampleFraction(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

type Redactions = Record<string, number>;

const PAYLOAD_FIELDS = ['inputs', 'request', 'output', 'error', 'thinking', 'toolCalls', 'metadata'] as const;

type PayloadField = (typeof PAYLOAD_FIELDS)[number];

/**
 * What is stored of an execution or its completion: payloads and metadata with secrets redacted, or no payloads at
 * all when the policy does not keep them for this execution. Runs before anything is written.
 */
export function protectPayloads<T extends { status: string } & Partial<Record<PayloadField, unknown>>>(
  id: string,
  record: T,
  storage: StoragePolicy,
): { record: T; keepPayload: boolean; redactions: Redactions | null } {
  const keepPayload = keepsPayload(storage.payloadPolicy, storage.payloadSampleRate, id, record.status);
  const redactor = compileRedactor(storage.redaction);
  const fields: readonly PayloadField[] = keepPayload ? PAYLOAD_FIELDS : ['metadata'];
  const counts: Redactions = {};
  let result = record;
  if (redactor.active) {
    for (const field of fields) {
      if (record[field] === undefined) continue;
      const value = redactor.redact(record[field], counts);
      if (value !== record[field]) result = { ...result, [field]: value };
    }
  }
  return { record: result, keepPayload, redactions: Object.keys(counts).length ? counts : null };
}

export function mergeRedactions(a: Redactions | null, b: Redactions | null): Redactions | null {
  if (!a || !b) return a ?? b;
  const merged = { ...a };
  for (const [rule, n] of Object.entries(b)) merged[rule] = (merged[rule] ?? 0) + n;
  return merged;
}
