import { DateTimeField } from '../../components/date-time-field';
import { MultiSelect } from '../../components/multi-select';
import { SelectField, type SelectOption } from '../../components/select-field';
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

const intervalOptions = (auto: Interval): SelectOption<IntervalChoice>[] => [
  { value: 'auto', label: `Auto (${auto === 'hour' ? 'hourly' : 'daily'})` },
  { value: 'hour', label: 'Hourly' },
  { value: 'day', label: 'Daily' },
];

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
        <SelectField label="Time window" value={view.range} options={ANALYTICS_RANGES} onChange={setRange} />
        {view.range === 'custom' && (
          <>
            <DateTimeField label="From" value={view.from} onChange={(from) => onChange({ ...view, from })} />
            <DateTimeField label="To" value={view.to} onChange={(to) => onChange({ ...view, to })} />
          </>
        )}
        {showInterval && (
          <SelectField
            label="Buckets"
            value={view.interval}
            options={intervalOptions(interval)}
            onChange={(choice) => onChange({ ...view, interval: choice })}
          />
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
