import { describe, expect, it } from 'vitest';
import { findCatalogPrice } from './catalog';

const mid2025 = new Date('2025-07-01T00:00:00Z');

describe('findCatalogPrice', () => {
  it('returns the per-million prices of a known model with a ref naming the entry', () => {
    expect(findCatalogPrice({ provider: 'openai', model: 'gpt-4o', at: mid2025, totalInputTokens: 1000 })).toEqual({
      input: '2.5',
      output: '10',
      cacheRead: '1.25',
      cacheWrite: null,
      ref: 'catalog:openai/gpt-4o',
    });
  });

  it('lists separate cache-read and cache-write prices where the provider has them', () => {
    const price = findCatalogPrice({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      at: mid2025,
      totalInputTokens: 1000,
    });
    expect(price).toEqual({
      input: '3',
      output: '15',
      cacheRead: '0.3',
      cacheWrite: '3.75',
      ref: 'catalog:anthropic/claude-sonnet-4-5',
    });
  });

  describe('a tiered model (gemini-2.5-pro: more than 200k input tokens costs more for the whole request)', () => {
    const gemini = { provider: 'google', model: 'gemini-2.5-pro', at: mid2025 };

    it('uses the base prices up to and including 200,000 input tokens', () => {
      expect(findCatalogPrice({ ...gemini, totalInputTokens: 200_000 })).toMatchObject({
        input: '1.25',
        output: '10',
        cacheRead: '0.125',
      });
    });

    it('uses the tier prices above 200,000 input tokens', () => {
      expect(findCatalogPrice({ ...gemini, totalInputTokens: 200_001 })).toMatchObject({
        input: '2.5',
        output: '15',
        cacheRead: '0.25',
      });
    });
  });

  describe('a model whose price changed (o3, cut on 2025-06-10)', () => {
    it('uses the old price before the change', () => {
      const price = findCatalogPrice({
        provider: 'openai',
        model: 'o3',
        at: new Date('2025-06-09T23:59:59Z'),
        totalInputTokens: 1000,
      });
      expect(price).toMatchObject({ input: '10', output: '40', ref: 'catalog:openai/o3' });
    });

    it('uses the new price from the change on', () => {
      const price = findCatalogPrice({
        provider: 'openai',
        model: 'o3',
        at: new Date('2025-06-10T00:00:00Z'),
        totalInputTokens: 1000,
      });
      expect(price).toMatchObject({ input: '2', output: '8', ref: 'catalog:openai/o3' });
    });
  });

  it('applies the tiers of the price in force: claude-sonnet-4-6 had a long-context tier until 2026-03-13', () => {
    const sonnet = { provider: 'anthropic', model: 'claude-sonnet-4-6', totalInputTokens: 300_000 };
    expect(findCatalogPrice({ ...sonnet, at: new Date('2026-03-12T12:00:00Z') })).toMatchObject({
      input: '6',
      output: '22.5',
      cacheRead: '0.6',
      cacheWrite: '7.5',
    });
    expect(findCatalogPrice({ ...sonnet, at: new Date('2026-03-13T00:00:00Z') })).toMatchObject({
      input: '3',
      output: '15',
      cacheRead: '0.3',
      cacheWrite: '3.75',
    });
  });

  it('returns null for a model it does not know', () => {
    expect(findCatalogPrice({ model: 'acme-llm-9000', at: mid2025, totalInputTokens: 1000 })).toBeNull();
    expect(
      findCatalogPrice({ provider: 'openai', model: 'acme-llm-9000', at: mid2025, totalInputTokens: 1000 }),
    ).toBeNull();
  });

  it('matches by model name when the provider is one it does not know', () => {
    const price = findCatalogPrice({ provider: 'my-gateway', model: 'gpt-4o', at: mid2025, totalInputTokens: 1000 });
    expect(price?.ref).toBe('catalog:openai/gpt-4o');
  });

  it('does not borrow another provider’s price when the named provider is known', () => {
    expect(findCatalogPrice({ provider: 'groq', model: 'gpt-4o', at: mid2025, totalInputTokens: 1000 })).toBeNull();
  });

  it('returns null for a model priced only in units it does not record (whisper-1, per audio hour)', () => {
    expect(
      findCatalogPrice({ provider: 'openai', model: 'whisper-1', at: mid2025, totalInputTokens: 1000 }),
    ).toBeNull();
  });

  it('prices output at zero for a model that lists only an input price (an embedding model)', () => {
    const price = findCatalogPrice({
      provider: 'openai',
      model: 'text-embedding-3-small',
      at: mid2025,
      totalInputTokens: 1000,
    });
    expect(price).toMatchObject({ input: '0.02', output: '0' });
  });
});
