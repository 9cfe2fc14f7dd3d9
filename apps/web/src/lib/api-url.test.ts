import { describe, expect, it } from 'vitest';
import { callerApiUrl, projectApiUrl } from './api-url';

const PROJECT = '0192f0c4-7d3a-7000-8000-000000000002';

describe('projectApiUrl', () => {
  it('names the project first, then the params in their order', () => {
    const url = projectApiUrl(
      PROJECT,
      '/api/v1/analytics/summary',
      new URLSearchParams('promptId=a&version=1&version=2'),
    );
    expect(url).toBe(`/api/v1/analytics/summary?projectId=${PROJECT}&promptId=a&version=1&version=2`);
  });

  it('scopes a path with no params', () => {
    expect(projectApiUrl(PROJECT, '/api/v1/prompts')).toBe(`/api/v1/prompts?projectId=${PROJECT}`);
  });

  it('takes params as a string or a record too, and encodes them', () => {
    expect(projectApiUrl(PROJECT, '/api/v1/executions/events', { promptId: 'team/support reply' })).toBe(
      `/api/v1/executions/events?projectId=${PROJECT}&promptId=team%2Fsupport+reply`,
    );
    expect(projectApiUrl(PROJECT, '/api/v1/audit', 'limit=50')).toBe(`/api/v1/audit?projectId=${PROJECT}&limit=50`);
  });

  it('keeps the current project even when the params name another', () => {
    const url = new URL(projectApiUrl(PROJECT, '/api/v1/prompts', { projectId: 'other' }), 'http://x');
    expect(url.searchParams.getAll('projectId')).toEqual([PROJECT]);
  });

  it('refuses a path that carries its own query, which would bypass the project', () => {
    expect(() => projectApiUrl(PROJECT, '/api/v1/prompts?projectId=other')).toThrow(/as params/);
    expect(() => callerApiUrl('/api/v1/executions/a#b')).toThrow(/as params/);
  });
});

describe('callerApiUrl', () => {
  it('leaves the path as it is: the server searches every project of the caller', () => {
    expect(callerApiUrl('/api/v1/executions/0192f0c4')).toBe('/api/v1/executions/0192f0c4');
  });
});
