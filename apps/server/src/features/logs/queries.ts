import type { ExecutionListItem, ListExecutionsQuery } from '@promptlog/contracts';
import { type Database, executionPayloads, executions } from '@promptlog/db';
import { and, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { isoUtc } from '../../lib/iso-time';
import { decodeCursor, type ListPosition } from './cursor';

/** The narrow columns of a list row; never a payload. */
const listColumns = {
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
};

const selectListRows = (db: Database) => db.select(listColumns).from(executions);
export type ListRow = Awaited<ReturnType<typeof selectListRows>>[number];

export function toListItem(row: ListRow): ExecutionListItem {
  const { sourceType, sourceId, sourceUrl, tags, ...rest } = row;
  return { ...rest, source: { type: sourceType, id: sourceId, url: sourceUrl }, tags: tags ?? [] };
}

/**
 * Matches the indexes exactly: drizzle declares them `DESC NULLS LAST`, and a plain `DESC` (which means
 * NULLS FIRST) would make Postgres sort the whole range instead of reading the index in order.
 */
const MOST_RECENT_FIRST = [sql`${executions.startedAt} desc nulls last`, sql`${executions.id} desc nulls last`];

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

function after(position: ListPosition | undefined): SQL | undefined {
  if (!position) return undefined;
  return sql`(${executions.startedAt}, ${executions.id}) < (${position.startedAt}::timestamptz, ${position.id}::uuid)`;
}

function filtersOf(projectId: string, query: ListExecutionsQuery): (SQL | undefined)[] {
  return [
    eq(executions.projectId, projectId),
    anyOf(query.promptId, (v) => inArray(executions.promptId, v)),
    anyOf(query.status, (v) => inArray(executions.status, v)),
    anyOf(query.source, (v) => inArray(executions.sourceType, v)),
    anyOf(query.version, (v) => inArray(executions.promptVersion, v)),
    anyOf(query.model, (v) => inArray(executions.model, v)),
    anyOf(query.tag, (v) => sql`${executions.tags} && ${sql.param(v)}::text[]`),
    metadataFilter(query.metadata),
    query.from ? gte(executions.startedAt, query.from) : undefined,
    query.to ? lt(executions.startedAt, query.to) : undefined,
    after(query.cursor ? decodeCursor(query.cursor) : undefined),
  ];
}

/**
 * The oldest of the next `count` executions the filters select (text search aside): how far one search request
 * reads payloads. Undefined when fewer remain, so the search runs to the end.
 */
export async function findSearchEdge(
  db: Database,
  projectId: string,
  query: ListExecutionsQuery,
  count: number,
): Promise<ListPosition | undefined> {
  const [edge] = await db
    .select({ startedAt: isoUtc(executions.startedAt), id: executions.id })
    .from(executions)
    .where(and(...filtersOf(projectId, query)))
    .orderBy(...MOST_RECENT_FIRST)
    .offset(count - 1)
    .limit(1);
  return edge;
}

/**
 * One page, most recent first, plus one row more than asked to tell whether another page follows; a text search
 * stops at `searchEdge` (inclusive) however few rows matched.
 */
export function selectExecutionPage(
  db: Database,
  projectId: string,
  query: ListExecutionsQuery,
  searchEdge?: ListPosition,
) {
  const where = and(
    ...filtersOf(projectId, query),
    query.q ? textSearch(query.q) : undefined,
    searchEdge
      ? sql`(${executions.startedAt}, ${executions.id}) >= (${searchEdge.startedAt}::timestamptz, ${searchEdge.id}::uuid)`
      : undefined,
  );
  return selectListRows(db)
    .where(where)
    .orderBy(...MOST_RECENT_FIRST)
    .limit(query.limit + 1);
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
