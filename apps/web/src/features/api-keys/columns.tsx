import type { ApiKeySummary } from '@promptlog/contracts';
import { createContext, useContext } from 'react';
import { Button } from '../../components/button';
import type { DataTableColumn } from '../../components/data-table';
import { formatDate, formatDateTime, formatRelativeTime } from '../../lib/format';
import { keyStatus, scopesLabel } from './format';

type Column = DataTableColumn<ApiKeySummary>;

/** The time statuses are judged against, and the revoke action the table's rows offer. */
export const ApiKeyActionsContext = createContext<{ now: number; askRevoke: (key: ApiKeySummary) => void } | null>(
  null,
);

function useApiKeyActions() {
  const actions = useContext(ApiKeyActionsContext);
  if (!actions) throw new Error('useApiKeyActions must be used inside <ApiKeyActionsContext>');
  return actions;
}

function When({ iso, relative = false }: { iso: string | null; relative?: boolean }) {
  if (!iso) return <span className="muted">{relative ? 'never' : '—'}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {relative ? formatRelativeTime(iso) : formatDate(iso)}
    </time>
  );
}

function StatusCell({ apiKey }: { apiKey: ApiKeySummary }) {
  const { now } = useApiKeyActions();
  const status = keyStatus(apiKey, now);
  const title =
    status === 'revoked' && apiKey.revokedAt
      ? `Revoked ${formatDateTime(apiKey.revokedAt)}`
      : status === 'expired' && apiKey.expiresAt
        ? `Expired ${formatDateTime(apiKey.expiresAt)}`
        : undefined;
  return (
    <span className={`status-tag status-tag--${status}`} title={title}>
      {status}
    </span>
  );
}

function RevokeCell({ apiKey }: { apiKey: ApiKeySummary }) {
  const { askRevoke } = useApiKeyActions();
  if (apiKey.revokedAt) return null;
  return (
    <Button variant="ghost" size="sm" className="button--danger-text" onClick={() => askRevoke(apiKey)}>
      Revoke<span className="visually-hidden"> {apiKey.label}</span>
    </Button>
  );
}

export const apiKeyColumns: Column[] = [
  {
    id: 'label',
    header: 'Label',
    meta: { width: '18%' },
    cell: ({ row }) => (
      <span className="cell-strong" title={row.original.label}>
        {row.original.label}
      </span>
    ),
  },
  { id: 'scopes', header: 'Scopes', meta: { width: '9rem' }, cell: ({ row }) => scopesLabel(row.original.scopes) },
  {
    id: 'prefix',
    header: 'Key',
    meta: { width: '9rem' },
    cell: ({ row }) => (
      <code className="key-prefix" title="The first characters of the key">
        {row.original.prefix}…
      </code>
    ),
  },
  {
    id: 'createdBy',
    header: 'Created by',
    meta: { width: '15%' },
    cell: ({ row }) =>
      row.original.createdBy ? (
        <span title={row.original.createdBy}>{row.original.createdBy}</span>
      ) : (
        <span className="muted">—</span>
      ),
  },
  {
    id: 'created',
    header: 'Created',
    meta: { width: '8rem' },
    cell: ({ row }) => <When iso={row.original.createdAt} />,
  },
  {
    id: 'lastUsed',
    header: 'Last used',
    meta: { width: '8rem' },
    cell: ({ row }) => <When iso={row.original.lastUsedAt} relative />,
  },
  {
    id: 'expires',
    header: 'Expires',
    meta: { width: '8rem' },
    cell: ({ row }) => (row.original.expiresAt ? <When iso={row.original.expiresAt} /> : <span>never</span>),
  },
  { id: 'status', header: 'Status', meta: { width: '7rem' }, cell: ({ row }) => <StatusCell apiKey={row.original} /> },
  {
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    meta: { width: '7rem', align: 'end' },
    cell: ({ row }) => <RevokeCell apiKey={row.original} />,
  },
];
