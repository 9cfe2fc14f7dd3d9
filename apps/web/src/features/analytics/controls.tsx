import { useId } from 'react';
import { DateTimeField } from '../../components/date-time-field';
import { MultiSelect } from '../../components/multi-select';
import type { SearchPatch } from '../../lib/router';
import { SOURCE_LABELS } from '../logs/columns';
import { SOURCES, STATUSES } from '../logs/filters';
import {
  ANALYTICS_RANGES,
  type AnalyticsRange,
  type AnalyticsView,
  type Interval,
  type IntervalChoice,
} from './window';

const statusOptions = STATUSES.map((value) => ({ value, label: value }));
const sourceOptions = SOURCES.map((value) => ({ value, label: SOURCE_LABELS[value] }));

/** The URL patch for a changed view; the Logs tab reads the same keys. */
export function viewPatch(view: AnalyticsView): SearchPatch {
  return {
    range: view.range === '7d' ? null : view.range,
    from: view.range === 'custom' ? view.from || null : null,
    to: view.range === 'custom' ? view.to || null : null,
    source: view.source,
    status: view.status,
    version: view.version,
    interval: view.interval === 'auto' ? null : view.interval,
  };
}

type ControlsProps = {
  view: AnalyticsView;
  /** The buckets auto resolves to, shown in the Buckets select. */
  interval: Interval;
  versions?: readonly number[];
  /** The dashboard draws calls per day whatever the window, so it has no bucket choice. */
  showInterval?: boolean;
  onChange: (view: AnalyticsView) => void;
};

export function AnalyticsControls({ view, interval, versions, showInterval = true, onChange }: ControlsProps) {
  const rangeId = useId();
  const intervalId = useId();
  const versionOptions = versions
    ? [...new Set([...versions.map(String), ...view.version])]
        .sort((a, b) => Number(b) - Number(a))
        .map((value) => ({ value, label: `v${value}` }))
    : null;

  const setRange = (range: AnalyticsRange) => {
    if (range !== 'custom') return onChange({ ...view, range, from: '', to: '' });
    const preset = ANALYTICS_RANGES.find((option) => option.value === view.range);
    const span = preset?.ms ?? 24 * 3_600_000;
    const now = Date.now();
    onChange({
      ...view,
      range,
      from: view.from || new Date(now - span).toISOString(),
      to: view.to || new Date(now).toISOString(),
    });
  };

  return (
    <section className="filter-bar" aria-label="Analytics filters">
      <div className="filter-bar__controls">
        <div className="field">
          <label className="field__label" htmlFor={rangeId}>
            Time window
          </label>
          <select
            id={rangeId}
            className="field__input"
            value={view.range}
            onChange={(event) =>
              setRange(ANALYTICS_RANGES.find((option) => option.value === event.target.value)?.value ?? '7d')
            }
          >
            {ANALYTICS_RANGES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        {view.range === 'custom' && (
          <>
            <DateTimeField label="From" value={view.from} onChange={(from) => onChange({ ...view, from })} />
            <DateTimeField label="To" value={view.to} onChange={(to) => onChange({ ...view, to })} />
          </>
        )}
        {showInterval && (
          <div className="field">
            <label className="field__label" htmlFor={intervalId}>
              Buckets
            </label>
            <select
              id={intervalId}
              className="field__input"
              value={view.interval}
              onChange={(event) => {
                const value = event.target.value as IntervalChoice;
                onChange({ ...view, interval: value === 'hour' || value === 'day' ? value : 'auto' });
              }}
            >
              <option value="auto">Auto ({interval === 'hour' ? 'hourly' : 'daily'})</option>
              <option value="hour">Hourly</option>
              <option value="day">Daily</option>
            </select>
          </div>
        )}
        <MultiSelect
          label="Source"
          options={sourceOptions}
          selected={view.source}
          onChange={(source) => onChange({ ...view, source })}
        />
        <MultiSelect
          label="Status"
          options={statusOptions}
          selected={view.status}
          onChange={(status) => onChange({ ...view, status })}
        />
        {versionOptions && (
          <MultiSelect
            label="Version"
            options={versionOptions}
            selected={view.version}
            emptyText="No versions logged yet"
            onChange={(version) => onChange({ ...view, version })}
          />
        )}
      </div>
    </section>
  );
}
