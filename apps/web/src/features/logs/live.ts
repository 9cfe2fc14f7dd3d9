import type { ExecutionStatus } from '@promptlog/contracts';
import { useEffect, useRef, useState } from 'react';
import { projectApiUrl } from '../../lib/api-url';
import { STATUSES } from './filters';

export type ExecutionEvent = {
  type: 'created' | 'completed';
  id: string;
  promptId: string;
  status: ExecutionStatus;
  source: string | null;
  version: number | null;
  model: string | null;
  tags: string[];
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
  const { type, id, promptId, status, source, version, model, tags } = value as Record<string, unknown>;
  if (type !== 'created' && type !== 'completed') return null;
  if (typeof id !== 'string' || typeof promptId !== 'string') return null;
  const known = STATUSES.find((candidate) => candidate === status);
  if (!known) return null;
  return {
    type,
    id,
    promptId,
    status: known,
    source: typeof source === 'string' ? source : null,
    version: typeof version === 'number' ? version : null,
    model: typeof model === 'string' ? model : null,
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [],
  };
}

export function eventsUrl(projectId: string, promptId: string): string {
  return projectApiUrl(projectId, '/api/v1/executions/events', { promptId });
}

export type LiveState = 'connecting' | 'open' | 'closed';

/** Subscribes to the server's execution events for one prompt while mounted; EventSource reconnects itself. */
export function useExecutionEvents(
  projectId: string,
  promptId: string,
  onEvent: (event: ExecutionEvent) => void,
): LiveState {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(eventsUrl(projectId, promptId), { withCredentials: true });
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    const listener = (message: MessageEvent<string>) => {
      const event = parseExecutionEvent(message.data);
      if (event && event.promptId === promptId) handler.current(event);
    };
    source.addEventListener('execution', listener);
    return () => {
      source.removeEventListener('execution', listener);
      source.close();
    };
  }, [projectId, promptId]);
  return state;
}
