import { describe, expect, it } from 'vitest';
import { applySearchPatch } from '../../lib/router';
import { filterLabel } from './filter-action';
import {
  activeFilters,
  addFilter,
  clearFilters,
  describeSearch,
  differsOnlyInSearch,
  filtersKey,
  filtersToSearchPatch,
  mightMatch,
  parseFilters,
  parseMetaInput,
  removeFilter,
  reviewChoiceOf,
  SEARCH_DEBOUNCE_MS,
  type SearchProgress,
  searchUpdate,
  toApiParams,
  withReviewChoice,
} from './filters';

const now = Date.parse('2026-11-23T12:00:00Z');

describe('parseFilters', () => {
  it('reads repeated filters, metadata and the time range', () => {
    const filters = parseFilters(
      new URLSearchParams(
        'status=error&status=cancelled&source=workflow&version=3&model=gpt-4o&tag=beta&meta.customer=acme&range=30d&execution=x',
      ),
    );
    expect(filters).toMatchObject({
      status: ['error', 'cancelled'],
      source: ['workflow'],
      version: ['3'],
      model: ['gpt-4o'],
      tag: ['beta'],
      meta: [{ key: 'customer', value: 'acme' }],
      range: '30d',
    });
  });

  it('drops values the API would reject and defaults the range to 7 days', () => {
    const filters = parseFilters(new URLSearchParams('status=bogus&source=nowhere&version=v2&range=1y'));
    expect(filters).toMatchObject({ status: [], source: [], version: [], range: '7d' });
  });
});

describe('the signal filter', () => {
  it('reads known signals from the URL, writes them back and sends them to the API', () => {
    const search = new URLSearchParams('signal=refusal&signal=json_invalid&signal=rude');
    const filters = parseFilters(search);
    expect(filters.signal).toEqual(['refusal', 'json_invalid']);
    const next = applySearchPatch(
      search,
      filtersToSearchPatch(addFilter(filters, { key: 'signal', value: 'empty' }), search),
    );
    expect(next.getAll('signal')).toEqual(['refusal', 'json_invalid', 'empty']);
    expect(toApiParams('reply', parseFilters(next), now).getAll('signal')).toEqual([
      'refusal',
      'json_invalid',
      'empty',
    ]);
    expect(clearFilters(filters).signal).toEqual([]);
  });
});

describe('the review filters', () => {
  const LABEL = '0190f0f0-0000-7000-8000-00000000000a';
  const OTHER = '0190f0f0-0000-7000-8000-00000000000b';

  it('reads label ids and reviewed or not from the URL, writes them back and sends them to the API', () => {
    const search = new URLSearchParams(`label=${LABEL}&label=not-an-id&reviewed=true`);
    const filters = parseFilters(search);
    expect(filters).toMatchObject({ label: [LABEL], reviewed: 'true' });
    expect(parseFilters(new URLSearchParams('reviewed=maybe')).reviewed).toBeNull();

    const changed = removeFilter(addFilter(filters, { key: 'label', value: OTHER }), {
      key: 'reviewed',
      value: 'true',
    });
    const next = applySearchPatch(
      search,
      filtersToSearchPatch(addFilter(changed, { key: 'reviewed', value: 'false' }), search),
    );
    expect(next.getAll('label')).toEqual([LABEL, OTHER]);
    expect(next.get('reviewed')).toBe('false');
    const params = toApiParams('reply', parseFilters(next), now);
    expect(params.getAll('label')).toEqual([LABEL, OTHER]);
    expect(params.get('reviewed')).toBe('false');

    const cleared = applySearchPatch(next, filtersToSearchPatch(clearFilters(parseFilters(next)), next));
    expect(cleared.has('label')).toBe(false);
    expect(cleared.has('reviewed')).toBe(false);
  });

  it('lists them among the active filters, and never counts a new execution as reviewed or labelled', () => {
    const filters = parseFilters(new URLSearchParams(`label=${LABEL}&reviewed=false`));
    expect(activeFilters(filters)).toEqual([
      { key: 'label', value: LABEL },
      { key: 'reviewed', value: 'false' },
    ]);
    const created = { status: 'success' };
    expect(mightMatch(created, parseFilters(new URLSearchParams('reviewed=false')), now)).toBe(true);
    expect(mightMatch(created, parseFilters(new URLSearchParams('reviewed=true')), now)).toBe(false);
    expect(mightMatch(created, parseFilters(new URLSearchParams(`label=${LABEL}`)), now)).toBe(false);
    expect(mightMatch(created, parseFilters(new URLSearchParams('rating=down')), now)).toBe(false);
  });

  it('counts a new execution under a conversation filter only when it is a turn of one of those conversations', () => {
    const filters = parseFilters(new URLSearchParams('conversation=chat-7&conversation=chat-9'));
    expect(mightMatch({ status: 'success', conversationId: 'chat-9' }, filters, now)).toBe(true);
    expect(mightMatch({ status: 'success', conversationId: 'chat-8' }, filters, now)).toBe(false);
    expect(mightMatch({ status: 'success', conversationId: null }, filters, now)).toBe(false);
    // An older server's event does not say: it may match.
    expect(mightMatch({ status: 'success' }, filters, now)).toBe(true);
  });

  it('lets the Review select pick reviewed or not, or one rating, each replacing the others', () => {
    const none = parseFilters(new URLSearchParams());
    const down = withReviewChoice({ ...none, reviewed: 'false' }, 'down');
    expect(down).toMatchObject({ reviewed: null, rating: ['down'] });
    expect(reviewChoiceOf(down)).toBe('down');
    const reviewed = withReviewChoice(down, 'true');
    expect(reviewed).toMatchObject({ reviewed: 'true', rating: [] });
    expect(reviewChoiceOf(reviewed)).toBe('true');
    expect(withReviewChoice(reviewed, '')).toMatchObject({ reviewed: null, rating: [] });
    expect(reviewChoiceOf(parseFilters(new URLSearchParams('rating=up&rating=down')))).toBe('');
  });

  it('reads the ratings asked for from the URL, drops unknown ones, names them and sends them to the API', () => {
    const filters = parseFilters(new URLSearchParams('rating=down&rating=meh&rating=down'));
    expect(filters.rating).toEqual(['down']);
    expect(activeFilters(filters)).toEqual([{ key: 'rating', value: 'down' }]);
    expect(filterLabel({ key: 'rating', value: 'down' })).toBe('thumbs down');
    expect(toApiParams('reply', filters, now).getAll('rating')).toEqual(['down']);
    expect(clearFilters(filters).rating).toEqual([]);
  });
});

describe('filtersToSearchPatch', () => {
  it('round-trips through the URL and keeps unrelated params', () => {
    const search = new URLSearchParams('tab=logs&meta.old=1&execution=abc');
    const filters = addFilter(addFilter(parseFilters(search), { key: 'source', value: 'workflow' }), {
      key: 'meta',
      value: { key: 'customer', value: 'acme co' },
    });
    const next = applySearchPatch(
      search,
      filtersToSearchPatch(removeFilter(filters, { key: 'meta', value: { key: 'old', value: '1' } }), search),
    );
    expect(next.get('tab')).toBe('logs');
    expect(next.get('execution')).toBe('abc');
    expect(next.has('meta.old')).toBe(false);
    expect(parseFilters(next)).toMatchObject({ source: ['workflow'], meta: [{ key: 'customer', value: 'acme co' }] });
  });

  it('keeps custom bounds only for a custom range', () => {
    const filters = { ...parseFilters(new URLSearchParams()), range: '24h' as const, from: '2026-01-01T00:00:00.000Z' };
    const patch = filtersToSearchPatch(filters, new URLSearchParams());
    expect(patch.range).toBe('24h');
    expect(patch.from).toBeNull();
  });
});

describe('toApiParams', () => {
  it('resolves a relative range against now and repeats filters', () => {
    const filters = parseFilters(new URLSearchParams('status=error&status=cancelled&meta.region=eu&range=24h'));
    const params = toApiParams('support-reply', filters, now);
    expect(params.get('promptId')).toBe('support-reply');
    expect(params.getAll('status')).toEqual(['error', 'cancelled']);
    expect(params.get('meta.region')).toBe('eu');
    expect(params.get('from')).toBe('2026-11-22T12:00:00.000Z');
    expect(params.has('to')).toBe(false);
  });

  it('sends both bounds of a custom range and none for all time', () => {
    const custom = parseFilters(
      new URLSearchParams('range=custom&from=2026-11-01T00:00:00.000Z&to=2026-11-02T00:00:00.000Z'),
    );
    expect(toApiParams('p', custom, now).get('to')).toBe('2026-11-02T00:00:00.000Z');
    const all = toApiParams('p', parseFilters(new URLSearchParams('range=all')), now);
    expect(all.has('from')).toBe(false);
  });
});

describe('filter helpers', () => {
  it('adds a value once and clears every filter but the time range', () => {
    const base = parseFilters(new URLSearchParams('range=30d'));
    const once = addFilter(base, { key: 'model', value: 'gpt-4o' });
    expect(addFilter(once, { key: 'model', value: 'gpt-4o' })).toBe(once);
    expect(clearFilters(once)).toMatchObject({ model: [], range: '30d' });
  });

  it('parses key=value metadata input', () => {
    expect(parseMetaInput('customer = acme=co')).toEqual({ key: 'customer', value: 'acme=co' });
    expect(parseMetaInput('=x')).toBeNull();
    expect(parseMetaInput('novalue=')).toBeNull();
  });

  it('gives a relative range a key that does not move with the clock', () => {
    const filters = parseFilters(new URLSearchParams('range=24h'));
    expect(filtersKey(filters)).toBe(filtersKey(parseFilters(new URLSearchParams('range=24h'))));
    expect(filtersKey(filters)).not.toBe(filtersKey(parseFilters(new URLSearchParams('range=7d'))));
  });
});

describe('mightMatch', () => {
  const workflowError = { status: 'error', source: 'workflow', version: 3, model: 'gpt-4o', tags: ['eu'] };

  it('skips new executions the status filter or a closed custom range leaves out', () => {
    const errors = parseFilters(new URLSearchParams('status=error'));
    expect(mightMatch(workflowError, errors, now)).toBe(true);
    expect(mightMatch({ ...workflowError, status: 'pending' }, errors, now)).toBe(false);
    const past = parseFilters(new URLSearchParams('range=custom&to=2026-11-01T00:00:00.000Z'));
    expect(mightMatch(workflowError, past, now)).toBe(false);
    expect(mightMatch(workflowError, parseFilters(new URLSearchParams()), now)).toBe(true);
  });

  it('checks source, version, model and tags too', () => {
    const view = parseFilters(new URLSearchParams('source=workflow&version=3&model=gpt-4o&tag=eu&tag=us'));
    expect(mightMatch(workflowError, view, now)).toBe(true);
    expect(mightMatch({ ...workflowError, source: 'chat' }, view, now)).toBe(false);
    expect(mightMatch({ ...workflowError, version: 2 }, view, now)).toBe(false);
    expect(mightMatch({ ...workflowError, version: null }, view, now)).toBe(false);
    expect(mightMatch({ ...workflowError, model: 'gpt-4o-mini' }, view, now)).toBe(false);
    expect(mightMatch({ ...workflowError, tags: ['apac'] }, view, now)).toBe(false);
  });
});

describe('searchUpdate', () => {
  it('searches after a pause in typing, and at once on Enter', () => {
    expect(searchUpdate('refund', '', 'typing', false)).toEqual({
      apply: true,
      q: 'refund',
      delayMs: SEARCH_DEBOUNCE_MS,
      replace: false,
    });
    expect(searchUpdate('refund', '', 'enter', false)).toEqual({
      apply: true,
      q: 'refund',
      delayMs: 0,
      replace: false,
    });
  });

  it('asks for nothing while the box holds the search already applied, spaces aside', () => {
    expect(searchUpdate('refund ', 'refund', 'typing', true)).toEqual({ apply: false });
    expect(searchUpdate('  ', '', 'enter', false)).toEqual({ apply: false });
  });

  it('adds one history entry for a run of typing and replaces it after', () => {
    expect(searchUpdate('ref', '', 'typing', false)).toMatchObject({ replace: false });
    expect(searchUpdate('refund', 'ref', 'typing', true)).toMatchObject({ q: 'refund', replace: true });
    expect(searchUpdate('refunds', 'refund', 'enter', true)).toMatchObject({ delayMs: 0, replace: true });
  });

  it('clears the search when the box is emptied', () => {
    expect(searchUpdate('', 'refund', 'typing', true)).toMatchObject({ apply: true, q: '' });
  });
});

describe('the search in the URL', () => {
  it('sets q and keeps the other filters and the open execution; an empty search removes it', () => {
    const current = new URLSearchParams('status=error&range=30d&execution=x');
    const filters = parseFilters(current);
    const searched = applySearchPatch(current, filtersToSearchPatch({ ...filters, q: 'refund' }, current));
    expect(searched.toString()).toBe('execution=x&q=refund&range=30d&status=error');
    const cleared = applySearchPatch(searched, filtersToSearchPatch({ ...filters, q: '' }, searched));
    expect(cleared.has('q')).toBe(false);
    expect(cleared.get('status')).toBe('error');
  });
});

describe('differsOnlyInSearch', () => {
  const key = (search: string) => filtersKey(parseFilters(new URLSearchParams(search)));

  it('is true for the same list with another search, so its rows can stand in while the search runs', () => {
    expect(differsOnlyInSearch(key('status=error'), key('status=error&q=refund'))).toBe(true);
    expect(differsOnlyInSearch(key('q=ref'), key('q=refund'))).toBe(true);
  });

  it('is false for the same list, or other filters', () => {
    expect(differsOnlyInSearch(key('q=refund'), key('q=refund'))).toBe(false);
    expect(differsOnlyInSearch(key('q=refund'), key('q=refund&status=error'))).toBe(false);
    expect(differsOnlyInSearch(key('q=refund'), key('q=refund2&range=30d'))).toBe(false);
  });
});

describe('describeSearch', () => {
  const format = { time: (ms: number) => new Date(ms).toISOString().slice(11, 19), dateTime: (iso: string) => iso };
  const done: SearchProgress = {
    q: 'refund',
    searching: false,
    searchingFurther: false,
    searchedAt: Date.parse('2026-11-23T12:00:05Z'),
    matches: 0,
    more: false,
  };

  it('says nothing without a search', () => {
    expect(describeSearch({ ...done, q: '' }, format)).toBeNull();
  });

  it('says while a search runs', () => {
    expect(describeSearch({ ...done, searching: true }, format)).toBe('Searching for “refund”…');
    expect(describeSearch({ ...done, searchingFurther: true }, format)).toBe('Searching further back for “refund”…');
  });

  it('says when the search ran and how far back it read', () => {
    expect(describeSearch({ ...done, through: '2026-11-19T10:00:00Z', matches: 1 }, format)).toBe(
      'Searched at 12:00:05: 1 match back to 2026-11-19T10:00:00Z; older executions not searched yet',
    );
    expect(describeSearch({ ...done, matches: 100, more: true }, format)).toBe(
      'Searched at 12:00:05: the newest 100 matches; more load as you scroll',
    );
    expect(describeSearch(done, format)).toBe('Searched at 12:00:05: no matches in the whole time range');
  });
});
