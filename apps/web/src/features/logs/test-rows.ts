import type { ExecutionListItem } from '@promptlog/contracts';

/** A Logs list row with nothing measured yet, for tests of the list's cache. */
export function listItem(id: string, status: ExecutionListItem['status'] = 'success'): ExecutionListItem {
  return {
    id,
    promptId: 'p',
    promptVersion: 1,
    status,
    source: { type: 'api', id: null, url: null },
    model: 'gpt-4o-mini',
    provider: 'openai',
    startedAt: '2026-11-23T12:00:00.000Z',
    latencyMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    costOrigin: 'none',
    errorType: null,
    tags: [],
    attempt: null,
    generation: null,
    traceStepIndex: null,
    traceStepType: null,
    conversationId: null,
    signals: [],
  };
}
