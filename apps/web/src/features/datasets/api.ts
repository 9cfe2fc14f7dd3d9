import type { DatasetFormat } from '@promptlog/contracts';
import { projectApiUrl } from '../../lib/api-url';

/** The dataset download of every execution the list filters in `params` select, newest first. */
export function datasetUrl(projectId: string, format: DatasetFormat, params: URLSearchParams): string {
  return projectApiUrl(projectId, `/api/v1/executions/dataset/${format}`, params);
}
