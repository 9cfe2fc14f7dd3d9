import { describe, expect, it } from 'vitest';
import { applySearchPatch, hrefWithSearch } from './router';

describe('applySearchPatch', () => {
  it('sets, replaces and removes keys without touching the others', () => {
    const params = new URLSearchParams('status=error&cursor=abc&model=gpt-4o');
    const next = applySearchPatch(params, { status: 'success', cursor: null, page: 2 });
    expect(next.toString()).toBe('model=gpt-4o&page=2&status=success');
    expect(params.toString()).toBe('status=error&cursor=abc&model=gpt-4o');
  });

  it('drops empty strings and writes arrays as repeated keys', () => {
    const next = applySearchPatch(new URLSearchParams('q=old'), { q: '', tag: ['a', 'b'] });
    expect(next.getAll('tag')).toEqual(['a', 'b']);
    expect(next.has('q')).toBe(false);
  });
});

describe('hrefWithSearch', () => {
  it('leaves out the question mark when there are no params', () => {
    expect(hrefWithSearch('/logs', new URLSearchParams())).toBe('/logs');
    expect(hrefWithSearch('/logs', new URLSearchParams('a=1'))).toBe('/logs?a=1');
  });
});
