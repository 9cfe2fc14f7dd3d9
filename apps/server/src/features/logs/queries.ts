import type { ExecutionListItem, ExecutionSort, ListExecutionsQuery } from '@promptlog/contracts';
import { type Database, executionPayloads, executions } from '@promptlog/db';
import { and, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { isoUtc } from '../../lib/iso-time';
import { labelFilter, ratingFilter, reviewedFilter } from '../reviews/filters';
import { signalMask, signalNames } from '../signals/detect';
import { decodeCursor, type ListPosition, sortKeyOf } from './cursor';

/** The narrow columns of a list row; never a payload. */
export const listColumns = {
  id: executions.id,
  promptId: executions.promptId,
  promptVersion: executions.promptVersion,
  status: executions.status,
  sourceType: executions.sourceType,
  sourceId: executions.sourceId,
  sourceUrl: executions.sourceUrl,
  model: executions.model,
  provider: executions.provider,
  startedAt: isoUtc(executions.startedAt),
  latencyMs: executions.latencyMs,
  inputTokens: executions.inputTokens,
  outputTokens: executions.outputTokens,
  costUsd: sql<string | null>`trim_scale(${executions.costUsd})::text`,
  costOrigin: executions.costOrigin,
  errorType: executions.errorType,
  tags: executions.tags,
  attempt: executions.attempt,
  generation: executions.generation,
  traceStepIndex: executions.traceStepIndex,
  traceStepType: executions.traceStepType,
  conversationId: executions.conversationId,
  signals: executions.signals,
};

const selectListRows = (db: Database) => db.select(listColumns).from(executions);
export type ListRow = Awaited<ReturnType<typeof selectListRows>>[number];

export function toListItem(row: ListRow): ExecutionListItem {
  const { sourceType, sourceId, sourceUrl, tags, signals, ...rest } = row;
  return {
    ...rest,
    source: { type: sourceType, id: sourceId, url: sourceUrl },
    tags: tags ?? [],
    signals: signalNames(signals),
  };
}

function anyOf<T>(values: T[] | undefined, condition: (values: T[]) => SQL): SQL | undefined {
  return values && values.length > 0 ? condition(values) : undefined;
}

/**
 * Case-insensitive substring search of inputs, output and error, in any script. The payload is looked up by its
 * execution's start too, so PostgreSQL probes only that month's partition (run-time pruning) instead of every month's;
 * payloads stored before partitioning (migration 0011) have no start and are looked up in the default partition.
 */
function textSearch(q: string): SQL {
  const matches = sql`strpos(lower(concat_ws(' ', p.inputs::text, p.output::text, p.error::text)), lower(${q})) > 0`;
  return sql`(exists (
    select 1 from ${executionPayloads} p
    where p.project_id = ${executions.projectId} and p.execution_id = ${executions.id}
      and p.started_at = ${executions.startedAt} and ${matches})
  or exists (
    select 1 from ${LEGACY_PAYLOADS} p
    where p.project_id = ${executions.projectId} and p.execution_id = ${executions.id}
      and p.started_at is null and ${matches}))`;
}

/** The default partition of execution_payloads: the only place a payload without a start can be. */
const LEGACY_PAYLOADS = sql.raw('execution_payloads_default');

function metadataFilter(filters: ListExecutionsQuery['metadata']): SQL | undefined {
  const byKey = new Map<string, string[]>();
  for (const { key, value } of filters) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  const conditions = [...byKey].map(([key, values]) => inArray(sql`${executions.metadata} ->> ${key}`, values));
  return conditions.length ? and(...conditions) : undefined;
}

/** Any of the signals; `signals <> 0` is the predicate of the partial indexes, which the planner then reads. */
function signalFilter(signals: NonNullable<ListExecutionsQuery['signal']>): SQL {
  return sql`${executions.signals} <> 0 and (${executions.signals} & ${signalMask(signals)}) <> 0`;
}

/** What the review queue lists: a failed call, or an answer with any problem flag. */
const needsALook = sql`(${executions.signals} <> 0 or ${executions.status} = 'error')`;

function filtersOf(projectId: string, query: ListExecutionsQuery): (SQL | undefined)[] {
  return [
    eq(executions.projectId, projectId),
    anyOf(query.promptId, (v) => inArray(executions.promptId, v)),
    anyOf(query.status, (v) => inArray(executions.status, v)),
    anyOf(query.source, (v) => inArray(executions.sourceType, v)),
    anyOf(query.version, (v) => inArray(executions.promptVersion, v)),
    anyOf(query.model, (v) => inArray(executions.model, v)),
    anyOf(query.tag, (v) => sql`${executions.tags} && ${sql.param(v)}::text[]`),
    anyOf(query.conversationId, (v) => inArray(executions.conversationId, v)),
    anyOf(query.signal, signalFilter),
    query.flagged ? needsALook : undefined,
    query.reviewed === undefined ? undefined : reviewedFilter(query.reviewed, query.promptId),
    anyOf(query.rating, (ratings) => ratingFilter(ratings, query.promptId)),
    anyOf(query.label, labelFilter),
    metadataFilter(query.metadata),
    query.from ? gte(executions.startedAt, query.from) : undefined,
    query.to ? lt(executions.startedAt, query.to) : undefined,
  ];
}

/**
 * The sort keys. Each nullable one has an index (project_id, prompt_id, key, id), ascending with NULLs last, read
 * forwards or backwards; its rows without a value are a second index range, listed after the values either way.
 * Time reads the `(…, started_at desc nulls last, id desc nulls last)` indexes, backwards for ascending.
 */
const SORT_KEYS: Record<string, { value: SQL; type: SQL; nullable: boolean }> = {
  time: { value: sql`${executions.startedAt}`, type: sql`timestamptz`, nullable: false },
  latency: { value: sql`${executions.latencyMs}`, type: sql`integer`, nullable: true },
  cost: { value: sql`${executions.costUsd}`, type: sql`numeric`, nullable: true },
  tokens: {
    value: sql`(${executions.inputTokens}::bigint + ${executions.outputTokens})`,
    type: sql`bigint`,
    nullable: true,
  },
};

function sortOf(sort: ExecutionSort) {
  const key = sortKeyOf(sort);
  const spec = SORT_KEYS[key];
  if (!spec) throw new Error(`unknown sort key ${key}`);
  const descending = sort.endsWith('_desc');
  return { key, ...spec, descending, direction: sql.raw(descending ? 'desc' : 'asc') };
}

const sortedColumns = (value: SQL) => ({
  ...listColumns,
  sortValue: sql<unknown>`${value}`.as('sort_value'),
  sortText: sql<string | null>`(${value})::text`.as('sort_text'),
});
export type SortedRow = ListRow & { sortValue: unknown; sortText: string | null };

/** The position of a listed row in its sort, for a cursor. */
export function positionOf(row: SortedRow, sort: ExecutionSort): ListPosition {
  return { sort, value: sortKeyOf(sort) === 'time' ? row.startedAt : row.sortText, id: row.id };
}

/**
 * The rows the filters select, in the sort's order, after `from` and up to `until` (inclusive): a keyset range. A
 * nullable key is read as two index ranges, its values and then its NULLs, each limited, merged in a sort of at most
 * twice `limit + offset` rows, so no page sorts the whole time window.
 */
function selectOrdered(
  db: Database,
  filters: (SQL | undefined)[],
  sort: ExecutionSort,
  range: { from?: ListPosition; until?: ListPosition },
  limit: number,
  offset = 0,
) {
  const { value, type, nullable, descending, direction } = sortOf(sort);
  const columns = sortedColumns(value);
  const [beyond, upTo] = descending ? [sql`<`, sql`>=`] : [sql`>`, sql`<=`];
  const keyset = (op: SQL, position: ListPosition) =>
    position.value === null
      ? sql`${executions.id} ${op} ${position.id}::uuid`
      : sql`(${value}, ${executions.id}) ${op} (${position.value}::${type}, ${position.id}::uuid)`;
  const { from, until } = range;
  if (!nullable) {
    // Matches the indexes exactly: drizzle declares them `DESC NULLS LAST`, which read backwards is `ASC NULLS FIRST`;
    // another NULLS order would make Postgres sort the whole range instead of reading the index in order.
    const nulls = sql.raw(descending ? 'nulls last' : 'nulls first');
    return db
      .select(columns)
      .from(executions)
      .where(and(...filters, from && keyset(beyond, from), until && keyset(upTo, until)))
      .orderBy(sql`${value} ${direction} ${nulls}`, sql`${executions.id} ${direction} ${nulls}`)
      .limit(limit)
      .offset(offset);
  }
  const segment = (present: boolean, conditions: (SQL | undefined)[], take: number, skip = 0) =>
    db
      .select(columns)
      .from(executions)
      .where(and(...filters, present ? sql`${value} is not null` : sql`${value} is null`, ...conditions))
      .orderBy(sql`${value} ${direction}`, sql`${executions.id} ${direction}`)
      .limit(take)
      .offset(skip);
  const valuesRange = [from && keyset(beyond, from), until?.value ? keyset(upTo, until) : undefined];
  const nullsRange = [from?.value === null ? keyset(beyond, from) : undefined, until && keyset(upTo, until)];
  const withValues = from?.value !== null;
  const withNulls = !until || until.value === null;
  if (withValues && withNulls) {
    return unionAll(segment(true, valuesRange, limit + offset), segment(false, nullsRange, limit + offset))
      .orderBy(
        sql.raw(`"sort_value" ${descending ? 'desc' : 'asc'} nulls last`),
        sql.raw(`"id" ${descending ? 'desc' : 'asc'}`),
      )
      .limit(limit)
      .offset(offset);
  }
  return withValues ? segment(true, valuesRange, limit, offset) : segment(false, nullsRange, limit, offset);
}

/**
 * The last of the next `count` executions the filters select in the list's order (text search aside): how far one
 * search request reads payloads. Undefined when fewer remain, so the search runs to the end.
 */
export async function findSearchEdge(
  db: Database,
  projectId: string,
  query: ListExecutionsQuery,
  count: number,
): Promise<{ position: ListPosition; startedAt: string } | undefined> {
  const [edge] = await selectOrdered(
    db,
    filtersOf(projectId, query),
    query.sort,
    { from: cursorOf(query) },
    1,
    count - 1,
  );
  return edge && { position: positionOf(edge, query.sort), startedAt: edge.startedAt };
}

function cursorOf(query: ListExecutionsQuery): ListPosition | undefined {
  return query.cursor ? decodeCursor(query.cursor, query.sort) : undefined;
}

/**
 * One page in the list's order, plus one row more than asked to tell whether another page follows; a text search
 * stops at `searchEdge` (inclusive) however few rows matched.
 */
export function selectExecutionPage(
  db: Database,
  projectId: string,
  query: ListExecutionsQuery,
  searchEdge?: ListPosition,
) {
  return selectOrdered(
    db,
    [...filtersOf(projectId, query), query.q ? textSearch(query.q) : undefined],
    query.sort,
    { from: cursorOf(query), until: searchEdge },
    query.limit + 1,
  );
}

/** The steps of one trace in order, and the attempts and generations at one location of one run. */
export function selectRelated(
  db: Database,
  projectId: string,
  of: { traceId: string | null; sourceId: string | null; promptId: string; node: string | null; field: string | null },
) {
  const traceSteps = of.traceId
    ? selectListRows(db)
        .where(and(eq(executions.projectId, projectId), eq(executions.traceId, of.traceId)))
        .orderBy(sql`${executions.traceStepIndex} nulls last`, executions.startedAt, executions.id)
        .limit(200)
    : Promise.resolve<ListRow[]>([]);
  const run = of.traceId
    ? eq(executions.traceId, of.traceId)
    : of.sourceId
      ? eq(executions.sourceId, of.sourceId)
      : undefined;
  const siblings =
    run && (of.node || of.field)
      ? selectListRows(db)
          .where(
            and(
              eq(executions.projectId, projectId),
              run,
              eq(executions.promptId, of.promptId),
              of.node ? eq(executions.locationNode, of.node) : sql`${executions.locationNode} is null`,
              of.field ? eq(executions.locationField, of.field) : sql`${executions.locationField} is null`,
            ),
          )
          .orderBy(
            sql`${executions.generation} nulls first`,
            sql`${executions.attempt} nulls first`,
            executions.startedAt,
            executions.id,
          )
          .limit(100)
      : Promise.resolve<ListRow[]>([]);
  return Promise.all([traceSteps, siblings]);
}
