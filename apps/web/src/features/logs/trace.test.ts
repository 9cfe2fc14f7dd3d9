import type { ExecutionListItem } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { describeTrace } from './trace';

function step(
  id: string,
  index: number | null,
  status: ExecutionListItem['status'],
  attempt: number | null = null,
  second = index ?? 0,
) {
  return {
    id,
    promptId: 'p',
    promptVersion: 1,
    status,
    source: { type: 'workflow', id: null, url: null },
    model: 'gpt-4o',
    provider: 'openai',
    startedAt: `2026-11-23T12:00:${String(second).padStart(2, '0')}Z`,
    latencyMs: 100,
    inputTokens: 1,
    outputTokens: 1,
    costUsd: null,
    costOrigin: 'none',
    errorType: null,
    tags: [],
    attempt,
    generation: null,
    traceStepIndex: index,
    traceStepType: 'llm',
    conversationId: null,
    signals: [],
  } satisfies ExecutionListItem;
}

describe('describeTrace', () => {
  it('orders fallback attempts and does not stop where a fallback recovered', () => {
    const entries = describeTrace([
      step('a', 0, 'success'),
      step('c', 1, 'success', 2),
      step('b', 1, 'error', 1),
      step('d', 2, 'success'),
    ]);
    expect(entries.map((entry) => [entry.item.id, entry.step, entry.attempt, entry.attempts])).toEqual([
      ['a', 1, 1, 1],
      ['b', 2, 1, 2],
      ['c', 2, 2, 2],
      ['d', 3, 1, 1],
    ]);
    expect(entries.some((entry) => entry.stoppedHere)).toBe(false);
  });

  it('marks the first unrecovered error as where execution stopped', () => {
    const entries = describeTrace([step('a', 0, 'success'), step('b', 1, 'error', 1), step('c', 1, 'error', 2)]);
    expect(entries.filter((entry) => entry.stoppedHere).map((entry) => entry.item.id)).toEqual(['c']);
  });

  it('does not stop at an error the run went on after, and stops at the last of retries sent as separate steps', () => {
    const wentOn = describeTrace([step('a', null, 'error', null, 0), step('b', null, 'success', null, 1)]);
    expect(wentOn.some((entry) => entry.stoppedHere)).toBe(false);
    const retries = describeTrace([
      step('plan', null, 'success', null, 0),
      step('draft-1', null, 'error', 1, 1),
      step('draft-2', null, 'error', 2, 2),
    ]);
    expect(retries.filter((entry) => entry.stoppedHere).map((entry) => entry.item.id)).toEqual(['draft-2']);
  });
});
