import type { Usage } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { computeCost, type PriceSet } from './cost';
import { exactDecimal, toCostString } from './decimal';

/** The cost as computed with Decimal alone, term by term: what computeCost must keep answering. */
function decimalReference(usage: Usage, price: PriceSet): string {
  const terms: [number, string][] = [
    [usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens, price.input],
    [usage.cacheReadTokens, price.cacheRead ?? price.input],
    [usage.cacheWriteTokens, price.cacheWrite ?? price.input],
    ...((price.reasoning == null
      ? [[usage.outputTokens, price.output]]
      : [
          [usage.outputTokens - usage.reasoningTokens, price.output],
          [usage.reasoningTokens, price.reasoning],
        ]) as [number, string][]),
  ];
  const perMillion = terms.reduce((sum, [tokens, p]) => sum.plus(exactDecimal(tokens).times(p)), exactDecimal(0));
  return toCostString(perMillion.dividedBy(1_000_000));
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('computeCost on integers', () => {
  it('gives the digits Decimal gives, for prices of up to 12 decimals and token counts up to 2^31 − 1', () => {
    const next = random(42);
    const int = (max: number) => Math.floor(next() * (max + 1));
    const priceText = () => {
      const whole = String(int(10 ** int(6)));
      const places = int(12);
      return places === 0 ? whole : `${whole}.${String(int(10 ** places - 1)).padStart(places, '0')}`;
    };
    const mismatches: unknown[] = [];
    for (let i = 0; i < 20_000; i++) {
      const inputTokens = int(2 ** 31 - 1);
      const cacheReadTokens = int(inputTokens);
      const outputTokens = int(i % 2 ? 2 ** 31 - 1 : 5_000);
      const usage: Usage = {
        inputTokens,
        cacheReadTokens,
        cacheWriteTokens: int(inputTokens - cacheReadTokens),
        outputTokens,
        reasoningTokens: int(outputTokens),
      };
      const price: PriceSet = {
        input: priceText(),
        output: priceText(),
        cacheRead: next() < 0.3 ? null : priceText(),
        cacheWrite: next() < 0.5 ? null : priceText(),
        reasoning: next() < 0.5 ? null : priceText(),
      };
      const expected = decimalReference(usage, price);
      const actual = computeCost(usage, price);
      if (actual !== expected) mismatches.push({ usage, price, expected, actual });
    }
    expect(mismatches).toEqual([]);
  });

  it('rounds half up at the 15th decimal, as Decimal does', () => {
    const usage: Usage = {
      inputTokens: 1,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    for (const input of [
      '0.0000000005',
      '0.0000000004999',
      '0.00000000049999999',
      '0.000000001500000000',
      '7.1234567895',
    ]) {
      const price: PriceSet = { input, output: '0', cacheRead: null, cacheWrite: null };
      expect(computeCost(usage, price)).toBe(decimalReference(usage, price));
    }
  });

  it('takes the Decimal path for what it does not handle, with the same answer as before', () => {
    const usage: Usage = {
      inputTokens: 1_000,
      outputTokens: 10,
      cacheReadTokens: 600,
      cacheWriteTokens: 600,
      reasoningTokens: 0,
    };
    // More cache tokens than input tokens (a negative uncached count), an exponent, a long price.
    const prices: PriceSet[] = [
      { input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75' },
      { input: '1e-7', output: '2E+1', cacheRead: null, cacheWrite: null },
      { input: `0.${'1'.repeat(40)}`, output: '1', cacheRead: null, cacheWrite: null },
    ];
    for (const price of prices) expect(computeCost(usage, price)).toBe(decimalReference(usage, price));
  });
});
