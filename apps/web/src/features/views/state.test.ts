import { VIEW_PARAMS as SERVER_VIEW_PARAMS, VIEW_NAME_MAX_LENGTH, ViewState } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { appliedView, nameError, searchWithView, VIEW_NAME_MAX, VIEW_PARAMS, viewStateOf } from './state';

const params = (query: string) => new URLSearchParams(query);

describe('view state', () => {
  it('keeps the parameters the server accepts, and only those', () => {
    expect(VIEW_PARAMS).toEqual(SERVER_VIEW_PARAMS);
    expect(VIEW_NAME_MAX).toBe(VIEW_NAME_MAX_LENGTH);
  });

  it('reads the view params of a page, sorted and without empty ones, as the server stores them', () => {
    const page = params('project=p1&tab=logs&status=error&range=30d&q=&execution=e1&meta.region=eu&view=v1&status=x');
    const state = viewStateOf(page);
    expect(state).toBe('meta.region=eu&range=30d&status=error&status=x');
    expect(ViewState.parse('status=error&range=30d&q=&meta.region=eu&status=x')).toBe(state);
    expect(viewStateOf(params('project=p1'))).toBe('');
  });

  it('keeps the sort and the columns shown, as the server does', () => {
    const page = params('project=p1&tab=logs&sort=latency_desc&cols=timestamp,latency&status=error&cursor=abc');
    const state = viewStateOf(page);
    expect(state).toBe('cols=timestamp%2Clatency&sort=latency_desc&status=error');
    expect(ViewState.parse('sort=latency_desc&cols=timestamp,latency&status=error')).toBe(state);
  });

  it('applies a view: its state and id, keeping the project and tab, dropping the open execution', () => {
    const applied = searchWithView(params('project=p1&status=error&execution=e1&view=old'), {
      id: 'v2',
      state: 'range=all&source=workflow',
    });
    expect(applied.toString()).toBe('project=p1&range=all&source=workflow&view=v2');
  });

  it('tells an applied view from a changed one and from one that is gone', () => {
    const views = [{ id: 'v1', state: 'status=error' }];
    expect(appliedView(params('status=error'), views)).toEqual({ kind: 'none' });
    expect(appliedView(params('status=error&view=v1'), undefined)).toEqual({ kind: 'none' });
    expect(appliedView(params('status=error&view=v1'), views)).toEqual({
      kind: 'applied',
      view: views[0],
      changed: false,
    });
    expect(appliedView(params('status=error&range=all&view=v1'), views)).toMatchObject({ changed: true });
    expect(appliedView(params('status=error&view=v9'), views)).toEqual({ kind: 'missing', id: 'v9' });
  });

  it('asks for a name of at most 100 characters', () => {
    expect(nameError('  ')).toMatch(/Name the view/);
    expect(nameError('x'.repeat(101))).toMatch(/at most 100/);
    expect(nameError(' Errors ')).toBeUndefined();
  });
});
