import { EXECUTION_SORTS } from '@promptlog/contracts/rules';
import { describe, expect, it } from 'vitest';
import { applySearchPatch } from '../../lib/router';
import {
  ariaSort,
  columnsPatch,
  describeSort,
  newRowsGoOnTop,
  nextSort,
  parseColumns,
  parseSort,
  sortParts,
  sortPatch,
  toggleColumn,
} from './list-view';

const params = (query: string) => new URLSearchParams(query);
const KNOWN = ['timestamp', 'status', 'model', 'latency'];

describe('list sort in the URL', () => {
  it('reads every sort the API takes, and the newest first when absent or unknown', () => {
    for (const sort of EXECUTION_SORTS) expect(parseSort(params(`sort=${sort}`))).toBe(sort);
    expect(parseSort(params(''))).toBe('time_desc');
    expect(parseSort(params('sort=latency'))).toBe('time_desc');
  });

  it('turns a pressed header round, starts another key with its largest first, and ignores an unknown key', () => {
    expect(nextSort('time_desc', 'time')).toBe('time_asc');
    expect(nextSort('time_asc', 'time')).toBe('time_desc');
    expect(nextSort('time_desc', 'latency')).toBe('latency_desc');
    expect(nextSort('latency_desc', 'latency')).toBe('latency_asc');
    expect(nextSort('latency_asc', 'cost')).toBe('cost_desc');
    expect(nextSort('cost_desc', 'model')).toBe('cost_desc');
  });

  it('writes the default as no param, so a plain link stays plain', () => {
    expect(applySearchPatch(params('sort=latency_asc&status=error'), sortPatch('time_desc')).toString()).toBe(
      'status=error',
    );
    expect(applySearchPatch(params(''), sortPatch('tokens_asc')).toString()).toBe('sort=tokens_asc');
  });

  it('says the order to assistive technology and in words', () => {
    expect(ariaSort('latency_desc', 'latency')).toBe('descending');
    expect(ariaSort('latency_asc', 'latency')).toBe('ascending');
    expect(ariaSort('latency_asc', 'cost')).toBe('none');
    expect(sortParts('tokens_asc')).toEqual({ key: 'tokens', direction: 'asc' });
    expect(describeSort('latency_desc')).toBe('latency, slowest first');
    expect(describeSort('cost_asc')).toBe('cost, cheapest first');
  });

  it('inserts new executions on top only in the default order', () => {
    expect(newRowsGoOnTop('time_desc')).toBe(true);
    for (const sort of EXECUTION_SORTS.filter((s) => s !== 'time_desc')) expect(newRowsGoOnTop(sort)).toBe(false);
  });
});

describe('shown columns in the URL', () => {
  it('shows every column when absent or when cols names none of them, else the named ones in table order', () => {
    expect(parseColumns(params(''), KNOWN)).toEqual(KNOWN);
    expect(parseColumns(params('cols=nothing,else'), KNOWN)).toEqual(KNOWN);
    expect(parseColumns(params('cols=latency,timestamp,bogus'), KNOWN)).toEqual(['timestamp', 'latency']);
  });

  it('writes all columns as no param and others comma-separated in table order', () => {
    expect(columnsPatch(KNOWN, KNOWN)).toEqual({ cols: null });
    expect(columnsPatch(['latency', 'timestamp'], KNOWN)).toEqual({ cols: 'timestamp,latency' });
  });

  it('hides and shows a column but never the last one', () => {
    expect(toggleColumn(KNOWN, 'model', false, KNOWN)).toEqual(['timestamp', 'status', 'latency']);
    expect(toggleColumn(['timestamp'], 'model', true, KNOWN)).toEqual(['timestamp', 'model']);
    expect(toggleColumn(['status'], 'status', false, KNOWN)).toEqual(['status']);
  });
});
