import type { ExecutionListItem, ReviewRating } from '@promptlog/contracts';
import { OUTPUT_SIGNAL_LABELS } from '@promptlog/contracts/rules';

/** The queue's time windows, as the Logs tab's: what it lists started within it. */
export const QUEUE_RANGES = [
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
  { value: 'all', label: 'All time', ms: null },
] as const;
export type QueueRange = (typeof QUEUE_RANGES)[number]['value'];
export const DEFAULT_QUEUE_RANGE: QueueRange = '7d';

export function parseQueueRange(search: URLSearchParams): QueueRange {
  return QUEUE_RANGES.find((range) => range.value === search.get('range'))?.value ?? DEFAULT_QUEUE_RANGE;
}

/**
 * What the queue lists: executions that need a look and nobody reviewed yet, or those a reviewer rated thumbs down,
 * to go through again (label them, note what went wrong).
 */
export const QUEUE_SHOWS = [
  { value: 'unreviewed', label: 'Needs a look, not reviewed' },
  { value: 'down', label: 'Rated thumbs down' },
] as const;
export type QueueShow = (typeof QUEUE_SHOWS)[number]['value'];

/** The queue's view in the URL: what it shows (`show`), the time window (`range`) and, for one prompt, `prompt`. */
export type QueueView = { show: QueueShow; range: QueueRange; promptId: string | null };

export function parseQueueView(search: URLSearchParams): QueueView {
  return {
    show: QUEUE_SHOWS.find((show) => show.value === search.get('show'))?.value ?? 'unreviewed',
    range: parseQueueRange(search),
    promptId: search.get('prompt') || null,
  };
}

/** The queue of one prompt, as its Logs tab links to it. */
export function queuePath(promptId: string): string {
  return `/review?${new URLSearchParams({ prompt: promptId })}`;
}

/**
 * The list filters of the queue: executions that failed or raised an output signal and nobody reviewed (or those rated
 * thumbs down), newest first, of one prompt or of every prompt whose logs the caller reads. The same filters export it
 * as a dataset.
 */
export function queueFilterParams({ show, range, promptId }: QueueView, now: number): URLSearchParams {
  const params = new URLSearchParams(show === 'down' ? { rating: 'down' } : { flagged: 'true', reviewed: 'false' });
  if (promptId) params.set('promptId', promptId);
  const ms = QUEUE_RANGES.find((candidate) => candidate.value === range)?.ms;
  if (ms) params.set('from', new Date(now - ms).toISOString());
  return params;
}

/** Why an execution is in the queue, in words: its rating when the queue shows thumbs down, its error and signals. */
export function queueReasons(
  item: Pick<ExecutionListItem, 'status' | 'errorType' | 'signals'>,
  show: QueueShow = 'unreviewed',
): string[] {
  return [
    ...(show === 'down' ? ['Rated thumbs down'] : []),
    ...(item.status === 'error' ? [item.errorType ? `Error (${item.errorType})` : 'Error'] : []),
    ...item.signals.map((signal) => OUTPUT_SIGNAL_LABELS[signal]),
  ];
}

export type QueueAction =
  | { type: 'move'; index: number }
  | { type: 'rate'; rating: ReviewRating }
  | { type: 'labels' }
  | { type: 'note' }
  | { type: 'open' };

export type QueueKey = { key: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean };

/** The keys the queue answers, in the order its help lists them. */
export const QUEUE_KEYS: { keys: string[]; does: string }[] = [
  { keys: ['j', '↓'], does: 'next execution' },
  { keys: ['k', '↑'], does: 'previous execution' },
  { keys: ['u'], does: 'thumbs up (again to take it back)' },
  { keys: ['d'], does: 'thumbs down (again to take it back)' },
  { keys: ['l'], does: 'labels' },
  { keys: ['n'], does: 'write a note (Ctrl+Enter saves, Esc leaves it)' },
  { keys: ['Enter'], does: 'open the full details' },
];

/**
 * Pure: what a key pressed on the queue page does, given the item in focus and how many are loaded; null leaves it
 * to the browser. `arrows` is whether the arrow keys are the queue's (the list has focus) rather than the page's.
 */
export function queueKey(event: QueueKey, active: number, count: number, arrows: boolean): QueueAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey || count === 0) return null;
  const clamp = (index: number) => Math.min(Math.max(index, 0), count - 1);
  switch (event.key) {
    case 'j':
      return { type: 'move', index: clamp(active + 1) };
    case 'k':
      return { type: 'move', index: clamp(active - 1) };
    case 'ArrowDown':
      return arrows ? { type: 'move', index: clamp(active + 1) } : null;
    case 'ArrowUp':
      return arrows ? { type: 'move', index: clamp(active - 1) } : null;
    case 'Home':
      return arrows ? { type: 'move', index: 0 } : null;
    case 'End':
      return arrows ? { type: 'move', index: count - 1 } : null;
    case 'u':
      return { type: 'rate', rating: 'up' };
    case 'd':
      return { type: 'rate', rating: 'down' };
    case 'l':
      return { type: 'labels' };
    case 'n':
      return { type: 'note' };
    case 'Enter':
      return { type: 'open' };
  }
  return null;
}

/** Which item to keep in focus when the list changes: the same one if still there, else the one at its place. */
export function keptIndex(ids: readonly string[], activeId: string | null, previousIndex: number): number {
  if (ids.length === 0) return 0;
  const found = activeId === null ? -1 : ids.indexOf(activeId);
  return found >= 0 ? found : Math.min(Math.max(previousIndex, 0), ids.length - 1);
}
