import type { Usage } from '@promptlog/contracts';
import type Decimal from 'decimal.js';
import { exactDecimal, toCostString } from './decimal';

/** USD per million tokens, as decimal strings. A missing cache price means the input price applies. */
export interface PriceSet {
  input: string;
  output: string;
  cacheRead: string | null;
  cacheWrite: string | null;
}

const TOKENS_PER_PRICE_UNIT = 1_000_000;

/** Exact cost in USD; input tokens include the cache-read and cache-write tokens, which are priced separately. */
export function computeCost(usage: Usage, price: PriceSet): string {
  const uncachedInputTokens = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
  const perMillion = tokensTimesPrice(uncachedInputTokens, price.input)
    .plus(tokensTimesPrice(usage.cacheReadTokens, price.cacheRead ?? price.input))
    .plus(tokensTimesPrice(usage.cacheWriteTokens, price.cacheWrite ?? price.input))
    .plus(tokensTimesPrice(usage.outputTokens, price.output));
  return toCostString(perMillion.dividedBy(TOKENS_PER_PRICE_UNIT));
}

function tokensTimesPrice(tokens: number, pricePerMillion: string): Decimal {
  return exactDecimal(tokens).times(pricePerMillion);
}
