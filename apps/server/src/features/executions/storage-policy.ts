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

/** The id's last 32 bits (random in a UUIDv7) as a fraction in [0, 1). */
function sampleFraction(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(-8), 16) / 2 ** 32;
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
