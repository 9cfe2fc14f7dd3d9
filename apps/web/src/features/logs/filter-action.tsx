import { OUTPUT_SIGNAL_LABELS, OUTPUT_SIGNALS, REVIEW_RATING_LABELS, REVIEW_RATINGS } from '@promptlog/contracts/rules';
import { createContext, type ReactNode, useContext } from 'react';
import type { FilterValue } from './filters';

const AddFilterContext = createContext<((filter: FilterValue) => void) | null>(null);

export const AddFilterProvider = AddFilterContext.Provider;

export function filterLabel(filter: FilterValue): string {
  if (filter.key === 'meta') return `${filter.value.key}=${filter.value.value}`;
  if (filter.key === 'signal') return signalLabel(filter.value);
  if (filter.key === 'reviewed') return filter.value === 'true' ? 'reviewed' : 'not reviewed';
  if (filter.key === 'rating') {
    const rating = REVIEW_RATINGS.find((known) => known === filter.value);
    return rating ? REVIEW_RATING_LABELS[rating].toLowerCase() : filter.value;
  }
  return filter.value;
}

export function signalLabel(value: string): string {
  const known = OUTPUT_SIGNALS.find((signal) => signal === value);
  return known ? OUTPUT_SIGNAL_LABELS[known] : value;
}

const NAMES: Record<FilterValue['key'], string> = {
  status: 'status',
  source: 'source',
  version: 'version',
  model: 'model',
  tag: 'tag',
  conversation: 'conversation',
  signal: 'signal',
  rating: 'rating',
  label: 'label',
  reviewed: 'review',
  meta: 'metadata',
};

export function filterName(filter: FilterValue): string {
  return NAMES[filter.key];
}

/** A logged value that adds itself as a filter when clicked; plain text where filtering is unavailable. */
export function FilterValueButton({ filter, children }: { filter: FilterValue; children?: ReactNode }) {
  const addFilter = useContext(AddFilterContext);
  const content = children ?? filterLabel(filter);
  if (!addFilter) return <span className="filter-value">{content}</span>;
  return (
    <button
      type="button"
      className="filter-value"
      aria-label={`Filter by ${filterName(filter)}: ${filterLabel(filter)}`}
      title={`Show only ${filterName(filter)} ${filterLabel(filter)}`}
      onClick={() => addFilter(filter)}
    >
      {content}
    </button>
  );
}
