import { type CostOrigin, CustomPrice, type ExecutionStatus, type Usage } from '@promptlog/contracts';
import type { z } from 'zod';
import { findCatalogPrice } from './catalog';
import { computeCost, type PriceSet } from './cost';

/** What resolution needs of a custom price; a full CustomPrice is one. */
export const CustomPriceRow = CustomPrice.pick({
  id: true,
  model: true,
  match: true,
  effectiveFrom: true,
  inputPerMillion: true,
  outputPerMillion: true,
  cacheReadPerMillion: true,
  cacheWritePerMillion: true,
  reasoningPerMillion: true,
  createdAt: true,
});
export type CustomPriceRow = z.infer<typeof CustomPriceRow>;

export interface CostableExecution {
  costUsd?: string;
  provider?: string;
  model: string;
  usage?: Usage | null;
  /** A successful call that reported no usage did cost something; a failed or pending one used no tokens we know of. */
  status: ExecutionStatus;
  startedAt: Date;
}

export interface ResolvedCost {
  costUsd: string | null;
  costOrigin: CostOrigin;
  costPriceRef: string | null;
}

/** No tokens reported at a known price: nothing to bill, unlike an unknown price. */
const NO_USAGE_COST = '0';

/**
 * Provided cost, else a custom price, else the catalogue, else unpriced (null, never "0"). Unpriced means that no
 * price is known, or that a successful call reported no usage to price; a failed, cancelled or pending call of a
 * priced model that reported no usage costs "0".
 */
export function resolveCost(execution: CostableExecution, customPrices: readonly CustomPriceRow[]): ResolvedCost {
  if (execution.costUsd !== undefined) {
    return { costUsd: execution.costUsd, costOrigin: 'provided', costPriceRef: null };
  }
  const { usage, model, provider, startedAt } = execution;
  if (!usage && execution.status === 'success') return unpriced();

  const custom = findCustomPrice(customPrices, model, startedAt);
  if (custom) {
    return {
      costUsd: usage ? computeCost(usage, customPriceSet(custom)) : NO_USAGE_COST,
      costOrigin: 'custom',
      costPriceRef: customPriceRef(custom.id),
    };
  }
  const catalog = findCatalogPrice({ provider, model, at: startedAt, totalInputTokens: usage?.inputTokens ?? 0 });
  if (catalog) {
    return {
      costUsd: usage ? computeCost(usage, catalog) : NO_USAGE_COST,
      costOrigin: 'catalog',
      costPriceRef: catalog.ref,
    };
  }
  return unpriced();
}

/** Exact before prefix, longer prefix before shorter, then the latest effective-from not after `at`. */
export function findCustomPrice(prices: readonly CustomPriceRow[], model: string, at: Date): CustomPriceRow | null {
  const candidates = prices.filter(
    (price) => matchesModel(price, model) && Date.parse(price.effectiveFrom) <= at.getTime(),
  );
  return candidates.sort(byPrecedence)[0] ?? null;
}

export function customPriceRef(id: string): string {
  return `custom:${id}`;
}

function matchesModel(price: CustomPriceRow, model: string): boolean {
  return price.match === 'exact' ? model === price.model : model.startsWith(price.model);
}

function byPrecedence(a: CustomPriceRow, b: CustomPriceRow): number {
  return (
    specificity(b) - specificity(a) ||
    Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom) ||
    Date.parse(b.createdAt) - Date.parse(a.createdAt)
  );
}

function specificity(price: CustomPriceRow): number {
  return price.match === 'exact' ? Number.MAX_SAFE_INTEGER : price.model.length;
}

function customPriceSet(price: CustomPriceRow): PriceSet {
  return {
    input: price.inputPerMillion,
    output: price.outputPerMillion,
    cacheRead: price.cacheReadPerMillion,
    cacheWrite: price.cacheWritePerMillion,
    reasoning: price.reasoningPerMillion,
  };
}

function unpriced(): ResolvedCost {
  return { costUsd: null, costOrigin: 'none', costPriceRef: null };
}
