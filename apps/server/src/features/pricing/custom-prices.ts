import { randomUUID } from 'node:crypto';
import type { CustomPrice, CustomPriceInput } from '@promptlog/contracts';
import { customPrices, type Database, type DatabaseHandle, executions, type QueryRunner } from '@promptlog/db';
import { and, asc, eq, gt, gte, ne, or, type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { insertDeltas } from '../analytics/rollup-sql';
import { insertConversationDeltas } from '../conversations/rollup-sql';
import { usageOfRow } from '../executions/row';
import { exactDecimal, sameAmount, toPlainDecimal } from './decimal';
import { type CustomPriceRow, type ResolvedCost, resolveCost } from './resolve-cost';

export type { CustomPriceRow } from './resolve-cost';

/** A price change, and what its re-pricing has to walk: the executions the price covered before and covers now. */
export interface CustomPriceChange {
  price: CustomPrice;
  patterns: PricePattern[];
}

export const REPRICE_CHUNK_SIZE = 1000;
/** Covered executions a price's preview checks at most (tens of milliseconds of database and pricing work each 1,000). */
export const PREVIEW_MAX_CHECKED = 20_000;

/** What saving a price would re-price: of the `checked` executions it covers, `repriced`; all of them when `complete`. */
export interface RepricingCount {
  repriced: number;
  checked: number;
  complete: boolean;
}
/** custom_prices' amounts are numeric(30,12). */
const STORED_PRICE_PLACES = 12;

const customPriceColumns = {
  id: customPrices.id,
  model: customPrices.model,
  match: customPrices.match,
  effectiveFrom: customPrices.effectiveFrom,
  inputPerMillion: customPrices.inputPerMillion,
  outputPerMillion: customPrices.outputPerMillion,
  cacheReadPerMillion: customPrices.cacheReadPerMillion,
  cacheWritePerMillion: customPrices.cacheWritePerMillion,
  reasoningPerMillion: customPrices.reasoningPerMillion,
  createdAt: customPrices.createdAt,
};

const repricingColumns = {
  id: executions.id,
  model: executions.model,
  provider: executions.provider,
  status: executions.status,
  startedAt: executions.startedAt,
  inputTokens: executions.inputTokens,
  outputTokens: executions.outputTokens,
  cacheReadTokens: executions.cacheReadTokens,
  cacheWriteTokens: executions.cacheWriteTokens,
  reasoningTokens: executions.reasoningTokens,
  costUsd: executions.costUsd,
  costOrigin: executions.costOrigin,
  costPriceRef: executions.costPriceRef,
};

type StoredCustomPrice = Pick<typeof customPrices.$inferSelect, keyof typeof customPriceColumns>;
type RepricingRow = Pick<typeof executions.$inferSelect, keyof typeof repricingColumns>;
export type PricePattern = Pick<CustomPriceRow, 'model' | 'match' | 'effectiveFrom'>;
type CostUpdate = { id: string; cost: string | null; origin: ResolvedCost['costOrigin']; ref: string | null };

/** Every custom price of a project, in the shape cost resolution needs; one indexed query, cheap to call per request. */
export async function loadCustomPrices(handle: QueryRunner, projectId: string): Promise<CustomPriceRow[]> {
  return selectCustomPrices(handle.db, projectId);
}

export async function listCustomPrices(handle: QueryRunner, projectId: string): Promise<CustomPrice[]> {
  const prices = await selectCustomPrices(handle.db, projectId);
  return prices.sort((a, b) => a.model.localeCompare(b.model) || b.effectiveFrom.localeCompare(a.effectiveFrom));
}

/** Adds a price; the executions it now applies to are its patterns, for the re-pricing job. */
export async function createCustomPrice(
  db: Database,
  projectId: string,
  input: CustomPriceInput,
  createdBy?: string,
): Promise<CustomPriceChange> {
  const inserted = await db
    .insert(customPrices)
    .values({ projectId, id: randomUUID(), ...priceValues(input), createdBy: createdBy ?? null })
    .returning(customPriceColumns);
  const price = toCustomPrice(single(inserted));
  return { price, patterns: [patternOf(price)] };
}

/** Changes a price's model, match, date and amounts; what it covered before and covers now are to be re-priced. */
export async function updateCustomPrice(
  db: Database,
  projectId: string,
  id: string,
  input: CustomPriceInput,
): Promise<CustomPriceChange & { previous: CustomPrice }> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select(customPriceColumns)
      .from(customPrices)
      .where(and(eq(customPrices.projectId, projectId), eq(customPrices.id, id)))
      .for('update');
    if (!before) throw new AppError('not_found', `No custom price ${id} in this project`);
    const updated = await tx
      .update(customPrices)
      .set(priceValues(input))
      .where(and(eq(customPrices.projectId, projectId), eq(customPrices.id, id)))
      .returning(customPriceColumns);
    const [previous, price] = [toCustomPrice(before), toCustomPrice(single(updated))];
    return { price, previous, patterns: [patternOf(previous), patternOf(price)] };
  });
}

/**
 * How many executions saving `input` would re-price, as a new price or in place of price `replacing`: the same walk
 * and comparison as the re-pricing itself, with nothing written. It checks at most `maxChecked` of the executions the
 * price covers, oldest first: at ten million executions, counting them all would take minutes inside the request.
 */
export async function countRepricing(
  handle: DatabaseHandle,
  projectId: string,
  input: CustomPriceInput,
  replacing?: string,
  maxChecked = PREVIEW_MAX_CHECKED,
): Promise<RepricingCount> {
  const current = await selectCustomPrices(handle.db, projectId);
  const previous = replacing === undefined ? undefined : current.find((price) => price.id === replacing);
  if (replacing !== undefined && !previous)
    throw new AppError('not_found', `No custom price ${replacing} in this project`);
  const values = priceValues(input);
  const candidate: CustomPrice = {
    id: previous?.id ?? randomUUID(),
    model: values.model,
    match: values.match,
    effectiveFrom: toIsoTimestamp(values.effectiveFrom),
    ...asStored(values),
    createdAt: previous?.createdAt ?? new Date().toISOString(),
  };
  const prices = [...current.filter((price) => price.id !== replacing), candidate];
  const patterns = previous ? [previous, candidate] : [candidate];
  return repriceCovered(handle.db, projectId, patterns, prices, maxChecked);
}

/** Removes a price; the executions it covered go to another custom price, the catalogue, or none, when re-priced. */
export async function deleteCustomPrice(db: Database, projectId: string, id: string): Promise<CustomPriceChange> {
  const deleted = await db
    .delete(customPrices)
    .where(and(eq(customPrices.projectId, projectId), eq(customPrices.id, id)))
    .returning(customPriceColumns);
  const [row] = deleted;
  if (!row) throw new AppError('not_found', `No custom price ${id} in this project`);
  const price = toCustomPrice(row);
  return { price, patterns: [patternOf(price)] };
}

/**
 * One chunk of a re-pricing: the next covered executions after `afterId`, locked so a completion waits for this
 * chunk rather than racing it, re-resolved against `prices`; changed costs are written with their rollup deltas.
 * Unchanged rows are not written, so walking a chunk again changes nothing.
 */
export async function repriceChunk(
  db: Database,
  projectId: string,
  patterns: PricePattern[],
  afterId: string | null,
  prices: readonly CustomPriceRow[],
  chunkSize = REPRICE_CHUNK_SIZE,
): Promise<{ walked: number; repriced: number; lastId: string | null }> {
  const chunk = await selectCoveredExecutions(db, projectId, patterns, afterId ?? undefined, chunkSize).for('update');
  const updates = chunk.flatMap((row) => costUpdate(row, prices));
  if (updates.length > 0) await writeCosts(db, projectId, updates);
  return { walked: chunk.length, repriced: updates.length, lastId: chunk.at(-1)?.id ?? null };
}

/** How many non-provided executions the patterns cover: what a re-pricing walks. */
export async function countCovered(db: Database, projectId: string, patterns: PricePattern[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(executions)
    .where(coveredBy(projectId, patterns));
  return Number(row?.n ?? 0);
}

/** The custom prices a chunk resolves against: the project's, as they are at that moment. */
export function currentCustomPrices(db: Database, projectId: string): Promise<CustomPrice[]> {
  return selectCustomPrices(db, projectId);
}

function patternOf({ model, match, effectiveFrom }: PricePattern): PricePattern {
  return { model, match, effectiveFrom };
}

async function selectCustomPrices(db: Database, projectId: string): Promise<CustomPrice[]> {
  const rows = await db.select(customPriceColumns).from(customPrices).where(eq(customPrices.projectId, projectId));
  return rows.map(toCustomPrice);
}

/** The columns a price's input sets. */
function priceValues(input: CustomPriceInput) {
  return {
    model: input.model,
    match: input.match,
    effectiveFrom: input.effectiveFrom,
    inputPerMillion: input.inputPerMillion,
    outputPerMillion: input.outputPerMillion,
    cacheReadPerMillion: input.cacheReadPerMillion ?? null,
    cacheWritePerMillion: input.cacheWritePerMillion ?? null,
    reasoningPerMillion: input.reasoningPerMillion ?? null,
  };
}

/** The amounts as numeric(30,12) keeps them, so a count made before saving prices as the saved price will. */
function asStored(values: ReturnType<typeof priceValues>) {
  const stored = (amount: string) => toPlainDecimal(exactDecimal(amount).toDecimalPlaces(STORED_PRICE_PLACES));
  return {
    inputPerMillion: stored(values.inputPerMillion),
    outputPerMillion: stored(values.outputPerMillion),
    cacheReadPerMillion: values.cacheReadPerMillion === null ? null : stored(values.cacheReadPerMillion),
    cacheWritePerMillion: values.cacheWritePerMillion === null ? null : stored(values.cacheWritePerMillion),
    reasoningPerMillion: values.reasoningPerMillion === null ? null : stored(values.reasoningPerMillion),
  };
}

/**
 * Counts, walking the covered executions in keyset chunks as the re-pricing does, those whose cost `prices` would
 * change; writes nothing.
 */
async function repriceCovered(
  db: Database,
  projectId: string,
  patterns: PricePattern[],
  prices: readonly CustomPriceRow[],
  maxChecked: number,
): Promise<RepricingCount> {
  let repriced = 0;
  let checked = 0;
  let afterId: string | undefined;
  for (;;) {
    const limit = Math.min(REPRICE_CHUNK_SIZE, maxChecked - checked);
    if (limit === 0) {
      const more = await selectCoveredExecutions(db, projectId, patterns, afterId, 1);
      return { repriced, checked, complete: more.length === 0 };
    }
    const chunk = await selectCoveredExecutions(db, projectId, patterns, afterId, limit);
    repriced += chunk.flatMap((row) => costUpdate(row, prices)).length;
    checked += chunk.length;
    const last = chunk.at(-1);
    if (!last || chunk.length < limit) return { repriced, checked, complete: true };
    afterId = last.id;
  }
}

function selectCoveredExecutions(
  db: Database,
  projectId: string,
  patterns: PricePattern[],
  afterId: string | undefined,
  limit: number,
) {
  return db
    .select(repricingColumns)
    .from(executions)
    .where(and(coveredBy(projectId, patterns), afterId === undefined ? undefined : gt(executions.id, afterId)))
    .orderBy(asc(executions.id))
    .limit(limit);
}

function coveredBy(projectId: string, patterns: PricePattern[]): SQL | undefined {
  return and(
    eq(executions.projectId, projectId),
    ne(executions.costOrigin, 'provided'),
    or(...patterns.map((pattern) => and(modelMatches(pattern), gte(executions.startedAt, pattern.effectiveFrom)))),
  );
}

function modelMatches({ model, match }: PricePattern): SQL {
  return match === 'exact' ? eq(executions.model, model) : sql`starts_with(${executions.model}, ${model})`;
}

function costUpdate(row: RepricingRow, prices: readonly CustomPriceRow[]): CostUpdate[] {
  const cost = resolveCost(
    {
      provider: row.provider ?? undefined,
      model: row.model,
      usage: usageOfRow(row),
      status: row.status,
      startedAt: new Date(row.startedAt),
    },
    prices,
  );
  const unchanged =
    cost.costOrigin === row.costOrigin &&
    cost.costPriceRef === row.costPriceRef &&
    sameAmount(cost.costUsd, row.costUsd);
  return unchanged ? [] : [{ id: row.id, cost: cost.costUsd, origin: cost.costOrigin, ref: cost.costPriceRef }];
}

/** Writes new costs and the rollup deltas that take the old costs back and count the new ones. */
async function writeCosts(db: Database, projectId: string, updates: CostUpdate[]): Promise<void> {
  await db.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, cost text, origin text, ref text)
    ), before as (
      select e.* from executions e join v on v.id = e.id where e.project_id = ${projectId}
    ), updated as (
      update executions e
      set cost_usd = v.cost::numeric, cost_origin = v.origin, cost_price_ref = v.ref
      from v where e.project_id = ${projectId} and e.id = v.id
      returning e.*
    ), retracted as (
      ${sql.raw(insertDeltas('before.project_id', 'before', 'before', -1))}
    ), counted as (
      ${sql.raw(insertDeltas('updated.project_id', 'updated', 'updated', 1))}
    ), retracted_conversation as (
      ${sql.raw(insertConversationDeltas('before.project_id', 'before', 'before', -1))}
    ), counted_conversation as (
      ${sql.raw(insertConversationDeltas('updated.project_id', 'updated', 'updated', 1))}
    )
    select 1`);
}

function toCustomPrice(row: StoredCustomPrice): CustomPrice {
  return {
    id: row.id,
    model: row.model,
    match: row.match,
    effectiveFrom: toIsoTimestamp(row.effectiveFrom),
    inputPerMillion: toPlainDecimal(row.inputPerMillion),
    outputPerMillion: toPlainDecimal(row.outputPerMillion),
    cacheReadPerMillion: row.cacheReadPerMillion === null ? null : toPlainDecimal(row.cacheReadPerMillion),
    cacheWritePerMillion: row.cacheWritePerMillion === null ? null : toPlainDecimal(row.cacheWritePerMillion),
    reasoningPerMillion: row.reasoningPerMillion === null ? null : toPlainDecimal(row.reasoningPerMillion),
    createdAt: toIsoTimestamp(row.createdAt),
  };
}

function toIsoTimestamp(postgresTimestamp: string): string {
  return new Date(postgresTimestamp).toISOString();
}

function single<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('insert … returning produced no row');
  return row;
}
