import type { Usage } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { computeCost, type PriceSet } from './cost';

function usage(counts: Partial<Usage>): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...counts };
}

const claudeLike: PriceSet = { input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75' };

describe('computeCost', () => {
  it('prices input and output tokens per million', () => {
    // 1,000 × $2.50 + 500 × $10 = 2,500 + 5,000 = 7,500 per million tokens → $0.0075
    const price: PriceSet = { input: '2.5', output: '10', cacheRead: null, cacheWrite: null };
    expect(computeCost(usage({ inputTokens: 1000, outputTokens: 500 }), price)).toBe('0.0075');
  });

  it('prices cache-read and cache-write tokens separately from the rest of the input', () => {
    // input 10,000 includes 6,000 read and 2,000 written, so 2,000 are uncached:
    // 2,000 × 3 + 6,000 × 0.3 + 2,000 × 3.75 + 500 × 15 = 6,000 + 1,800 + 7,500 + 7,500 = 22,800 → $0.0228
    const counts = usage({ inputTokens: 10_000, cacheReadTokens: 6000, cacheWriteTokens: 2000, outputTokens: 500 });
    expect(computeCost(counts, claudeLike)).toBe('0.0228');
  });

  it('prices cache tokens at the input price when the price set has no cache prices', () => {
    // all 10,000 input tokens at $3: 30,000 + 500 × 15 = 37,500 → $0.0375
    const counts = usage({ inputTokens: 10_000, cacheReadTokens: 6000, cacheWriteTokens: 2000, outputTokens: 500 });
    expect(computeCost(counts, { ...claudeLike, cacheRead: null, cacheWrite: null })).toBe('0.0375');
  });

  it('falls back per cache kind: a cache-read price without a cache-write price', () => {
    // 2,000 × 3 + 6,000 × 0.3 + 2,000 × 3 (fallback) + 500 × 15 = 6,000 + 1,800 + 6,000 + 7,500 = 21,300 → $0.0213
    const counts = usage({ inputTokens: 10_000, cacheReadTokens: 6000, cacheWriteTokens: 2000, outputTokens: 500 });
    expect(computeCost(counts, { ...claudeLike, cacheWrite: null })).toBe('0.0213');
  });

  it('does not price reasoning tokens twice: they are part of the output', () => {
    // 100 × 3 + 1,000 × 15 = 300 + 15,000 = 15,300 → $0.0153
    expect(computeCost(usage({ inputTokens: 100, outputTokens: 1000, reasoningTokens: 800 }), claudeLike)).toBe(
      '0.0153',
    );
  });

  it('prices reasoning tokens at their own rate when the price set has one, the rest of the output at the output rate', () => {
    // 100 × 3 + (1,000 − 800) × 15 + 800 × 60 = 300 + 3,000 + 48,000 = 51,300 → $0.0513
    const counts = usage({ inputTokens: 100, outputTokens: 1000, reasoningTokens: 800 });
    expect(computeCost(counts, { ...claudeLike, reasoning: '60' })).toBe('0.0513');
    // A null reasoning rate bills them as output, as before.
    expect(computeCost(counts, { ...claudeLike, reasoning: null })).toBe('0.0153');
  });

  it('prices reasoning exactly, on the integer and the decimal path alike', () => {
    // 7 × 0.1 + (30 − 9) × 0.4 + 9 × 1.000001 = 0.7 + 8.4 + 9.000009 = 18.100009 per million
    const price: PriceSet = { input: '0.1', output: '0.4', cacheRead: null, cacheWrite: null, reasoning: '1.000001' };
    const counts = usage({ inputTokens: 7, outputTokens: 30, reasoningTokens: 9 });
    expect(computeCost(counts, price)).toBe('0.000018100009');
    expect(computeCost(counts, { ...price, reasoning: '1.000001e0' })).toBe('0.000018100009');
  });

  it('is exact where floating point is not', () => {
    // 12 × $0.10 + 28 × $0.40 = 1.2 + 11.2 = 12.4 per million → $0.0000124
    const price: PriceSet = { input: '0.1', output: '0.4', cacheRead: null, cacheWrite: null };
    expect((0.1 * 12) / 1e6 + (0.4 * 28) / 1e6).toBe(0.000012400000000000002);
    expect(computeCost(usage({ inputTokens: 12, outputTokens: 28 }), price)).toBe('0.0000124');
  });

  it('writes tiny costs in plain notation, never with an exponent', () => {
    // 1 × $0.15 = 0.15 per million → $0.00000015
    const price: PriceSet = { input: '0.15', output: '0.6', cacheRead: null, cacheWrite: null };
    expect(computeCost(usage({ inputTokens: 1 }), price)).toBe('0.00000015');
  });

  it('rounds half up to the 15 decimals the cost column stores', () => {
    // 1 × 0.123456789012 per million = 0.000000123456789012 → 15 decimals: 0.000000123456789
    const price: PriceSet = { input: '0.123456789012', output: '0', cacheRead: null, cacheWrite: null };
    expect(computeCost(usage({ inputTokens: 1 }), price)).toBe('0.000000123456789');
    // 1 × 0.0000000005 per million = 0.0000000000000005 → rounds up to 0.000000000000001
    const half: PriceSet = { input: '0.0000000005', output: '0', cacheRead: null, cacheWrite: null };
    expect(computeCost(usage({ inputTokens: 1 }), half)).toBe('0.000000000000001');
  });

  it('keeps every digit of large costs', () => {
    // 2,000,000,000 × 123,456,789.123456789012 per million = 2,000 × 123,456,789.123456789012
    //   = 246,913,578,246.913578024 (24 significant digits)
    const price: PriceSet = { input: '123456789.123456789012', output: '0', cacheRead: null, cacheWrite: null };
    expect(computeCost(usage({ inputTokens: 2_000_000_000 }), price)).toBe('246913578246.913578024');
  });

  it('costs zero for zero tokens', () => {
    expect(computeCost(usage({}), claudeLike)).toBe('0');
  });
});
