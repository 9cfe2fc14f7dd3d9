import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/button';
import { DateTimeField } from '../../components/date-time-field';
import { MultiSelect } from '../../components/multi-select';
import { SOURCE_LABELS, sourceLabel } from './columns';
import { filterLabel, filterName } from './filter-action';
import {
  activeFilters,
  addFilter,
  clearFilters,
  hasActiveFilters,
  type LogFilters,
  parseMetaInput,
  removeFilter,
  SOURCES,
  STATUSES,
  TIME_RANGES,
  type TimeRange,
} from './filters';

type FilterBarProps = {
  filters: LogFilters;
  versions: readonly number[];
  /** Models seen in the loaded rows, offered as suggestions. */
  models?: readonly string[];
  onChange: (filters: LogFilters) => void;
};

const statusOptions = STATUSES.map((value) => ({ value, label: value }));
const sourceOptions = SOURCES.map((value) => ({ value, label: SOURCE_LABELS[value] }));

export function FilterBar({ filters, versions, models = [], onChange }: FilterBarProps) {
  const rangeId = useId();
  const versionOptions = [...new Set([...versions.map(String), ...filters.version])]
    .sort((a, b) => Number(b) - Number(a))
    .map((value) => ({ value, label: `v${value}` }));
  const active = activeFilters(filters);

  return (
    <section className="filter-bar" aria-label="Filters">
      <div className="filter-bar__controls">
        <div className="field">
          <label className="field__label" htmlFor={rangeId}>
            Time range
          </label>
          <select
            id={rangeId}
            className="field__input"
            value={filters.range}
            onChange={(event) => {
              const range = TIME_RANGES.find((option) => option.value === event.target.value)?.value ?? '7d';
              onChange(withRange(filters, range));
            }}
          >
            {TIME_RANGES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
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
        <AddValueField
          label="Model"
          placeholder="e.g. gpt-4o-mini"
          suggestions={models}
          onAdd={(value) => onChange(addFilter(filters, { key: 'model', value }))}
        />
        <AddValueField
          label="Tag"
          placeholder="e.g. beta"
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
        <AddValueField
          className="filter-bar__search"
          label="Search"
          placeholder="Text in inputs, output or error"
          initial={filters.q}
          keepValue
          onAdd={(q) => onChange({ ...filters, q })}
        />
      </div>
      {(active.length > 0 || filters.q) && (
        <div className="filter-bar__active">
          <span className="visually-hidden">Active filters:</span>
          <ul className="chips">
            {active.map((filter) => (
              <li key={`${filter.key}:${filterLabel(filter)}`}>
                <button
                  type="button"
                  className="chip"
                  aria-label={`Remove filter ${filterName(filter)}: ${filterLabel(filter)}`}
                  onClick={() => onChange(removeFilter(filters, filter))}
                >
                  <span className="chip__name">{filterName(filter)}</span>
                  <span className="chip__value">
                    {filter.key === 'source' ? sourceLabel(filter.value) : filterLabel(filter)}
                  </span>
                  <span aria-hidden="true">✕</span>
                </button>
              </li>
            ))}
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

type AddValueFieldProps = {
  label: string;
  className?: string;
  placeholder: string;
  hint?: string;
  initial?: string;
  suggestions?: readonly string[];
  /** Keeps the text after Enter (search) instead of clearing it (values that become chips). */
  keepValue?: boolean;
  validate?: (text: string) => string | undefined;
  onAdd: (value: string) => void;
};

function AddValueField({
  label,
  className,
  placeholder,
  hint,
  initial = '',
  keepValue,
  suggestions = [],
  validate,
  onAdd,
}: AddValueFieldProps) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string>();
  const [lastInitial, setLastInitial] = useState(initial);
  if (initial !== lastInitial) {
    setLastInitial(initial);
    setText(initial);
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = text.trim();
    if (!value && !keepValue) return;
    const problem = value ? validate?.(value) : undefined;
    setError(problem);
    if (problem) return;
    onAdd(value);
    if (!keepValue) setText('');
  };

  return (
    <form
      className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}
      onSubmit={onSubmit}
    >
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        type={keepValue ? 'search' : 'text'}
        value={text}
        placeholder={placeholder}
        title={hint}
        list={suggestions.length > 0 ? `${id}-suggestions` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setError(undefined);
        }}
      />
      {suggestions.length > 0 && (
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
