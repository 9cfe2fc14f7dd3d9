import type { ExecutionDetail, ExecutionListPage, ExecutionRecord, ListExecutionsQuery } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { type AuditActor, recordAudit } from '../audit/service';
import { findStoredExecutions } from '../executions/queries';
import { toExecutionRecord } from '../executions/row';
import { getExecutionInProjects } from '../executions/service';
import { encodeCursor, type ListPosition } from './cursor';
import { findSearchEdge, positionOf, type SortedRow, selectExecutionPage, selectRelated, toListItem } from './queries';

/**
 * One page and where the next starts. A text search reads the payloads of at most `searchBudget` executions, in the
 * list's order, so a term that matches nothing answers as fast as one that does; when the budget runs out before the page
 * fills, `searchedThrough` is the startedAt of the last execution read and the next page searches on from there.
 */
async function selectPage(
  handle: DatabaseHandle,
  projectId: string,
  query: ListExecutionsQuery,
  searchBudget: number,
): Promise<{ page: SortedRow[]; next?: ListPosition; searchedThrough?: string }> {
  const edge = query.q ? await findSearchEdge(handle.db, projectId, query, searchBudget) : undefined;
  const rows = await selectExecutionPage(handle.db, projectId, query, edge?.position);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  if (rows.length > query.limit && last) return { page, next: positionOf(last, query.sort) };
  return { page, next: edge?.position, searchedThrough: edge?.startedAt };
}

export async function listExecutions(
  handle: DatabaseHandle,
  projectId: string,
  query: ListExecutionsQuery,
  searchBudget: number,
): Promise<ExecutionListPage> {
  const { page, next, searchedThrough } = await selectPage(handle, projectId, query, searchBudget);
  return {
    items: page.map(({ sortValue: _value, sortText: _text, ...row }) => toListItem(row)),
    nextCursor: next ? encodeCursor(next) : null,
    ...(searchedThrough && { searched: { executions: searchBudget, through: searchedThrough } }),
  };
}

/**
 * Everything the detail drawer shows, in one request: the record, its trace, its retries and regenerations.
 * `authorize` sees the execution's project and prompt before anything is returned.
 */
export async function getExecutionDetail(
  handle: DatabaseHandle,
  projectIds: string[],
  id: string,
  authorize: (projectId: string, promptId: string) => void,
): Promise<ExecutionDetail> {
  const { projectId, record, payloadStored, redactions } = await getExecutionInProjects(handle, projectIds, id);
  authorize(projectId, record.promptId);
  const [traceSteps, siblings] = await selectRelated(handle.db, projectId, {
    traceId: record.trace?.traceId ?? null,
    sourceId: record.source.id ?? null,
    promptId: record.promptId,
    node: record.location?.node ?? null,
    field: record.location?.field ?? null,
  });
  return {
    ...record,
    payload: payloadStored ? 'stored' : 'omitted_by_policy',
    redactions,
    traceSteps: traceSteps.map(toListItem),
    siblings: siblings.map(toListItem),
  };
}

const EXPORT_PAGE = 500;

/**
 * Records an export (who, of which prompts, with which filters) and returns its records, read as they are streamed.
 * `requested` is the query as asked, `promptIds` the prompts of it the caller may read.
 */
export async function startExport(
  handle: DatabaseHandle,
  projectId: string,
  requested: ListExecutionsQuery,
  promptIds: ListExecutionsQuery['promptId'],
  actor: AuditActor,
  searchBudget: number,
): Promise<AsyncGenerator<ExecutionRecord>> {
  const { cursor: _cursor, limit: _limit, projectId: _project, ...filters } = requested;
  await recordAudit(handle.db, projectId, {
    action: 'export.made',
    actor,
    target: requested.promptId?.join(', ') ?? 'all prompts',
    details: { filters },
  });
  return exportExecutions(handle, projectId, { ...requested, promptId: promptIds }, searchBudget);
}

async function* exportExecutions(
  handle: DatabaseHandle,
  projectId: string,
  query: ListExecutionsQuery,
  searchBudget: number,
): AsyncGenerator<ExecutionRecord> {
  for await (const records of exportPages(handle, projectId, query, searchBudget)) yield* records;
}

/**
 * Every matching execution with its payloads, in the list's order, a keyset page at a time so memory stays flat. The
 * caller has checked the prompts (`query.promptId`) and recorded the export.
 */
export async function* exportPages(
  handle: DatabaseHandle,
  projectId: string,
  query: ListExecutionsQuery,
  searchBudget: number,
): AsyncGenerator<ExecutionRecord[]> {
  let cursor = query.cursor;
  do {
    const { page, next } = await selectPage(handle, projectId, { ...query, cursor, limit: EXPORT_PAGE }, searchBudget);
    const records = await findStoredExecutions(
      handle,
      projectId,
      page.map((row) => row.id),
    );
    yield records.map(toExecutionRecord);
    cursor = next ? encodeCursor(next) : undefined;
  } while (cursor);
}
