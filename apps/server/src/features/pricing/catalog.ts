import {
  calcPrice,
  findProvider,
  type ModelPrice,
  type PriceCalculation,
  type PriceOptions,
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
  const match = matchCatalogModel(query);
  if (!match) return null;
  const prices = tokenPricesFor(match.model_price, query.totalInputTokens);
  return prices && { ...prices, ref: `catalog:${match.provider.id}/${match.model.id}` };
}

function matchCatalogModel({ provider, model, at }: CatalogQuery): PriceCalculation | null {
  const match = selectPriceSet(model, { providerId: provider, timestamp: at });
  if (match || provider === undefined || isCatalogProvider(provider)) return match;
  // A provider the catalogue does not know (a gateway, a proxy) may still serve a model it knows by name.
  return selectPriceSet(model, { timestamp: at });
}

function isCatalogProvider(provider: string): boolean {
  return findProvider({ providerId: provider }) !== undefined;
}

function selectPriceSet(model: string, options: PriceOptions): PriceCalculation | null {
  try {
    return calcPrice(NO_USAGE, model, options);
  } catch {
    // A malformed catalogue entry leaves the execution unpriced rather than rejecting it.
    return null;
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
