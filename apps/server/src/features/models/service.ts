import type { ModelList, ModelPrice, ModelSummary } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { toMeasures } from '../analytics/measures';
import { type Slice, selectSums } from '../analytics/queries';
import { describeCatalogPrice } from '../pricing/catalog';
import { type CustomPriceRow, loadCustomPrices } from '../pricing/custom-prices';
import { customPriceRef, findCustomPrice } from '../pricing/resolve-cost';

// Every day the rollups can hold: the daily model rollups alone answer "all time" (a day is the sum of its hours).
const FIRST_DAY = '0001-01-01T00:00:00Z';
const LAST_DAY = '9999-12-31T00:00:00Z';

/**
 * Every model the project's rollups have seen, most called first, with its calls, exact spend and the price its
 * calls get now. Read from the daily model rollups, never from executions; rollup retention bounds "seen".
 */
export async function listModels(handle: QueryRunner, projectId: string, now = new Date()): Promise<ModelList> {
  const allTime: Slice = {
    projectIds: [projectId],
    filters: {},
    from: FIRST_DAY,
    to: LAST_DAY,
    days: { from: FIRST_DAY, to: LAST_DAY },
  };
  const rows = await selectSums(handle, allTime, { model: sql`model` }, ['model']);
  const customPrices = await loadCustomPrices(handle, projectId);
  const items = rows
    .filter((row) => Number(row.calls) > 0)
    .map((row): ModelSummary => {
      const model = String(row.model);
      const { calls, unpricedCalls, costUsd } = toMeasures(row);
      return { model, calls, unpricedCalls, costUsd, price: currentPrice(model, customPrices, now) };
    });
  items.sort((a, b) => b.calls - a.calls || a.model.localeCompare(b.model));
  return { items };
}

/** What a call of `model` starting `at` would be priced with, resolved as ingestion resolves it. */
function currentPrice(model: string, customPrices: readonly CustomPriceRow[], at: Date): ModelPrice | null {
  const custom = findCustomPrice(customPrices, model, at);
  if (custom) {
    return {
      source: 'custom',
      ref: customPriceRef(custom.id),
      customPriceId: custom.id,
      pattern: custom.model,
      match: custom.match,
      effectiveFrom: custom.effectiveFrom,
      inputPerMillion: custom.inputPerMillion,
      outputPerMillion: custom.outputPerMillion,
      cacheReadPerMillion: custom.cacheReadPerMillion,
      cacheWritePerMillion: custom.cacheWritePerMillion,
      reasoningPerMillion: custom.reasoningPerMillion ?? custom.outputPerMillion,
      tiered: false,
    };
  }
  const catalog = describeCatalogPrice(model, at);
  if (!catalog) return null;
  return {
    source: 'catalog',
    ref: catalog.ref,
    customPriceId: null,
    pattern: null,
    match: null,
    effectiveFrom: null,
    inputPerMillion: catalog.input,
    outputPerMillion: catalog.output,
    cacheReadPerMillion: catalog.cacheRead,
    cacheWritePerMillion: catalog.cacheWrite,
    reasoningPerMillion: catalog.output,
    tiered: catalog.tiered,
  };
}
