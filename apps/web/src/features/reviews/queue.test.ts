import { describe, expect, it } from 'vitest';
import {
  keptIndex,
  parseQueueRange,
  parseQueueView,
  QUEUE_KEYS,
  queueFilterParams,
  queueKey,
  queuePath,
  queueReasons,
} from './queue';

const now = Date.parse('2026-11-23T12:00:00Z');

describe('the review queue', () => {
  it('lists executions needing a look that nobody reviewed, in the chosen window', () => {
    expect(queueFilterParams({ show: 'unreviewed', range: '24h', promptId: null }, now).toString()).toBe(
      'flagged=true&reviewed=false&from=2026-11-22T12%3A00%3A00.000Z',
    );
    expect(queueFilterParams({ show: 'unreviewed', range: 'all', promptId: 'triage' }, now).toString()).toBe(
      'flagged=true&reviewed=false&promptId=triage',
    );
    const linked = new URL(queuePath('a b'), 'http://promptlog.test');
    expect(linked.pathname).toBe('/review');
    expect(parseQueueView(linked.searchParams)).toEqual({ show: 'unreviewed', range: '7d', promptId: 'a b' });
    expect(parseQueueRange(new URLSearchParams('range=30d'))).toBe('30d');
    expect(parseQueueRange(new URLSearchParams('range=1y'))).toBe('7d');
  });

  it('lists instead the executions rated thumbs down, reviewed or not flagged, when asked', () => {
    const view = parseQueueView(new URLSearchParams('show=down&range=all'));
    expect(view).toEqual({ show: 'down', range: 'all', promptId: null });
    expect(queueFilterParams(view, now).toString()).toBe('rating=down');
    expect(parseQueueView(new URLSearchParams('show=everything')).show).toBe('unreviewed');
  });

  it('says why an execution is there', () => {
    expect(queueReasons({ status: 'error', errorType: 'timeout', signals: [] })).toEqual(['Error (timeout)']);
    expect(queueReasons({ status: 'success', errorType: null, signals: ['refusal', 'json_invalid'] })).toEqual([
      'Refusal',
      'JSON invalid',
    ]);
    expect(queueReasons({ status: 'success', errorType: null, signals: [] }, 'down')).toEqual(['Rated thumbs down']);
  });
});

describe('queueKey', () => {
  it('moves with j and k anywhere, with the arrows, Home and End only on the list, and stops at the ends', () => {
    expect(queueKey({ key: 'j' }, 0, 3, false)).toEqual({ type: 'move', index: 1 });
    expect(queueKey({ key: 'j' }, 2, 3, false)).toEqual({ type: 'move', index: 2 });
    expect(queueKey({ key: 'k' }, 0, 3, false)).toEqual({ type: 'move', index: 0 });
    expect(queueKey({ key: 'ArrowDown' }, 0, 3, false)).toBeNull();
    expect(queueKey({ key: 'ArrowDown' }, 0, 3, true)).toEqual({ type: 'move', index: 1 });
    expect(queueKey({ key: 'End' }, 0, 3, true)).toEqual({ type: 'move', index: 2 });
  });

  it('rates, labels, notes and opens; leaves modified keys and an empty queue alone', () => {
    expect(queueKey({ key: 'u' }, 1, 3, false)).toEqual({ type: 'rate', rating: 'up' });
    expect(queueKey({ key: 'd' }, 1, 3, false)).toEqual({ type: 'rate', rating: 'down' });
    expect(queueKey({ key: 'l' }, 1, 3, false)).toEqual({ type: 'labels' });
    expect(queueKey({ key: 'n' }, 1, 3, false)).toEqual({ type: 'note' });
    expect(queueKey({ key: 'Enter' }, 1, 3, true)).toEqual({ type: 'open' });
    expect(queueKey({ key: 'd', ctrlKey: true }, 1, 3, false)).toBeNull();
    expect(queueKey({ key: 'x' }, 1, 3, false)).toBeNull();
    expect(queueKey({ key: 'j' }, 0, 0, false)).toBeNull();
  });

  it('documents every key it answers', () => {
    const documented = QUEUE_KEYS.flatMap((entry) => entry.keys);
    for (const key of ['j', 'k', 'u', 'd', 'l', 'n', 'Enter']) {
      expect(documented).toContain(key);
      expect(queueKey({ key }, 0, 2, true)).not.toBeNull();
    }
  });
});

describe('keptIndex', () => {
  it('keeps the same execution in focus, or the place it had when it left', () => {
    expect(keptIndex(['a', 'b', 'c'], 'b', 0)).toBe(1);
    expect(keptIndex(['a', 'c'], 'b', 1)).toBe(1);
    expect(keptIndex(['a'], 'b', 4)).toBe(0);
    expect(keptIndex([], 'b', 4)).toBe(0);
  });
});
