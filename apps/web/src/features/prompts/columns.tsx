import type { PromptSummary } from '@promptlog/contracts';
import { createContext, useCallback, useContext } from 'react';
import type { DataTableColumn } from '../../components/data-table';
import {
  formatCost,
  formatCount,
  formatDateTime,
  formatLatency,
  formatPercent,
  formatRelativeTime,
} from '../../lib/format';
import { Link } from '../../lib/router';
import { promptPath } from './api';
import { DEFAULT_VIEW, type PromptSortKey, type SortOrder } from './prompt-list';
import { Sparkline } from './sparkline-chart';

type Column = DataTableColumn<PromptSummary>;

/** The list's current sort and what a header press does, for the headers the module-level columns render. */
export const PromptSortContext = createContext<{
  sort: PromptSortKey;
  order: SortOrder;
  onSort: (key: PromptSortKey) => void;
}>({ ...DEFAULT_VIEW, onSort: () => undefined });

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * A header that sorts by its column. aria-sort belongs on the header cell, which the shared table renders; the
 * button sets it there, on the sorted column only.
 */
function SortHeader({ sortKey, label }: { sortKey: PromptSortKey; label: string }) {
  const { sort, order, onSort } = useContext(PromptSortContext);
  const ariaSort = sort === sortKey ? ARIA_SORT[order] : null;
  const markHeaderCell = useCallback(
    (button: HTMLButtonElement | null) => {
      const cell = button?.closest('th');
      if (!cell || !ariaSort) return;
      cell.setAttribute('aria-sort', ariaSort);
      return () => cell.removeAttribute('aria-sort');
    },
    [ariaSort],
  );
  return (
    <button
      ref={markHeaderCell}
      type="button"
      className={ariaSort ? 'sort-header sort-header--active' : 'sort-header'}
      onClick={() => onSort(sortKey)}
    >
      {label}
      <span className="sort-header__arrow" aria-hidden="true">
        {ariaSort === 'ascending' ? '↑' : ariaSort === 'descending' ? '↓' : '↕'}
      </span>
    </button>
  );
}

function versionsText(versions: readonly number[]): string {
  if (versions.length === 0) return '—';
  const sorted = [...versions].sort((a, b) => b - a);
  const shown = sorted.slice(0, 3).map((version) => `v${version}`);
  return sorted.length > 3 ? `${shown.join(', ')} +${sorted.length - 3}` : shown.join(', ');
}

/** The exact cost of the last 24 hours, and the runs left out of it for want of a price. */
export function costTitle(prompt: PromptSummary): string | undefined {
  const { costUsd24h, unpricedRuns24h } = prompt;
  const unpriced = unpricedRuns24h === 1 ? '1 run' : `${formatCount(unpricedRuns24h)} runs`;
  if (costUsd24h === null) return unpricedRuns24h > 0 ? `No known price: ${unpriced}` : 'No runs in the last 24 hours';
  const exact = `$${costUsd24h}`;
  return unpricedRuns24h > 0 ? `${exact}, not counting ${unpriced} with no known price` : exact;
}

export const promptColumns: Column[] = [
  {
    id: 'prompt',
    header: () => <SortHeader sortKey="name" label="Prompt" />,
    meta: { width: '20%' },
    cell: ({ row }) => (
      <Link to={promptPath(row.original.id)} className="cell-link cell-link--strong" title={row.original.id}>
        {row.original.id}
      </Link>
    ),
  },
  {
    id: 'lastRun',
    header: () => <SortHeader sortKey="lastRun" label="Last run" />,
    meta: { width: '10%' },
    cell: ({ row }) =>
      row.original.lastRunAt ? (
        <time dateTime={row.original.lastRunAt} title={formatDateTime(row.original.lastRunAt)}>
          {formatRelativeTime(row.original.lastRunAt)}
        </time>
      ) : (
        <span className="muted">never</span>
      ),
  },
  {
    id: 'runs24h',
    header: () => <SortHeader sortKey="runs" label="Runs (24h)" />,
    meta: { width: '9%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatCount(row.original.runs24h)}</span>,
  },
  {
    id: 'hourlyRuns24h',
    header: 'Runs per hour',
    meta: { width: '12%' },
    cell: ({ row }) => <Sparkline runs={row.original.hourlyRuns24h.runs} from={row.original.hourlyRuns24h.from} />,
  },
  {
    id: 'errorRate24h',
    header: () => <SortHeader sortKey="errorRate" label="Error rate (24h)" />,
    meta: { width: '13%', align: 'end' },
    cell: ({ row }) => {
      const { errorRate24h, errors24h } = row.original;
      return (
        <span
          className={errorRate24h && errorRate24h > 0 ? 'numeric error-rate error-rate--some' : 'numeric error-rate'}
          title={errorRate24h === null ? 'No runs in the last 24 hours' : `${formatCount(errors24h)} errors`}
        >
          {formatPercent(errorRate24h)}
        </span>
      );
    },
  },
  {
    id: 'costUsd24h',
    header: () => <SortHeader sortKey="cost" label="Cost (24h)" />,
    meta: { width: '10%', align: 'end' },
    cell: ({ row }) => {
      const { costUsd24h, runs24h } = row.original;
      return (
        <span className={costUsd24h === null ? 'numeric muted' : 'numeric'} title={costTitle(row.original)}>
          {costUsd24h === null && runs24h === 0 ? '—' : formatCost(costUsd24h)}
        </span>
      );
    },
  },
  {
    id: 'p95LatencyMs24h',
    header: () => <SortHeader sortKey="p95" label="p95 latency (24h)" />,
    meta: { width: '14%', align: 'end' },
    cell: ({ row }) => (
      <span className={row.original.p95LatencyMs24h === null ? 'numeric muted' : 'numeric'}>
        {formatLatency(row.original.p95LatencyMs24h)}
      </span>
    ),
  },
  {
    id: 'versions',
    header: 'Versions',
    meta: { width: '12%' },
    cell: ({ row }) => (
      <span title={row.original.versions.map((version) => `v${version}`).join(', ')}>
        {versionsText(row.original.versions)}
      </span>
    ),
  },
];
