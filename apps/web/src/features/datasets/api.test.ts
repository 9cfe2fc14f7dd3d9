import { describe, expect, it } from 'vitest';
import { datasetUrl } from './api';

describe('datasetUrl', () => {
  it('asks for the format with the list filters and the project', () => {
    const url = datasetUrl('proj', 'csv', new URLSearchParams('flagged=true&reviewed=false&label=a&label=b'));
    expect(url).toBe('/api/v1/executions/dataset/csv?projectId=proj&flagged=true&reviewed=false&label=a&label=b');
  });
});
