import type { PromptSummary } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { AppError } from '../../errors';
import { selectPromptSummaries } from './queries';

/** One prompt's summary; a prompt no execution of the project ever named is not found. */
export async function getPromptSummary(
  handle: QueryRunner,
  projectId: string,
  promptId: string,
): Promise<Omit<PromptSummary, 'canViewLogs'>> {
  const [prompt] = await selectPromptSummaries(handle, projectId, promptId);
  if (!prompt) throw new AppError('not_found', `No prompt ${promptId} in this project`);
  return prompt;
}
