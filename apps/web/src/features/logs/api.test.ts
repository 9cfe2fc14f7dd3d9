import type { ExecutionDetail } from '@promptlog/contracts';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { executionKeys, exportUrl, isLoaded, patchListItem, toListItem } from './api';
import { parseFilters } from './filters';
import { listItem } from './test-rows';

function seeded() {
  const queryClient = new QueryClient();
  const key = executionKeys.list('proj', 'p', parseFilters(new URLSearchParams()), 'time_desc');
  const first = { items: [listItem('a'), listItem('b', 'pending')], nextCursor: 'c1', query: '' };
  const second = { items: [listItem('c')], nextCursor: null, query: '' };
  queryClient.setQueryData(key, { pages: [first, second], pageParams: [{}, {}] });
  return { queryClient, key, first, second };
}

describe('patchListItem', () => {
  it('replaces only the completed row, keeping every other page as it was', () => {
    const { queryClient, key, first, second } = seeded();
    const completed = { ...listItem('b'), latencyMs: 1500 };
    expect(patchListItem(queryClient, 'proj', 'p', completed)).toBe(true);
    const data = queryClient.getQueryData<{ pages: (typeof first)[] }>(key);
    expect(data?.pages[0]?.items[1]).toEqual(completed);
    expect(data?.pages[0]?.items[0]).toBe(first.items[0]);
    expect(data?.pages[1]).toBe(second);
  });

  it('reports a row that is not loaded', () => {
    const { queryClient } = seeded();
    expect(patchListItem(queryClient, 'proj', 'p', listItem('zzz'))).toBe(false);
    expect(isLoaded(queryClient, 'proj', 'p', 'c')).toBe(true);
    expect(isLoaded(queryClient, 'proj', 'p', 'zzz')).toBe(false);
    expect(isLoaded(queryClient, 'proj', 'other', 'c')).toBe(false);
    expect(isLoaded(queryClient, 'other-project', 'p', 'c')).toBe(false);
  });
});

describe('toListItem', () => {
  it('narrows a detail to the row the list shows', () => {
    const detail = {
      id: 'd',
      promptId: 'p',
      promptVersion: 3,
      status: 'error',
      source: { type: 'workflow', id: 'run-1' },
      model: 'gpt-4o-mini',
      startedAt: '2026-11-23T12:00:00.000Z',
      receivedAt: '2026-11-23T12:00:01.000Z',
      latencyMs: 900,
      costUsd: null,
      costOrigin: 'none',
      usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      error: { type: 'timeout', message: 'slow' },
      trace: { traceId: 't', stepIndex: 2, stepType: 'llm' },
      payload: 'stored',
      redactions: {},
      traceSteps: [],
      siblings: [],
      signals: {
        outputChars: 12,
        finishReason: 'length',
        truncated: true,
        empty: false,
        refusal: false,
        jsonValid: false,
        injectionSuspected: false,
      },
    } satisfies ExecutionDetail;
    expect(toListItem(detail)).toMatchObject({
      id: 'd',
      source: { type: 'workflow', id: 'run-1', url: null },
      inputTokens: 10,
      outputTokens: 2,
      promptVersion: 3,
      errorType: 'timeout',
      traceStepIndex: 2,
      traceStepType: 'llm',
      conversationId: null,
      signals: ['truncated', 'json_invalid'],
    });
  });
});

describe('exportUrl', () => {
  it('exports what the list shows: the same filters, a relative range resolved now, no page size or cursor', () => {
    const filters = parseFilters(new URLSearchParams('status=error&tag=beta&range=24h&q=refund'));
    const url = new URL(exportUrl('proj', 'support reply', filters, Date.parse('2026-11-23T12:00:00Z')), 'http://x');
    expect(url.pathname).toBe('/api/v1/executions/export');
    expect(url.searchParams.get('projectId')).toBe('proj');
    expect(url.searchParams.get('promptId')).toBe('support reply');
    expect(url.searchParams.getAll('status')).toEqual(['error']);
    expect(url.searchParams.getAll('tag')).toEqual(['beta']);
    expect(url.searchParams.get('q')).toBe('refund');
    expect(url.searchParams.get('from')).toBe('2026-11-22T12:00:00.000Z');
    expect(url.searchParams.has('limit')).toBe(false);
    expect(url.searchParams.has('cursor')).toBe(false);
  });
});
