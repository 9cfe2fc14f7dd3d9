import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

// Refilling one pool keeps id generation cheap inside the load generator's hot loop.
const pool = new Uint8Array(16 * 1024);
let poolOffset = pool.length;

function randomBits(): Uint8Array {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bits = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return bits;
}

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, variant 0b10, then 74 bits from `random`
 * (at least 10 bytes; pass seeded bytes for reproducible ids).
 */
export function uuidv7(timestampMs: number = Date.now(), random: Uint8Array = randomBits()): string {
  if (random.length < 10) throw new RangeError('uuidv7 needs at least 10 random bytes');
  const bytes = new Uint8Array(16);
  let time = Math.max(0, Math.floor(timestampMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  let hex = '';
  for (let i = 0; i < 16; i++) {
    hex += HEX[bytes[i] ?? 0];
    if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-';
  }
  return hex;
}
