import { type ModelInfo, waitForUpdate } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { findCatalogPrice, lookUpCatalogPrice } from './catalog';
import { resolveCost } from './resolve-cost';

const providers = (await waitForUpdate()) ?? [];

/** Moments either side of every date and time of day at which one of the model's price sets starts or ends. */
function momentsFor(model: ModelInfo): Date[] {
  if (!Array.isArray(model.prices)) return [new Date('2025-07-01T00:00:00Z'), new Date('2030-01-01T12:00:00Z')];
  const days = ['2023-01-01', '2025-07-01', '2030-01-01'];
  const times = ['00:00:00.000', '12:00:00.000'];
  for (const { constraint } of model.prices) {
    if (constraint?.type === 'start_date') days.push(constraint.start_date);
    if (constraint?.type === 'time_of_date') times.push(constraint.start_time, constraint.end_time);
  }
  const moments: Date[] = [];
  for (const day of days) {
    for (const time of times) {
      const at = Date.parse(`${day}T${time.replace(/Z$|[+-]\d{2}:\d{2}$/, '')}Z`);
      if (Number.isNaN(at)) continue;
      for (const shift of [-3_600_000, -1, 0]) moments.push(new Date(at + shift));
    }
  }
  return moments;
}

function tokenCountsFor(model: ModelInfo): number[] {
  const counts = new Set([1_000]);
  const priceSets = Array.isArray(model.prices) ? model.prices.map((p) => p.prices) : [model.prices];
  for (const prices of priceSets) {
    for (const price of Object.values(prices)) {
      if (typeof price === 'object') for (const tier of price.tiers) counts.add(tier.start).add(tier.start + 1);
    }
  }
  return [...counts];
}

describe('the catalogue price cache', () => {
  it('has the whole catalogue to check against', () => {
    expect(providers.length).toBeGreaterThan(10);
  });

  it('answers what the uncached lookup answers, for every catalogue model, at price changes and tier starts', () => {
    let compared = 0;
    const mismatches: unknown[] = [];
    for (const provider of providers) {
      for (const model of provider.models) {
        const moments = momentsFor(model);
        const tokenCounts = tokenCountsFor(model);
        // The named provider, none, a gateway the catalogue does not know, and LiteLLM's provider/model form.
        const queries = [
          { provider: provider.id, model: model.id },
          { provider: undefined, model: model.id },
          { provider: 'my-gateway', model: model.id },
          { provider: 'litellm', model: `${provider.id}/${model.id}` },
        ];
        for (const query of queries) {
          for (const at of moments) {
            for (const totalInputTokens of tokenCounts) {
              const q = { ...query, at, totalInputTokens };
              const cached = findCatalogPrice(q);
              const uncached = lookUpCatalogPrice(q);
              if (JSON.stringify(cached) !== JSON.stringify(uncached)) mismatches.push({ q, cached, uncached });
              compared++;
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(5_000);
  }, 120_000);

  it('answers the same on a hit as on the miss that filled it, price date changes included (o3, cut on 2025-06-10)', () => {
    const o3 = { provider: 'openai', model: 'o3', totalInputTokens: 1_000 };
    const after = findCatalogPrice({ ...o3, at: new Date('2025-06-10T00:00:00Z') });
    const before = findCatalogPrice({ ...o3, at: new Date('2025-06-09T23:59:59.999Z') });
    expect(before).toMatchObject({ input: '10', output: '40', ref: 'catalog:openai/o3' });
    expect(after).toMatchObject({ input: '2', output: '8', ref: 'catalog:openai/o3' });
    expect(findCatalogPrice({ ...o3, at: new Date('2025-06-10T00:00:00Z') })).toEqual(after);
  });

  it('answers a dated model name and an unknown model the same as the uncached lookup', () => {
    for (const model of ['gpt-4o-2024-08-06', 'claude-3-5-sonnet-20241022', 'acme-llm-9000', ' GPT-4o ']) {
      for (const provider of ['openai', 'anthropic', 'acme', undefined]) {
        const q = { provider, model, at: new Date('2025-07-01T00:00:00Z'), totalInputTokens: 1_000 };
        expect(findCatalogPrice(q)).toEqual(lookUpCatalogPrice(q));
        expect(findCatalogPrice(q)).toEqual(lookUpCatalogPrice(q));
      }
    }
  });

  it('returns a fresh object each time, so a caller cannot change what the next one gets', () => {
    const q = { provider: 'openai', model: 'gpt-4o', at: new Date('2025-07-01T00:00:00Z'), totalInputTokens: 1_000 };
    const first = findCatalogPrice(q);
    if (first) first.input = '999';
    expect(findCatalogPrice(q)?.input).toBe('2.5');
  });

  it('still lets a custom price win over a cached catalogue price', () => {
    const execution = {
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      status: 'success' as const,
      startedAt: new Date('2025-07-01T00:00:00Z'),
    };
    expect(resolveCost(execution, [])).toMatchObject({ costUsd: '2.5', costOrigin: 'catalog' });
    const custom = {
      id: '00000000-0000-4000-8000-000000000001',
      model: 'gpt-4o',
      match: 'exact' as const,
      effectiveFrom: '2025-01-01T00:00:00.000Z',
      inputPerMillion: '1',
      outputPerMillion: '2',
      cacheReadPerMillion: null,
      cacheWritePerMillion: null,
      reasoningPerMillion: null,
      createdAt: '2025-01-01T00:00:00.000Z',
    };
    expect(resolveCost(execution, [custom])).toEqual({
      costUsd: '1',
      costOrigin: 'custom',
      costPriceRef: `custom:${custom.id}`,
    });
    expect(resolveCost(execution, [])).toMatchObject({ costUsd: '2.5', costOrigin: 'catalog' });
  });
});
