import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api-client';
import { executionKeys } from './api';
import { parseFilters } from './filters';
import {
  eventsUrl,
  isUnreachable,
  LIVE_STATUS_LABELS,
  type LiveHandlers,
  listenToLiveEvents,
  liveStatus,
  parseExecutionEvent,
  reconcileFirstPage,
  reopenDelayMs,
} from './live';
import { listItem } from './test-rows';

describe('parseExecutionEvent', () => {
  it('reads created and completed events with what the filters need', () => {
    const data = JSON.stringify({
      type: 'created',
      id: 'a',
      promptId: 'support-reply',
      status: 'error',
      source: 'workflow',
      version: 3,
      model: 'gpt-4o',
      tags: ['eu'],
      conversationId: 'chat-7',
    });
    expect(parseExecutionEvent(data)).toEqual({
      type: 'created',
      id: 'a',
      promptId: 'support-reply',
      status: 'error',
      source: 'workflow',
      version: 3,
      model: 'gpt-4o',
      tags: ['eu'],
      conversationId: 'chat-7',
    });
    expect(parseExecutionEvent(data.replace('"chat-7"', 'null'))).toMatchObject({ conversationId: null });
  });

  it('reads an event without the optional fields as unknown, not as a mismatch', () => {
    expect(parseExecutionEvent('{"type":"completed","id":"a","promptId":"support-reply","status":"success"}')).toEqual({
      type: 'completed',
      id: 'a',
      promptId: 'support-reply',
      status: 'success',
      source: null,
      version: null,
      model: null,
      tags: [],
    });
  });

  it('ignores malformed or unknown events', () => {
    expect(parseExecutionEvent('not json')).toBeNull();
    expect(parseExecutionEvent('{"type":"deleted","id":"a","promptId":"p","status":"success"}')).toBeNull();
    expect(parseExecutionEvent('{"type":"created","id":"a","promptId":"p","status":"weird"}')).toBeNull();
  });
});

describe('eventsUrl', () => {
  it('names the project and encodes the prompt id', () => {
    expect(eventsUrl('proj', 'team/support reply')).toBe(
      '/api/v1/executions/events?projectId=proj&promptId=team%2Fsupport+reply',
    );
  });

  it('asks for all of the project’s events without a prompt', () => {
    expect(eventsUrl('proj', null)).toBe('/api/v1/executions/events?projectId=proj');
  });
});

describe('reopenDelayMs', () => {
  it('waits a second after the first refusal, doubling after each next one, never more than half a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(reopenDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('liveStatus', () => {
  const unreachable = new ApiError(0, 'network_error', 'Could not reach the Promptlog server.');

  it('follows the stream while the list reads fine', () => {
    expect(liveStatus('open', null)).toBe('open');
    expect(liveStatus('connecting', null)).toBe('connecting');
    expect(liveStatus('reconnecting', null)).toBe('reconnecting');
  });

  it('is offline while the list cannot reach the server, whatever the stream says', () => {
    expect(liveStatus('open', unreachable)).toBe('offline');
    expect(liveStatus('reconnecting', unreachable)).toBe('offline');
    expect(liveStatus('open', new ApiError(503, 'unavailable', 'Busy'))).toBe('offline');
    expect(liveStatus('open', new ApiError(502, 'http_error', 'Bad gateway'))).toBe('offline');
  });

  it('is not offline for an answer the server gave about the request itself', () => {
    expect(liveStatus('open', new ApiError(400, 'validation_failed', 'Invalid'))).toBe('open');
    expect(liveStatus('open', new ApiError(500, 'http_error', 'Broken'))).toBe('open');
    expect(isUnreachable(new Error('plain'))).toBe(false);
  });

  it('says each state in words', () => {
    expect(LIVE_STATUS_LABELS.open).toBe('Live');
    expect(LIVE_STATUS_LABELS.reconnecting).toBe('Reconnecting…');
    expect(LIVE_STATUS_LABELS.offline).toBe('Offline');
  });
});

describe('listenToLiveEvents', () => {
  it("passes on the prompt's execution events and every resync, and nothing once stopped", () => {
    const source = new EventTarget();
    const handlers: { current: LiveHandlers } = { current: { onEvent: vi.fn(), onResync: vi.fn() } };
    const stop = listenToLiveEvents(source, 'p', handlers);
    const execution = (promptId: string) =>
      new MessageEvent('execution', {
        data: JSON.stringify({ type: 'created', id: 'a', promptId, status: 'success' }),
        lastEventId: 'boot-1',
      });

    source.dispatchEvent(execution('p'));
    source.dispatchEvent(execution('other'));
    source.dispatchEvent(new MessageEvent('execution', { data: 'not json' }));
    source.dispatchEvent(new MessageEvent('resync', { data: '{"reason":"unknown-id"}' }));
    source.dispatchEvent(new MessageEvent('resync', { data: 'anything' }));
    expect(handlers.current.onEvent).toHaveBeenCalledTimes(1);
    expect(handlers.current.onEvent).toHaveBeenCalledWith(expect.objectContaining({ id: 'a', promptId: 'p' }));
    expect(handlers.current.onResync).toHaveBeenCalledTimes(2);

    stop();
    source.dispatchEvent(execution('p'));
    source.dispatchEvent(new MessageEvent('resync', { data: '{}' }));
    expect(handlers.current.onEvent).toHaveBeenCalledTimes(1);
    expect(handlers.current.onResync).toHaveBeenCalledTimes(2);
  });

  it('passes on every prompt’s events without a prompt', () => {
    const source = new EventTarget();
    const handlers: { current: LiveHandlers } = { current: { onEvent: vi.fn(), onResync: vi.fn() } };
    listenToLiveEvents(source, null, handlers);
    for (const promptId of ['p', 'q']) {
      source.dispatchEvent(
        new MessageEvent('execution', {
          data: JSON.stringify({ type: 'created', id: promptId, promptId, status: 'success' }),
        }),
      );
    }
    expect(handlers.current.onEvent).toHaveBeenCalledTimes(2);
  });
});

describe('reconcileFirstPage', () => {
  it('patches the rows that changed while events were missed and returns the ones not shown yet', () => {
    const queryClient = new QueryClient();
    const key = executionKeys.list('proj', 'p', parseFilters(new URLSearchParams()), 'time_desc');
    const first = { items: [listItem('a'), listItem('b', 'pending')], nextCursor: 'c1', query: '' };
    const second = { items: [listItem('c', 'pending')], nextCursor: null, query: '' };
    queryClient.setQueryData(key, { pages: [first, second], pageParams: [{}, {}] });

    const { id, ...rest } = listItem('a');
    const sameInAnotherKeyOrder = { ...rest, id };
    const completed = { ...listItem('b'), latencyMs: 1500 };
    const unseen = reconcileFirstPage(queryClient, 'proj', 'p', [
      listItem('new-1'),
      listItem('new-2'),
      sameInAnotherKeyOrder,
      completed,
    ]);

    expect(unseen).toEqual(['new-1', 'new-2']);
    const data = queryClient.getQueryData<{ pages: (typeof first)[] }>(key);
    expect(data?.pages[0]?.items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(data?.pages[0]?.items[0]).toBe(first.items[0]);
    expect(data?.pages[0]?.items[1]).toEqual(completed);
    expect(data?.pages[1]).toBe(second);
  });

  it('changes nothing when the first page is what is shown', () => {
    const queryClient = new QueryClient();
    const key = executionKeys.list('proj', 'p', parseFilters(new URLSearchParams()), 'time_desc');
    const data = { pages: [{ items: [listItem('a')], nextCursor: null, query: '' }], pageParams: [{}] };
    queryClient.setQueryData(key, data);
    expect(reconcileFirstPage(queryClient, 'proj', 'p', [listItem('a')])).toEqual([]);
    expect(queryClient.getQueryData(key)).toBe(data);
  });
});
