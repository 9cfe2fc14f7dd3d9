import { describe, expect, it } from 'vitest';
import { analyticsParams, bucketEnd, chooseInterval, drillPatch, parseAnalyticsView, resolveWindow } from './window';

const NOW = Date.parse('2026-11-23T12:34:56Z');

describe('parseAnalyticsView', () => {
  it('reads the Logs tab’s filters and the interval', () => {
    const view = parseAnalyticsView(new URLSearchParams('range=24h&status=error&source=chat&version=2&interval=day'));
    expect(view).toMatchObject({ range: '24h', status: ['error'], source: ['chat'], version: ['2'], interval: 'day' });
  });

  it('reads All time as 30 days and an unknown interval as auto', () => {
    expect(parseAnalyticsView(new URLSearchParams('range=all&interval=week'))).toMatchObject({
      range: '30d',
      interval: 'auto',
    });
  });
});

describe('resolveWindow', () => {
  it('ends relative windows at the next whole hour and picks hourly buckets for a day', () => {
    const window = resolveWindow(parseAnalyticsView(new URLSearchParams('range=24h')), NOW, 'Europe/Paris');
    expect(window).toEqual({
      from: '2026-11-22T13:00:00.000Z',
      to: '2026-11-23T13:00:00.000Z',
      interval: 'hour',
      tz: 'Europe/Paris',
    });
  });

  it('picks daily buckets beyond two days unless overridden', () => {
    expect(resolveWindow(parseAnalyticsView(new URLSearchParams('range=7d')), NOW, 'UTC').interval).toBe('day');
    expect(resolveWindow(parseAnalyticsView(new URLSearchParams('range=7d&interval=hour')), NOW, 'UTC').interval).toBe(
      'hour',
    );
    expect(chooseInterval('auto', 48 * 3_600_000)).toBe('hour');
    expect(chooseInterval('auto', 49 * 3_600_000)).toBe('day');
  });

  it('uses a custom range as given', () => {
    const view = parseAnalyticsView(
      new URLSearchParams('range=custom&from=2026-11-20T10:00:00Z&to=2026-11-20T11:00:00Z'),
    );
    expect(resolveWindow(view, NOW, 'UTC')).toMatchObject({
      from: '2026-11-20T10:00:00.000Z',
      to: '2026-11-20T11:00:00.000Z',
      interval: 'hour',
    });
  });
});

describe('analyticsParams', () => {
  it('repeats multi-value filters', () => {
    const view = parseAnalyticsView(new URLSearchParams('status=error&status=cancelled&version=1'));
    const window = resolveWindow(view, NOW, 'UTC');
    const params = analyticsParams({ promptId: 'p' }, view, window);
    expect(params.getAll('status')).toEqual(['error', 'cancelled']);
    expect(params.get('promptId')).toBe('p');
    expect(params.get('allProjects')).toBeNull();
  });

  it('asks for every project of the user on the dashboard', () => {
    const view = parseAnalyticsView(new URLSearchParams());
    const params = analyticsParams({ allProjects: true }, view, resolveWindow(view, NOW, 'UTC'));
    expect(params.get('allProjects')).toBe('true');
    expect(params.get('promptId')).toBeNull();
  });
});

describe('drill-down', () => {
  it('ends a bucket at the next one, so a 25-hour local day stays whole', () => {
    const starts = ['2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z'];
    expect(bucketEnd(starts, 0, 'day', '2026-10-27T00:00:00Z')).toBe('2026-10-25T23:00:00Z');
    expect(bucketEnd(starts, 1, 'day', '2026-10-27T00:00:00Z')).toBe('2026-10-26T23:00:00.000Z');
    expect(bucketEnd(['2026-11-23T12:00:00Z'], 0, 'day', '2026-11-23T13:00:00Z')).toBe('2026-11-23T13:00:00.000Z');
  });

  it('opens the Logs tab on a custom range and the slice', () => {
    const window = resolveWindow(parseAnalyticsView(new URLSearchParams()), NOW, 'UTC');
    expect(drillPatch({ model: 'gpt-4o' }, window)).toEqual({
      tab: null,
      interval: null,
      range: 'custom',
      from: window.from,
      to: window.to,
      model: ['gpt-4o'],
    });
    expect(drillPatch({ from: 'a', to: 'b', status: 'error' }, window)).toMatchObject({
      from: 'a',
      to: 'b',
      status: ['error'],
    });
  });
});
