import type { PromptSummary } from '@promptlog/contracts';
import type { DataTableColumn } from '../../components/data-table';
import { formatCount, formatDateTime, formatPercent, formatRelativeTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { promptPath } from './api';

type Column = DataTableColumn<PromptSummary>;

function versionsText(versions: readonly number[]): string {
  if (versions.length === 0) return '—';
  const sorted = [...versions].sort((a, b) => b - a);
  const shown = sorted.slice(0, 3).map((version) => `v${version}`);
  return sorted.length > 3 ? `${shown.join(', ')} +${sorted.length - 3}` : shown.join(', ');
}

export const promptColumns: Column[] = [
  {
    id: 'prompt',
    header: 'Prompt',
    meta: { width: '40%' },
    cell: ({ row }) => (
      <Link to={promptPath(row.original.id)} className="cell-link cell-link--strong" title={row.original.id}>
        {row.original.id}
      </Link>
    ),
  },
  {
    id: 'lastRun',
    header: 'Last run',
    meta: { width: '15%' },
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
    header: 'Runs (24h)',
    meta: { width: '13%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatCount(row.original.runs24h)}</span>,
  },
  {
    id: 'errorRate24h',
    header: 'Error rate (24h)',
    meta: { width: '15%', align: 'end' },
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
    id: 'versions',
    header: 'Versions',
    meta: { width: '17%' },
    cell: ({ row }) => (
      <span title={row.original.versions.map((version) => `v${version}`).join(', ')}>
        {versionsText(row.original.versions)}
      </span>
    ),
  },
];
