import { describe, expect, it } from 'vitest';
import { applySearchPatch, hrefWithSearch, withCarriedParams } from './router';

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

describe('withCarriedParams', () => {
  it('keeps the current project on a link that names none', () => {
    expect(withCarriedParams('/prompts/a?tab=analytics', '?project=p2&range=24h')).toBe(
      '/prompts/a?tab=analytics&project=p2',
    );
    expect(withCarriedParams('/settings#members', 'project=p2')).toBe('/settings?project=p2#members');
  });

  it('lets a link name its own project, and changes nothing when the URL has none', () => {
    expect(withCarriedParams('/?project=p1', '?project=p2')).toBe('/?project=p1');
    expect(withCarriedParams('/dashboard', '?range=24h')).toBe('/dashboard');
  });

  it('leaves links to other sites alone', () => {
    expect(withCarriedParams('https://example.com/docs', '?project=p2')).toBe('https://example.com/docs');
  });
});
