import type { ConversationSummary } from '@promptlog/contracts';
import type { DataTableColumn } from '../../components/data-table';
import { formatCost, formatCount, formatDateTime, formatLatency, formatRelativeTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { conversationPath } from './api';

type Column = DataTableColumn<ConversationSummary>;

/** The exact cost, and what it leaves out: unpriced calls are named, never counted as $0. */
export function costTitle({ costUsd, unpricedCalls }: ConversationSummary): string {
  const unpriced = unpricedCalls === 1 ? '1 call' : `${formatCount(unpricedCalls)} calls`;
  if (costUsd === null) return `No known price: ${unpriced}`;
  return unpricedCalls > 0 ? `$${costUsd}, not counting ${unpriced} with no known price` : `$${costUsd}`;
}

export function usersText({ users, usersTruncated }: ConversationSummary): string {
  if (users.length === 0) return '—';
  const shown = users.slice(0, 2).join(', ');
  const more = users.length - 2;
  if (usersTruncated) return `${shown} +${Math.max(more, 0)} and more`;
  return more > 0 ? `${shown} +${more}` : shown;
}

export const conversationColumns: Column[] = [
  {
    id: 'conversation',
    header: 'Conversation',
    meta: { width: '24%' },
    cell: ({ row }) => (
      <Link to={conversationPath(row.original.id)} className="cell-link cell-link--strong" title={row.original.id}>
        {row.original.id}
      </Link>
    ),
  },
  {
    id: 'lastAt',
    header: 'Last activity',
    meta: { width: '12%' },
    cell: ({ row }) => (
      <time dateTime={row.original.lastAt} title={formatDateTime(row.original.lastAt)}>
        {formatRelativeTime(row.original.lastAt)}
      </time>
    ),
  },
  {
    id: 'calls',
    header: 'Calls',
    meta: { width: '7%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatCount(row.original.calls)}</span>,
  },
  {
    id: 'errors',
    header: 'Errors',
    meta: { width: '7%', align: 'end' },
    cell: ({ row }) => (
      <span className={row.original.errors > 0 ? 'numeric error-rate error-rate--some' : 'numeric'}>
        {formatCount(row.original.errors)}
      </span>
    ),
  },
  {
    id: 'cost',
    header: 'Cost',
    meta: { width: '10%', align: 'end' },
    cell: ({ row }) => (
      <span className="numeric" title={costTitle(row.original)}>
        {row.original.costUsd === null ? '—' : formatCost(row.original.costUsd)}
        {row.original.costUsd !== null && row.original.unpricedCalls > 0 && '*'}
      </span>
    ),
  },
  {
    id: 'tokens',
    header: 'Tokens in / out',
    meta: { width: '13%', align: 'end' },
    cell: ({ row }) => (
      <span className="numeric">
        {formatCount(row.original.inputTokens)} / {formatCount(row.original.outputTokens)}
      </span>
    ),
  },
  {
    id: 'duration',
    header: 'Duration',
    meta: { width: '9%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatLatency(row.original.durationMs)}</span>,
  },
  {
    id: 'users',
    header: 'Users',
    meta: { width: '18%' },
    cell: ({ row }) => <span title={row.original.users.join(', ')}>{usersText(row.original)}</span>,
  },
];
