import type { SuggestionField } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { DateTimeField } from '../../components/date-time-field';
import { MultiSelect } from '../../components/multi-select';
import { SelectField } from '../../components/select-field';
import { formatDateTime, formatTimestamp } from '../../lib/format';
import type { NavigateOptions } from '../../lib/router';
import { labelsQuery } from '../reviews/api';
import { SUGGESTION_LIMIT, suggestionsQuery } from './api';
import { SOURCE_LABELS, sourceLabel } from './columns';
import { filterLabel, filterName, signalLabel } from './filter-action';
import {
  activeFilters,
  addFilter,
  clearFilters,
  describeSearch,
  hasActiveFilters,
  type LogFilters,
  parseMetaInput,
  REVIEW_CHOICES,
  removeFilter,
  reviewChoiceOf,
  SEARCH_DEBOUNCE_MS,
  type SearchProgress,
  SIGNALS,
  SOURCES,
  STATUSES,
  searchUpdate,
  TIME_RANGES,
  type TimeRange,
  withReviewChoice,
} from './filters';

type FilterBarProps = {
  projectId: string;
  promptId: string;
  filters: LogFilters;
  versions: readonly number[];
  /** Models seen in the loaded rows, offered too, since the rollups are a second behind. */
  models?: readonly string[];
  search: SearchProgress;
  onChange: (filters: LogFilters, options?: NavigateOptions) => void;
};

const statusOptions = STATUSES.map((value) => ({ value, label: value }));
const sourceOptions = SOURCES.map((value) => ({ value, label: SOURCE_LABELS[value] }));
const signalOptions = SIGNALS.map((value) => ({ value, label: signalLabel(value) }));

export function FilterBar({ projectId, promptId, filters, versions, models = [], search, onChange }: FilterBarProps) {
  const labels = useQuery(labelsQuery(projectId));
  const labelName = (id: string) => labels.data?.items.find((label) => label.id === id)?.name ?? 'a deleted label';
  const labelOptions = [
    ...(labels.data?.items.map((label) => ({ value: label.id, label: label.name })) ?? []),
    // A label in the URL that is no longer in the list stays removable.
    ...filters.label
      .filter((id) => labels.data && !labels.data.items.some((label) => label.id === id))
      .map((id) => ({ value: id, label: labelName(id) })),
  ];
  const versionOptions = [...new Set([...versions.map(String), ...filters.version])]
    .sort((a, b) => Number(b) - Number(a))
    .map((value) => ({ value, label: `v${value}` }));
  const active = activeFilters(filters);

  return (
    <section className="filter-bar" aria-label="Filters">
      <div className="filter-bar__controls">
        <SelectField
          label="Time range"
          value={filters.range}
          options={TIME_RANGES}
          onChange={(range) => onChange(withRange(filters, range))}
        />
        {filters.range === 'custom' && (
          <>
            <DateTimeField label="From" value={filters.from} onChange={(from) => onChange({ ...filters, from })} />
            <DateTimeField label="To" value={filters.to} onChange={(to) => onChange({ ...filters, to })} />
          </>
        )}
        <MultiSelect
          label="Source"
          options={sourceOptions}
          selected={filters.source}
          onChange={(source) => onChange({ ...filters, source })}
        />
        <MultiSelect
          label="Status"
          options={statusOptions}
          selected={filters.status}
          onChange={(status) => onChange({ ...filters, status })}
        />
        <MultiSelect
          label="Version"
          options={versionOptions}
          selected={filters.version}
          emptyText="No versions logged yet"
          onChange={(version) => onChange({ ...filters, version })}
        />
        <MultiSelect
          label="Signal"
          options={signalOptions}
          selected={filters.signal}
          onChange={(signal) => onChange({ ...filters, signal })}
        />
        <MultiSelect
          label="Label"
          options={labelOptions}
          selected={filters.label}
          emptyText="No review labels yet"
          onChange={(label) => onChange({ ...filters, label })}
        />
        <SelectField
          label="Review"
          value={reviewChoiceOf(filters)}
          options={REVIEW_CHOICES}
          onChange={(choice) => onChange(withReviewChoice(filters, choice))}
        />
        <SuggestedField
          field="model"
          projectId={projectId}
          promptId={promptId}
          seen={models}
          onAdd={(value) => onChange(addFilter(filters, { key: 'model', value }))}
        />
        <SuggestedField
          field="tag"
          projectId={projectId}
          promptId={promptId}
          onAdd={(value) => onChange(addFilter(filters, { key: 'tag', value }))}
        />
        <AddValueField
          label="Metadata"
          placeholder="key=value"
          hint="key=value, then Enter"
          validate={(text) => (parseMetaInput(text) ? undefined : 'Write it as key=value')}
          onAdd={(text) => {
            const meta = parseMetaInput(text);
            if (meta) onChange(addFilter(filters, { key: 'meta', value: meta }));
          }}
        />
        <SearchField
          applied={filters.q}
          progress={search}
          onSearch={(q, options) => onChange({ ...filters, q }, options)}
        />
      </div>
      {(active.length > 0 || filters.q) && (
        <div className="filter-bar__active">
          <span className="visually-hidden">Active filters:</span>
          <ul className="chips">
            {active.map((filter) => {
              const value =
                filter.key === 'source'
                  ? sourceLabel(filter.value)
                  : filter.key === 'label'
                    ? labelName(filter.value)
                    : filterLabel(filter);
              return (
                <li key={`${filter.key}:${filterLabel(filter)}`}>
                  <button
                    type="button"
                    className="chip"
                    aria-label={`Remove filter ${filterName(filter)}: ${value}`}
                    onClick={() => onChange(removeFilter(filters, filter))}
                  >
                    <span className="chip__name">{filterName(filter)}</span>
                    <span className="chip__value">{value}</span>
                    <span aria-hidden="true">✕</span>
                  </button>
                </li>
              );
            })}
            {filters.q && (
              <li>
                <button
                  type="button"
                  className="chip"
                  aria-label={`Remove search ${filters.q}`}
                  onClick={() => onChange({ ...filters, q: '' })}
                >
                  <span className="chip__name">search</span>
                  <span className="chip__value">{filters.q}</span>
                  <span aria-hidden="true">✕</span>
                </button>
              </li>
            )}
          </ul>
          {hasActiveFilters(filters) && (
            <Button variant="ghost" size="sm" onClick={() => onChange(clearFilters(filters))}>
              Clear filters
            </Button>
          )}
        </div>
      )}
    </section>
  );
}

function withRange(filters: LogFilters, range: TimeRange): LogFilters {
  if (range !== 'custom') return { ...filters, range, from: '', to: '' };
  const now = Date.now();
  const preset = TIME_RANGES.find((option) => option.value === filters.range);
  const span = preset && 'ms' in preset && preset.ms ? preset.ms : 24 * 3_600_000;
  return {
    ...filters,
    range,
    from: filters.from || new Date(now - span).toISOString(),
    to: filters.to || '',
  };
}

/**
 * The search box: a search runs after a pause in typing, or at once on Enter, and the URL follows without a history
 * entry per keystroke (see searchUpdate). Below it, a status line says while a search runs, then when it ran and how
 * far back it read.
 */
function SearchField({
  applied,
  progress,
  onSearch,
}: {
  applied: string;
  progress: SearchProgress;
  onSearch: (q: string, options: NavigateOptions) => void;
}) {
  const id = useId();
  const [text, setText] = useState(applied);
  const timer = useRef<number | undefined>(undefined);
  // The last search this box put in the URL, and whether its current run of typing has added a history entry.
  const sent = useRef(applied);
  const entryAdded = useRef(false);

  // The URL's search changed other than from this box (a chip removed, Clear filters, Back): the box follows it.
  useEffect(() => {
    if (applied === sent.current) return;
    window.clearTimeout(timer.current);
    sent.current = applied;
    entryAdded.current = false;
    setText(applied);
  }, [applied]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const request = (value: string, via: 'typing' | 'enter') => {
    window.clearTimeout(timer.current);
    const update = searchUpdate(value, sent.current, via, entryAdded.current);
    if (!update.apply) return;
    const run = () => {
      sent.current = update.q;
      entryAdded.current = true;
      onSearch(update.q, { replace: update.replace });
    };
    if (update.delayMs === 0) run();
    else timer.current = window.setTimeout(run, update.delayMs);
  };

  const status = describeSearch(progress, {
    time: (ms) => formatTimestamp(new Date(ms).toISOString()),
    dateTime: formatDateTime,
  });
  const busy = progress.q !== '' && (progress.searching || progress.searchingFurther);

  return (
    <form
      className="field filter-bar__search"
      onSubmit={(event) => {
        event.preventDefault();
        request(text, 'enter');
        entryAdded.current = false;
      }}
    >
      <label className="field__label" htmlFor={id}>
        Search
      </label>
      <input
        id={id}
        className="field__input"
        type="search"
        value={text}
        placeholder="Text in inputs, output or error"
        title={`Searches ${SEARCH_DEBOUNCE_MS} ms after you stop typing, or at once on Enter`}
        maxLength={200}
        aria-describedby={`${id}-status`}
        onChange={(event) => {
          setText(event.target.value);
          request(event.target.value, 'typing');
        }}
        onBlur={() => {
          entryAdded.current = false;
        }}
      />
      <p id={`${id}-status`} role="status" className="search-status">
        {busy && <span className="spinner spinner--muted" aria-hidden="true" />}
        {status}
      </p>
    </form>
  );
}

const SUGGESTED_FIELDS = {
  model: { label: 'Model', placeholder: 'e.g. gpt-4o-mini', hint: 'Pick a model seen, or type one, then Enter' },
  tag: { label: 'Tag', placeholder: 'e.g. beta', hint: 'Pick a tag seen, or type one, then Enter' },
} as const satisfies Record<SuggestionField, { label: string; placeholder: string; hint: string }>;

/** The Model or Tag field, offering the values this prompt's rollups have seen that start with what is typed. */
function SuggestedField({
  field,
  projectId,
  promptId,
  seen = [],
  onAdd,
}: {
  field: SuggestionField;
  projectId: string;
  promptId: string;
  /** Values on screen already (the loaded rows' models), offered even before the rollups answer. */
  seen?: readonly string[];
  onAdd: (value: string) => void;
}) {
  const [text, setText] = useState('');
  const prefix = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const { data } = useQuery(suggestionsQuery(projectId, promptId, field, prefix));
  const typed = text.trim().toLowerCase();
  const suggestions = [
    ...new Set([
      ...(data?.items.map((item) => item.value) ?? []),
      ...seen.filter((value) => value.toLowerCase().startsWith(typed)),
    ]),
  ].slice(0, SUGGESTION_LIMIT);
  return <AddValueField {...SUGGESTED_FIELDS[field]} suggestions={suggestions} onTextChange={setText} onAdd={onAdd} />;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const handle = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(handle);
  }, [value, delayMs]);
  return settled;
}

type AddValueFieldProps = {
  label: string;
  placeholder: string;
  hint?: string;
  /** Values offered as the text is typed; picking one fills the field, Enter adds it. */
  suggestions?: readonly string[];
  validate?: (text: string) => string | undefined;
  onTextChange?: (text: string) => void;
  onAdd: (value: string) => void;
};

function AddValueField({ label, placeholder, hint, suggestions, validate, onTextChange, onAdd }: AddValueFieldProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const edit = (value: string) => {
    setText(value);
    onTextChange?.(value);
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    const problem = validate?.(value);
    setError(problem);
    if (problem) return;
    onAdd(value);
    edit('');
  };

  return (
    <form className={error ? 'field field--invalid' : 'field'} onSubmit={onSubmit}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        type="text"
        value={text}
        placeholder={placeholder}
        title={hint}
        autoComplete="off"
        // With a list the input is a combobox whose options the browser filters and the keyboard picks from.
        list={suggestions ? `${id}-suggestions` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          edit(event.target.value);
          setError(undefined);
        }}
      />
      {suggestions && (
        <datalist id={`${id}-suggestions`}>
          {suggestions.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </form>
  );
}
