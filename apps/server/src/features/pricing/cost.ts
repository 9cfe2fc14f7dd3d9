import type { Usage } from '@promptlog/contracts';
import type Decimal from 'decimal.js';
import { exactDecimal, toCostString } from './decimal';

/**
 * USD per million tokens, as decimal strings. A missing cache price means the input price applies; a missing
 * reasoning price, the output price (reasoning tokens are part of the output tokens).
 */
export interface PriceSet {
  input: string;
  output: string;
  cacheRead: string | null;
  cacheWrite: string | null;
  reasoning?: string | null;
}

const TOKENS_PER_PRICE_UNIT = 1_000_000;
const PRICE_UNIT_DIGITS = 6;
/** executions.cost_usd is numeric(30,15). */
const COST_DECIMAL_PLACES = 15;

/**
 * Exact cost in USD. Input tokens include the cache-read and cache-write tokens, output tokens the reasoning tokens;
 * each of those is priced at its own rate when the price set has one.
 */
export function computeCost(usage: Usage, price: PriceSet): string {
  const terms: [number, string][] = [
    [usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens, price.input],
    [usage.cacheReadTokens, price.cacheRead ?? price.input],
    [usage.cacheWriteTokens, price.cacheWrite ?? price.input],
  ];
  if (price.reasoning == null) terms.push([usage.outputTokens, price.output]);
  else {
    const reasoning = Math.min(usage.reasoningTokens, usage.outputTokens);
    terms.push([usage.outputTokens - reasoning, price.output], [reasoning, price.reasoning]);
  }
  return integerCost(terms) ?? decimalCost(terms);
}

function decimalCost(terms: [number, string][]): string {
  let perMillion = exactDecimal(0);
  for (const [tokens, pricePerMillion] of terms)
    perMillion = perMillion.plus(tokensTimesPrice(tokens, pricePerMillion));
  return toCostString(perMillion.dividedBy(TOKENS_PER_PRICE_UNIT));
}

function tokensTimesPrice(tokens: number, pricePerMillion: string): Decimal {
  return exactDecimal(tokens).times(pricePerMillion);
}

// Prices as stored (numeric(30,12)) and as the catalogue gives them: plain, short enough that Decimal's 80 digits
// never round, so BigInt arithmetic gives the same digits at a fraction of the cost. Anything else takes Decimal.
const PLAIN_PRICE = /^(\d{1,30})(?:\.(\d{1,30}))?$/;

/** The cost computed on integers (value × 10^-scale), or null when a term is outside what it handles. */
function integerCost(terms: [number, string][]): string | null {
  const parsed: { tokens: bigint; units: bigint; scale: number }[] = [];
  let scale = 0;
  for (const [tokens, price] of terms) {
    const match = PLAIN_PRICE.exec(price);
    if (!match || !Number.isSafeInteger(tokens) || tokens < 0) return null;
    const fraction = match[2] ?? '';
    parsed.push({ tokens: BigInt(tokens), units: BigInt((match[1] ?? '') + fraction), scale: fraction.length });
    scale = Math.max(scale, fraction.length);
  }
  let total = 0n;
  for (const term of parsed) total += term.tokens * term.units * 10n ** BigInt(scale - term.scale);
  let places = scale + PRICE_UNIT_DIGITS;
  if (places > COST_DECIMAL_PLACES) {
    // Half up, as Decimal's ROUND_HALF_UP and Postgres do; the total is never negative.
    const divisor = 10n ** BigInt(places - COST_DECIMAL_PLACES);
    const remainder = total % divisor;
    total = total / divisor + (2n * remainder >= divisor ? 1n : 0n);
    places = COST_DECIMAL_PLACES;
  }
  const digits = total.toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
