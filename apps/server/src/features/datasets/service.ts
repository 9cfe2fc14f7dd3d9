import type { DatasetFormat, ListExecutionsQuery } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { type AuditActor, recordAudit } from '../audit/service';
import { exportPages } from '../logs/service';
import { reviewsOf } from '../reviews/service';
import { datasetLines, toDatasetRow } from './rows';

/**
 * Records a dataset export (who, which format, which filters) and returns its text, made page by page as it is
 * streamed: every execution the list filters select, newest first, with payloads and reviews. `requested` is the
 * query as asked, `promptIds` the prompts of it the caller may read.
 */
export async function startDatasetExport(
  handle: DatabaseHandle,
  projectId: string,
  format: DatasetFormat,
  requested: ListExecutionsQuery,
  promptIds: ListExecutionsQuery['promptId'],
  actor: AuditActor,
  searchBudget: number,
): Promise<AsyncGenerator<string>> {
  const { cursor: _cursor, limit: _limit, projectId: _project, sort: _sort, ...filters } = requested;
  await recordAudit(handle.db, projectId, {
    action: 'dataset.exported',
    actor,
    target: requested.promptId?.join(', ') ?? 'all prompts',
    details: { format, filters },
  });
  const everything = { ...requested, promptId: promptIds, sort: 'time_desc' as const, cursor: undefined };
  return datasetText(handle, projectId, format, everything, searchBudget);
}

async function* datasetText(
  handle: DatabaseHandle,
  projectId: string,
  format: DatasetFormat,
  query: ListExecutionsQuery,
  searchBudget: number,
): AsyncGenerator<string> {
  const { head, line } = datasetLines(format);
  if (head) yield head;
  for await (const records of exportPages(handle, projectId, query, searchBudget)) {
    const reviews = await reviewsOf(
      handle,
      projectId,
      records.map((record) => record.id),
    );
    yield records.map((record) => line(toDatasetRow(record, reviews.get(record.id)))).join('');
  }
}
