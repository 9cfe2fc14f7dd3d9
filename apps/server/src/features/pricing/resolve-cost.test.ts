import type { Usage } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { type CustomPriceRow, resolveCost } from './resolve-cost';

function usage(counts: Partial<Usage>): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...counts };
}

function customPrice(overrides: Partial<CustomPriceRow>): CustomPriceRow {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    model: 'acme-large',
    match: 'exact',
    effectiveFrom: '1970-01-01T00:00:00.000Z',
    inputPerMillion: '1',
    outputPerMillion: '1',
    cacheReadPerMillion: null,
    cacheWritePerMillion: null,
    reasoningPerMillion: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const mid2025 = new Date('2025-07-01T00:00:00Z');
const thousandEach = usage({ inputTokens: 1000, outputTokens: 1000 });

describe('resolveCost', () => {
  it('keeps a provided cost as is, without recomputing it', () => {
    const execution = {
      costUsd: '0.10',
      provider: 'openai',
      model: 'gpt-4o',
      usage: thousandEach,
      status: 'success' as const,
      startedAt: mid2025,
    };
    expect(resolveCost(execution, [customPrice({ model: 'gpt-4o' })])).toEqual({
      costUsd: '0.10',
      costOrigin: 'provided',
      costPriceRef: null,
    });
  });

  it('prices a call of a known model without usage (a failed or pending one) at $0, not as unpriced', () => {
    expect(
      resolveCost({ provider: 'openai', model: 'gpt-4o', usage: null, status: 'error', startedAt: mid2025 }, []),
    ).toEqual({
      costUsd: '0',
      costOrigin: 'catalog',
      costPriceRef: 'catalog:openai/gpt-4o',
    });
    const price = customPrice({ id: 'd0000000-0000-4000-8000-000000000000', model: 'acme-large' });
    expect(resolveCost({ model: 'acme-large', usage: null, status: 'error', startedAt: mid2025 }, [price])).toEqual({
      costUsd: '0',
      costOrigin: 'custom',
      costPriceRef: `custom:${price.id}`,
    });
  });

  it('leaves a successful call that reported no usage unpriced: what it cost is not known', () => {
    expect(
      resolveCost({ provider: 'openai', model: 'gpt-4o', usage: null, status: 'success', startedAt: mid2025 }, []),
    ).toEqual({ costUsd: null, costOrigin: 'none', costPriceRef: null });
  });

  it('leaves a call without usage of a model with no known price unpriced', () => {
    expect(resolveCost({ model: 'acme-llm-9000', usage: null, status: 'error', startedAt: mid2025 }, [])).toEqual({
      costUsd: null,
      costOrigin: 'none',
      costPriceRef: null,
    });
  });

  it('leaves an unknown model unpriced: null, never "0"', () => {
    expect(
      resolveCost({ model: 'acme-llm-9000', usage: thousandEach, status: 'success', startedAt: mid2025 }, []),
    ).toEqual({
      costUsd: null,
      costOrigin: 'none',
      costPriceRef: null,
    });
  });

  it('prices reasoning tokens at a custom price’s reasoning rate, and as output when it has none', () => {
    const execution = {
      model: 'acme-large',
      usage: usage({ inputTokens: 1000, outputTokens: 1000, reasoningTokens: 600 }),
      status: 'success' as const,
      startedAt: mid2025,
    };
    // 1,000 × 1 + 400 × 4 + 600 × 12.5 = 1,000 + 1,600 + 7,500 = 10,100 per million
    const withRate = customPrice({ outputPerMillion: '4', reasoningPerMillion: '12.5' });
    expect(resolveCost(execution, [withRate])).toMatchObject({ costUsd: '0.0101', costOrigin: 'custom' });
    // 1,000 × 1 + 1,000 × 4 = 5,000 per million: the reasoning tokens counted once, as output
    const withoutRate = customPrice({ outputPerMillion: '4' });
    expect(resolveCost(execution, [withoutRate])).toMatchObject({ costUsd: '0.005', costOrigin: 'custom' });
  });

  describe('from the catalogue', () => {
    it('computes exactly from the per-million prices (gpt-4.1-nano: $0.10 in, $0.40 out)', () => {
      // 12 × 0.1 + 28 × 0.4 = 1.2 + 11.2 = 12.4 per million → $0.0000124 (floating point gives 0.000012400000000000002)
      const execution = {
        provider: 'openai',
        model: 'gpt-4.1-nano',
        usage: usage({ inputTokens: 12, outputTokens: 28 }),
        status: 'success' as const,
        startedAt: mid2025,
      };
      expect(resolveCost(execution, [])).toEqual({
        costUsd: '0.0000124',
        costOrigin: 'catalog',
        costPriceRef: 'catalog:openai/gpt-4.1-nano',
      });
    });

    it('prices Anthropic cache reads and writes separately (claude-sonnet-4-5: 3 / 0.30 / 3.75 / 15)', () => {
      // 2,000 uncached × 3 + 6,000 read × 0.3 + 2,000 written × 3.75 + 500 × 15 = 6,000 + 1,800 + 7,500 + 7,500 = 22,800 → $0.0228
      const counts = usage({ inputTokens: 10_000, cacheReadTokens: 6000, cacheWriteTokens: 2000, outputTokens: 500 });
      const execution = {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5-20250929',
        usage: counts,
        status: 'success' as const,
        startedAt: mid2025,
      };
      expect(resolveCost(execution, [])).toMatchObject({ costUsd: '0.0228', costOrigin: 'catalog' });
    });

    it('prices a request at or below the 200k tier boundary at the base prices (gemini-2.5-pro: 1.25 in, 10 out)', () => {
      // 200,000 × 1.25 + 1,000 × 10 = 250,000 + 10,000 = 260,000 → $0.26
      const execution = {
        provider: 'google',
        model: 'gemini-2.5-pro',
        usage: usage({ inputTokens: 200_000, outputTokens: 1000 }),
        status: 'success' as const,
        startedAt: mid2025,
      };
      expect(resolveCost(execution, [])).toMatchObject({
        costUsd: '0.26',
        costOrigin: 'catalog',
        costPriceRef: 'catalog:google/gemini-2.5-pro',
      });
    });

    it('prices the whole request above the 200k boundary at the tier prices, cache writes at the input price', () => {
      // tier: 2.5 in, 0.25 cache read, 15 out; gemini lists no cache-write price, so writes cost the input price.
      // 190,000 uncached × 2.5 + 50,000 read × 0.25 + 10,000 written × 2.5 + 1,000 × 15
      //   = 475,000 + 12,500 + 25,000 + 15,000 = 527,500 → $0.5275
      const counts = usage({
        inputTokens: 250_000,
        cacheReadTokens: 50_000,
        cacheWriteTokens: 10_000,
        outputTokens: 1000,
      });
      const execution = {
        provider: 'google',
        model: 'gemini-2.5-pro',
        usage: counts,
        status: 'success' as const,
        startedAt: mid2025,
      };
      expect(resolveCost(execution, [])).toMatchObject({ costUsd: '0.5275', costOrigin: 'catalog' });
    });

    it('uses the price in force when the execution started (o3: $10/$40 before 2025-06-10, $2/$8 after)', () => {
      const o3 = { provider: 'openai', model: 'o3', usage: thousandEach };
      // 1,000 × 10 + 1,000 × 40 = 50,000 → $0.05
      expect(resolveCost({ ...o3, status: 'success', startedAt: new Date('2025-06-01T00:00:00Z') }, [])).toMatchObject({
        costUsd: '0.05',
      });
      // 1,000 × 2 + 1,000 × 8 = 10,000 → $0.01
      expect(resolveCost({ ...o3, status: 'success', startedAt: new Date('2025-07-01T00:00:00Z') }, [])).toMatchObject({
        costUsd: '0.01',
      });
    });
  });

  describe('with custom prices', () => {
    it('prefers a custom price to the catalogue', () => {
      const price = customPrice({
        id: '11111111-1111-4111-8111-111111111111',
        model: 'gpt-4o',
        inputPerMillion: '1',
        outputPerMillion: '2',
      });
      // 1,000 × 1 + 1,000 × 2 = 3,000 → $0.003
      expect(
        resolveCost(
          { provider: 'openai', model: 'gpt-4o', usage: thousandEach, status: 'success' as const, startedAt: mid2025 },
          [price],
        ),
      ).toEqual({
        costUsd: '0.003',
        costOrigin: 'custom',
        costPriceRef: 'custom:11111111-1111-4111-8111-111111111111',
      });
    });

    it('prefers an exact match to a prefix, and a longer prefix to a shorter one', () => {
      const shortPrefix = customPrice({ id: 'a0000000-0000-4000-8000-000000000000', model: 'acme', match: 'prefix' });
      const longPrefix = customPrice({
        id: 'b0000000-0000-4000-8000-000000000000',
        model: 'acme-lar',
        match: 'prefix',
      });
      const exact = customPrice({ id: 'c0000000-0000-4000-8000-000000000000', model: 'acme-large', match: 'exact' });
      const execution = { model: 'acme-large', usage: thousandEach, status: 'success' as const, startedAt: mid2025 };

      expect(resolveCost(execution, [shortPrefix, longPrefix, exact]).costPriceRef).toBe(`custom:${exact.id}`);
      expect(resolveCost(execution, [shortPrefix, longPrefix]).costPriceRef).toBe(`custom:${longPrefix.id}`);
      expect(resolveCost({ ...execution, model: 'acme-small' }, [shortPrefix, longPrefix, exact]).costPriceRef).toBe(
        `custom:${shortPrefix.id}`,
      );
    });

    it('uses the latest price effective at the start, ignoring prices that take effect later', () => {
      const old = customPrice({
        id: 'a0000000-0000-4000-8000-000000000000',
        effectiveFrom: '2025-01-01T00:00:00.000Z',
        inputPerMillion: '1',
        outputPerMillion: '1',
      });
      const current = customPrice({
        id: 'b0000000-0000-4000-8000-000000000000',
        effectiveFrom: '2025-06-01T00:00:00.000Z',
        inputPerMillion: '2',
        outputPerMillion: '2',
      });
      const future = customPrice({
        id: 'c0000000-0000-4000-8000-000000000000',
        effectiveFrom: '2025-09-01T00:00:00.000Z',
        inputPerMillion: '5',
        outputPerMillion: '5',
      });
      const prices = [old, current, future];
      const execution = { model: 'acme-large', usage: thousandEach };

      // 1,000 × 2 + 1,000 × 2 = 4,000 → $0.004
      expect(resolveCost({ ...execution, status: 'success', startedAt: mid2025 }, prices)).toMatchObject({
        costUsd: '0.004',
        costPriceRef: `custom:${current.id}`,
      });
      // 1,000 × 1 + 1,000 × 1 = 2,000 → $0.002
      expect(
        resolveCost({ ...execution, status: 'success', startedAt: new Date('2025-03-01T00:00:00Z') }, prices),
      ).toMatchObject({
        costUsd: '0.002',
        costPriceRef: `custom:${old.id}`,
      });
      expect(
        resolveCost({ ...execution, status: 'success', startedAt: new Date('2024-12-31T23:59:59Z') }, prices),
      ).toMatchObject({
        costUsd: null,
        costOrigin: 'none',
      });
    });

    it('falls back to the catalogue before a custom price takes effect', () => {
      const later = customPrice({ model: 'gpt-4o', effectiveFrom: '2025-09-01T00:00:00.000Z' });
      // 1,000 × 2.5 + 1,000 × 10 = 12,500 → $0.0125
      expect(
        resolveCost(
          { provider: 'openai', model: 'gpt-4o', usage: thousandEach, status: 'success' as const, startedAt: mid2025 },
          [later],
        ),
      ).toMatchObject({
        costUsd: '0.0125',
        costOrigin: 'catalog',
      });
    });

    it('prices cache tokens with the custom cache prices, or its input price when it has none', () => {
      const counts = usage({ inputTokens: 1000, cacheReadTokens: 400, cacheWriteTokens: 100, outputTokens: 10 });
      const withCache = customPrice({
        inputPerMillion: '2',
        outputPerMillion: '8',
        cacheReadPerMillion: '0.5',
        cacheWritePerMillion: '2.5',
      });
      // 500 × 2 + 400 × 0.5 + 100 × 2.5 + 10 × 8 = 1,000 + 200 + 250 + 80 = 1,530 → $0.00153
      expect(
        resolveCost({ model: 'acme-large', usage: counts, status: 'success', startedAt: mid2025 }, [withCache]).costUsd,
      ).toBe('0.00153');
      // 1,000 × 2 + 10 × 8 = 2,080 → $0.00208
      const withoutCache = customPrice({ inputPerMillion: '2', outputPerMillion: '8' });
      expect(
        resolveCost({ model: 'acme-large', usage: counts, status: 'success', startedAt: mid2025 }, [withoutCache])
          .costUsd,
      ).toBe('0.00208');
    });
  });
});
