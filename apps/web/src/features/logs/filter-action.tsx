import { createContext, type ReactNode, useContext } from 'react';
import type { FilterValue } from './filters';

const AddFilterContext = createContext<((filter: FilterValue) => void) | null>(null);

export const AddFilterProvider = AddFilterContext.Provider;

export function filterLabel(filter: FilterValue): string {
  return filter.key === 'meta' ? `${filter.value.key}=${filter.value.value}` : filter.value;
}

const NAMES: Record<FilterValue['key'], string> = {
  status: 'status',
  source: 'source',
  version: 'version',
  model: 'model',
  tag: 'tag',
  conversation: 'conversation',
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
