import type { SystemPromptList } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { AppError } from '../../errors';
import { promptSeen, type SystemPromptRow, selectSystemPrompts } from './queries';

/** The rows as the API lists them: version 0 is "no version", each version's totals once. */
export function toSystemPromptList(rows: readonly SystemPromptRow[]): SystemPromptList {
  const version = (row: SystemPromptRow) => (row.promptVersion === 0 ? null : row.promptVersion);
  return {
    items: rows.map((row) => ({
      hash: row.hash,
      promptVersion: version(row),
      firstSeenAt: row.firstSeenAt,
      lastSeenAt: row.lastSeenAt,
      calls: row.calls,
      text: row.text,
    })),
    versions: rows
      .filter((row) => row.rank === 1)
      .map((row) => ({
        promptVersion: version(row),
        distinctTexts: row.distinctTexts,
        firstSeenAt: row.versionFirstSeenAt,
        lastSeenAt: row.versionLastSeenAt,
        calls: row.versionCalls,
      })),
  };
}

/** The system prompts one prompt was logged with, per version; a prompt never seen is not found. */
export async function listSystemPrompts(
  handle: QueryRunner,
  projectId: string,
  promptId: string,
): Promise<SystemPromptList> {
  const rows = await selectSystemPrompts(handle, projectId, promptId);
  if (rows.length === 0 && !(await promptSeen(handle, projectId, promptId))) {
    throw new AppError('not_found', `No prompt ${promptId} in this project`);
  }
  return toSystemPromptList(rows);
}
