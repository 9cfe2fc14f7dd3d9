import { createHash, randomBytes } from 'node:crypto';

/** The last random id made in this process: the next one of the same millisecond counts up from it. */
let last: { at: number; bytes: Buffer } | null = null;

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits, so ids sort by creation time. Ids made one after the
 * other in the same millisecond count up from the first (RFC 9562's monotonic random), so rows written together,
 * such as the audit events of one change, list in the order they were made. `random` (at least 10 bytes) replaces
 * the random bits, for reproducible ids such as the demo data set's.
 */
export function uuidv7(now = Date.now(), random?: Uint8Array): string {
  if (!random) {
    const bytes = last && last.at === now ? incremented(last.bytes) : randomBytes(16);
    last = bytes ? { at: now, bytes } : null;
    return uuidv7From(Buffer.from(bytes ?? randomBytes(16)), now);
  }
  if (random.length < 10) throw new RangeError('uuidv7 needs at least 10 random bytes');
  const bytes = Buffer.alloc(16);
  bytes.set(random.subarray(0, 10), 6);
  return uuidv7From(bytes, now);
}

/**
 * A UUIDv7 that is the same every time for the same time and seed: the time keeps it ordered like the others, and a
 * hash of the seed fills the random bits, so a record sent again (an exporter's retry) gets the id it got before.
 */
export function deterministicUuidv7(at: number, seed: string): string {
  return uuidv7From(createHash('sha256').update(seed).digest().subarray(0, 16), at);
}

function uuidv7From(bytes: Buffer, at: number): string {
  bytes.writeUIntBE(Math.max(0, Math.min(Math.trunc(at), 2 ** 48 - 1)), 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The 74 random bits (after the version and variant bits) plus one; null on overflow, which starts a fresh random
 * value (a chance of one in 2^74 per id).
 */
function incremented(previous: Buffer): Buffer | null {
  const bytes = Buffer.from(previous);
  for (let index = 15; index >= 6; index--) {
    if (index === 8 || index === 6) {
      // Only the low bits are random: 6 of byte 8 (after the variant), 4 of byte 6 (after the version).
      const mask = index === 8 ? 0x3f : 0x0f;
      const value = ((bytes[index] ?? 0) & mask) + 1;
      bytes[index] = ((bytes[index] ?? 0) & ~mask) | (value & mask);
      if (value <= mask) return bytes;
      continue;
    }
    const value = (bytes[index] ?? 0) + 1;
    bytes[index] = value & 0xff;
    if (value <= 0xff) return bytes;
  }
  return null;
}
