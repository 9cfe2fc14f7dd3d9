import type { ExecutionDetail, ExecutionListPage, ListExecutionsQuery } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
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

/** Everything the detail drawer shows, in one request: the record, its trace, its retries and regenerations. */
export async function getExecutionDetail(
  handle: DatabaseHandle,
  projectIds: string[],
  id: string,
): Promise<ExecutionDetail> {
  const { projectId, record } = await getExecutionInProjects(handle, projectIds, id);
  const [traceSteps, siblings] = await selectRelated(handle.db, projectId, {
    traceId: record.trace?.traceId ?? null,
    sourceId: record.source.id ?? null,
    promptId: record.promptId,
    node: record.location?.node ?? null,
    field: record.location?.field ?? null,
  });
  return { ...record, traceSteps: traceSteps.map(toListItem), siblings: siblings.map(toListItem) };
}
