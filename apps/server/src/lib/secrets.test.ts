import { describe, expect, it } from 'vitest';
import { safeEqual, urlWithoutSecrets } from './secrets';

describe('secrets', () => {
  it('masks invite tokens in logged URLs and leaves other URLs alone', () => {
    expect(urlWithoutSecrets('/api/auth/invites/inv_abc123/accept')).toBe('/api/auth/invites/[token]/accept');
    expect(urlWithoutSecrets('/api/auth/invites/inv_abc123')).toBe('/api/auth/invites/[token]');
    expect(urlWithoutSecrets('/api/v1/invites?projectId=p')).toBe('/api/v1/invites?projectId=p');
    expect(urlWithoutSecrets('/api/v1/executions?status=error')).toBe('/api/v1/executions?status=error');
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
