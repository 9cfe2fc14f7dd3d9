import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetriedStatus, parseRetryAfter } from './transport.js';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 4, 1, 12, 0, 0);

  it('reads delay-seconds and HTTP dates, in milliseconds from now', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('retry policy', () => {
  it('retries 408, 429 and 5xx, not other answers', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetriedStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 413].some(isRetriedStatus)).toBe(false);
  });

  it('doubles the backoff with each attempt, with jitter in its upper half', () => {
    for (const [attempt, full] of [
      [1, 500],
      [2, 1000],
      [3, 2000],
    ] as const) {
      const delay = backoffDelay(attempt, 500);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});
