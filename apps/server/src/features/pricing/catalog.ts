import {
  calcPrice,
  findProvider,
  type ModelPrice,
  type PriceCalculation,
  type PriceOptions,
  type Provider,
  type TieredPrices,
} from '@pydantic/genai-prices';
import type { PriceSet } from './cost';
import { toPlainDecimal } from './decimal';

export interface CatalogQuery {
  provider?: string;
  model: string;
  at: Date;
  /** Input tokens including cache tokens: it picks the price tier for the whole request. */
  totalInputTokens: number;
}

export interface CatalogPrice extends PriceSet {
  /** Names the catalogue entry, e.g. `catalog:openai/gpt-4o`. */
  ref: string;
}

type CatalogPriceValue = ModelPrice[string];

// The catalogue only selects the price set; its float totals are never used, so no usage is needed.
const NO_USAGE = {};

/** The per-million-token prices the catalogue lists for a model at a moment, or null when it has none. */
export function findCatalogPrice(query: CatalogQuery): CatalogPrice | null {
  const cached = entries.get(query.provider)?.get(query.model);
  if (cached === null) return null;
  if (cached === undefined) {
    const lookup = matchCatalogModel(query);
    if (!lookup.failed) remember(query, lookup);
    return lookup.match && priceOf(lookup.match, query.totalInputTokens);
  }
  const match =
    cached.fixed ??
    selectPriceSet(query.model, { providerId: cached.providerId, provider: cached.provider, timestamp: query.at })
      .match;
  return match && cachedPriceOf(cached, match.model_price, query.totalInputTokens);
}

/** A model's catalogue price at a moment for people to read: the base tier, and whether larger requests pay another. */
export function describeCatalogPrice(model: string, at: Date): (CatalogPrice & { tiered: boolean }) | null {
  const { match } = matchCatalogModel({ model, at, totalInputTokens: 0 });
  const price = match && priceOf(match, 0);
  return match && price ? { ...price, tiered: isTiered(match.model_price) } : null;
}

/** The same answer as findCatalogPrice, looked up in the whole catalogue every time. */
export function lookUpCatalogPrice(query: CatalogQuery): CatalogPrice | null {
  const { match } = matchCatalogModel(query);
  return match && priceOf(match, query.totalInputTokens);
}

/**
 * What a (provider, model) pair resolved to. Which entry matches does not depend on the time, only which of its
 * price sets applies: `provider` holds that one entry, so the library picks the price set as it would from the
 * whole catalogue without searching it (the search is most of a lookup's cost). Assumes the bundled catalogue,
 * which Promptlog never replaces at run time (no `updatePrices`).
 */
interface CatalogEntry {
  /** The provider id the lookup passed: undefined when it matched by model name alone. */
  providerId: string | undefined;
  provider: Provider;
  /** The lookup's own answer, valid at any time, when the entry has a single price set. */
  fixed: PriceCalculation | null;
  ref: string;
  /** Untiered price sets already turned into decimal strings, by the catalogue's price object. */
  prices: Map<ModelPrice, PriceSet | null>;
}

const MAX_ENTRIES = 1_000;
/** By provider (undefined when none was sent), then model; null marks a pair the catalogue has no entry for. */
const entries = new Map<string | undefined, Map<string, CatalogEntry | null>>();
let entryCount = 0;

function remember({ provider, model }: CatalogQuery, { match, providerId }: Lookup): void {
  // Model names come from clients: start afresh rather than grow without bound.
  if (entryCount >= MAX_ENTRIES) {
    entries.clear();
    entryCount = 0;
  }
  let models = entries.get(provider);
  if (!models) {
    models = new Map();
    entries.set(provider, models);
  }
  entryCount++;
  if (!match) {
    models.set(model, null);
    return;
  }
  models.set(model, {
    providerId,
    provider: { ...match.provider, models: [match.model], fallback_model_providers: undefined },
    fixed: Array.isArray(match.model.prices) ? null : match,
    ref: refOf(match),
    prices: new Map(),
  });
}

function refOf(match: PriceCalculation): string {
  return `catalog:${match.provider.id}/${match.model.id}`;
}

function priceOf(match: PriceCalculation, totalInputTokens: number): CatalogPrice | null {
  const prices = tokenPricesFor(match.model_price, totalInputTokens);
  return prices && { ...prices, ref: refOf(match) };
}

function cachedPriceOf(entry: CatalogEntry, modelPrice: ModelPrice, totalInputTokens: number): CatalogPrice | null {
  let prices = entry.prices.get(modelPrice);
  if (prices === undefined) {
    prices = tokenPricesFor(modelPrice, totalInputTokens);
    // A tiered price depends on the request's input tokens, so only untiered ones are kept.
    if (!isTiered(modelPrice)) entry.prices.set(modelPrice, prices);
  }
  return prices && { ...prices, ref: entry.ref };
}

function isTiered(prices: ModelPrice): boolean {
  return Object.values(prices).some((price) => typeof price === 'object');
}

interface Lookup {
  match: PriceCalculation | null;
  /** A malformed entry threw: the answer may depend on the time, so it is not remembered. */
  failed: boolean;
  providerId: string | undefined;
}

function matchCatalogModel({ provider, model, at }: CatalogQuery): Lookup {
  const named = selectPriceSet(model, { providerId: provider, timestamp: at });
  if (named.match || provider === undefined || isCatalogProvider(provider)) return { ...named, providerId: provider };
  // A provider the catalogue does not know (a gateway, a proxy) may still serve a model it knows by name.
  const byName = selectPriceSet(model, { timestamp: at });
  return { ...byName, failed: named.failed || byName.failed, providerId: undefined };
}

function isCatalogProvider(provider: string): boolean {
  return findProvider({ providerId: provider }) !== undefined;
}

function selectPriceSet(model: string, options: PriceOptions): { match: PriceCalculation | null; failed: boolean } {
  try {
    return { match: calcPrice(NO_USAGE, model, options), failed: false };
  } catch {
    // A malformed catalogue entry leaves the execution unpriced rather than rejecting it.
    return { match: null, failed: true };
  }
}

function tokenPricesFor(prices: ModelPrice, totalInputTokens: number): PriceSet | null {
  const input = priceAt(prices.input_mtok, totalInputTokens);
  const output = priceAt(prices.output_mtok, totalInputTokens);
  // Priced only in units Promptlog does not record (audio hours, pages): unknown, not free.
  // An empty price set is how the catalogue marks a free model.
  if (input === null && output === null && hasAnyPrice(prices)) return null;
  return {
    input: input ?? '0',
    output: output ?? '0',
    cacheRead: priceAt(prices.cache_read_mtok, totalInputTokens),
    cacheWrite: priceAt(prices.cache_write_mtok, totalInputTokens),
  };
}

function hasAnyPrice(prices: ModelPrice): boolean {
  return Object.values(prices).some((price) => price !== undefined);
}

function priceAt(price: CatalogPriceValue, totalInputTokens: number): string | null {
  if (price === undefined) return null;
  if (typeof price === 'number') return toPlainDecimal(price);
  return toPlainDecimal(tierPrice(price, totalInputTokens));
}

/** The tier with the highest start the request's total input exceeds applies to the whole request. */
function tierPrice({ base, tiers }: TieredPrices, totalInputTokens: number): number {
  let applicable = { start: -1, price: base };
  for (const tier of tiers) {
    if (totalInputTokens > tier.start && tier.start > applicable.start) applicable = tier;
  }
  return applicable.price;
}
