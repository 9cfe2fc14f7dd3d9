import type { ExecutionDetail, ExecutionListPage, ExecutionRecord, ListExecutionsQuery } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { findStoredExecutions } from '../executions/queries';
import { toExecutionRecord } from '../executions/row';
import { getExecutionInProjects } from '../executions/service';
import { encodeCursor } from './cursor';
import { selectExecutionPage, selectRelated, toListItem } from './queries';

export async function listExecutions(
  handle: DatabaseHandle,
  projectId: string,
  query: ListExecutionsQuery,
): Promise<ExecutionListPage> {
  const rows = await selectExecutionPage(handle.db, projectId, query);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toListItem),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
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

/** Every matching execution with its payloads, most recent first, a keyset page at a time so memory stays flat. */
export async function* exportExecutions(
  handle: DatabaseHandle,
  projectId: string,
  query: ListExecutionsQuery,
): AsyncGenerator<ExecutionRecord> {
  let cursor = query.cursor;
  do {
    const rows = await selectExecutionPage(handle.db, projectId, { ...query, cursor, limit: EXPORT_PAGE });
    const page = rows.slice(0, EXPORT_PAGE);
    const records = await findStoredExecutions(
      handle,
      projectId,
      page.map((row) => row.id),
    );
    for (const row of records) yield toExecutionRecord(row);
    const last = page.at(-1);
    cursor = rows.length > EXPORT_PAGE && last ? encodeCursor(last) : undefined;
  } while (cursor);
}
