import type { ExecutionEventData, ExecutionListItem, ExecutionListPage, ExecutionSort } from '@promptlog/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, isApiError } from '../../lib/api-client';
import { projectApiUrl } from '../../lib/api-url';
import { executionKeys, type LoadedPage, listApiParams, PAGE_SIZE, patchListItem } from './api';
import { type LogFilters, SOURCES, STATUSES } from './filters';

/**
 * The contract's event as read here: a field missing or unknown (an older or newer server) becomes null, or, for the
 * conversation, undefined: an older server's event says nothing of it, which is not "no conversation".
 */
export type ExecutionEvent = Omit<ExecutionEventData, 'source' | 'model' | 'conversationId'> & {
  source: ExecutionEventData['source'] | null;
  model: string | null;
  conversationId?: string | null;
};

/** Reads one `execution` event's data; anything unexpected is ignored rather than trusted. */
export function parseExecutionEvent(data: string): ExecutionEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { type, id, promptId, status, source, version, model, tags, conversationId } = value as Record<string, unknown>;
  if (type !== 'created' && type !== 'completed') return null;
  if (typeof id !== 'string' || typeof promptId !== 'string') return null;
  const knownStatus = STATUSES.find((candidate) => candidate === status);
  if (!knownStatus) return null;
  return {
    type,
    id,
    promptId,
    status: knownStatus,
    source: SOURCES.find((candidate) => candidate === source) ?? null,
    version: typeof version === 'number' ? version : null,
    model: typeof model === 'string' ? model : null,
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [],
    ...(typeof conversationId === 'string' || conversationId === null ? { conversationId } : {}),
  };
}

/** The project's event stream, of one prompt or, with null, of all of them. */
export function eventsUrl(projectId: string, promptId: string | null): string {
  return projectApiUrl(projectId, '/api/v1/executions/events', promptId === null ? undefined : { promptId });
}

/** The stream's state: first connecting, open, or retrying after a drop, a failed attempt or a refusal. */
export type LiveState = 'connecting' | 'open' | 'reconnecting';

/** What the Logs tab says about being up to date: the stream's state, unless the list itself cannot be read. */
export type LiveStatus = LiveState | 'offline';

export const LIVE_STATUS_LABELS: Record<LiveStatus, string> = {
  open: 'Live',
  connecting: 'Connecting to live updates…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** No answer came, or a proxy or the server said it is unavailable: worth retrying on its own, unlike a 4xx. */
export function isUnreachable(error: unknown): boolean {
  return isApiError(error) && (error.code === 'network_error' || [502, 503, 504].includes(error.status));
}

export function liveStatus(stream: LiveState, listError: unknown): LiveStatus {
  return isUnreachable(listError) ? 'offline' : stream;
}

export interface LiveHandlers {
  onEvent: (event: ExecutionEvent) => void;
  /** Events may have been missed (the server could not replay them): read the list again. */
  onResync: () => void;
}

/** Passes a stream's `execution` events for the prompt and its `resync` events to the current handlers. */
export function listenToLiveEvents(
  source: EventTarget,
  promptId: string | null,
  handlers: { readonly current: LiveHandlers },
): () => void {
  const onExecution = (message: Event) => {
    const event = message instanceof MessageEvent ? parseExecutionEvent(String(message.data)) : null;
    if (event && (promptId === null || event.promptId === promptId)) handlers.current.onEvent(event);
  };
  const onResync = () => handlers.current.onResync();
  source.addEventListener('execution', onExecution);
  source.addEventListener('resync', onResync);
  return () => {
    source.removeEventListener('execution', onExecution);
    source.removeEventListener('resync', onResync);
  };
}

/** How long to wait before opening the stream again after the server refused it: doubling, at most REOPEN_MAX_MS. */
export function reopenDelayMs(failures: number): number {
  return Math.min(REOPEN_FIRST_MS * 2 ** Math.max(0, failures - 1), REOPEN_MAX_MS);
}
const REOPEN_FIRST_MS = 1_000;
const REOPEN_MAX_MS = 30_000;

/**
 * Subscribes to the server's execution events for one prompt (or, with null, all of the project's) while mounted.
 * EventSource reconnects itself after a dropped stream and sends the last id it saw, so the server replays what was
 * missed meanwhile or says `resync`. After an answer that is not a stream (a proxy's 502, a 503 while the server sheds
 * load) it gives up for good; the stream is then opened again, with a growing delay, and the list read again, since a
 * new stream cannot say which events it missed.
 */
export function useExecutionEvents(projectId: string, promptId: string | null, handlers: LiveHandlers): LiveState {
  const current = useRef(handlers);
  current.current = handlers;
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let stop = () => {};
    let retry: ReturnType<typeof setTimeout> | undefined;
    let refusals = 0;
    const open = () => {
      const next = new EventSource(eventsUrl(projectId, promptId), { withCredentials: true });
      next.onopen = () => {
        setState('open');
        if (refusals > 0) current.current.onResync();
        refusals = 0;
      };
      // While CONNECTING after an error, EventSource is retrying by itself (a dropped stream, an unreachable server).
      next.onerror = () => {
        setState('reconnecting');
        if (next.readyState !== EventSource.CLOSED) return;
        stop();
        refusals++;
        retry = setTimeout(open, reopenDelayMs(refusals));
      };
      source = next;
      stop = listenToLiveEvents(next, promptId, current);
    };
    open();
    return () => {
      clearTimeout(retry);
      stop();
      source?.close();
    };
  }, [projectId, promptId]);
  return state;
}

/** The newest page of the list as it is now, read apart from the loaded list so the view does not change. */
export async function fetchFirstPage(
  projectId: string,
  promptId: string,
  filters: LogFilters,
  sort: ExecutionSort,
): Promise<ExecutionListItem[]> {
  const params = listApiParams(promptId, filters, sort, Date.now());
  params.set('limit', String(PAGE_SIZE));
  return (await api.get<ExecutionListPage>(projectApiUrl(projectId, '/api/v1/executions', params))).items;
}

/**
 * Brings the loaded list in line with a freshly read first page, as the missed events would have: loaded rows that
 * changed are replaced in place, and the ids of rows not loaded are returned for the "new executions" notice.
 */
export function reconcileFirstPage(
  queryClient: QueryClient,
  projectId: string,
  promptId: string,
  fresh: readonly ExecutionListItem[],
): string[] {
  const loaded = new Map<string, ExecutionListItem>();
  const lists = queryClient.getQueriesData<InfiniteData<LoadedPage>>({
    queryKey: executionKeys.promptLists(projectId, promptId),
  });
  for (const [, data] of lists)
    for (const page of data?.pages ?? []) for (const row of page.items) loaded.set(row.id, row);
  const unseen: string[] = [];
  for (const item of fresh) {
    const shown = loaded.get(item.id);
    if (!shown) {
      unseen.push(item.id);
    } else if (canonical(shown) !== canonical(item)) {
      patchListItem(queryClient, projectId, promptId, item);
      void queryClient.invalidateQueries({ queryKey: executionKeys.detail(item.id) });
    }
  }
  return unseen;
}

/** JSON with object keys sorted, so rows built in a different key order still compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );
}
