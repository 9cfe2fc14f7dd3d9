import type { BreakdownItem } from '@promptlog/contracts';
import { createContext, use } from 'react';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { formatCount, formatLatency, formatPercent } from '../../lib/format';
import { costText, FIELD_SORTS, type FieldSort, NO_FIELD, sortFieldRows } from './prepare';

type Sort = { sort: FieldSort; order: 'asc' | 'desc'; onSort: (sort: FieldSort) => void };
const SortContext = createContext<Sort | null>(null);

export function parseFieldSort(search: URLSearchParams): { sort: FieldSort; order: 'asc' | 'desc' } {
  const sort = search.get('fieldSort');
  return {
    sort: (FIELD_SORTS as readonly string[]).includes(sort ?? '') ? (sort as FieldSort) : 'calls',
    order: search.get('fieldOrder') === 'asc' ? 'asc' : 'desc',
  };
}

function SortHeader({ column, label }: { column: FieldSort; label: string }) {
  const sort = use(SortContext);
  const active = sort?.sort === column;
  const arrow = active ? (sort.order === 'asc' ? '▲' : '▼') : '';
  return (
    <button
      type="button"
      className="sort-header"
      aria-label={`${label}${active ? `, sorted ${sort.order === 'asc' ? 'ascending' : 'descending'}` : ''}. Sort by ${label}`}
      onClick={() => sort?.onSort(column)}
    >
      {label}
      <span aria-hidden="true" className="sort-header__arrow">
        {arrow}
      </span>
    </button>
  );
}

const getRowId = (item: BreakdownItem) => item.key ?? '\u0000none';

const fieldColumns: DataTableColumn<BreakdownItem>[] = [
  {
    id: 'field',
    header: () => <SortHeader column="field" label="Field" />,
    meta: { width: '18%' },
    cell: ({ row }) => (
      <span className="field-name">
        {row.original.key ?? <span className="muted">{NO_FIELD}</span>}
        {row.original.thinkingCalls > 0 && (
          <span
            className="thinking-marker"
            title={`${formatCount(row.original.thinkingCalls)} of ${formatCount(row.original.calls)} calls recorded thinking`}
          >
            <span aria-hidden="true">◆</span> thinking
          </span>
        )}
      </span>
    ),
  },
  {
    id: 'models',
    header: 'Model(s)',
    meta: { width: '20%' },
    cell: ({ row }) => <span title={row.original.models.join(', ')}>{row.original.models.join(', ') || '—'}</span>,
  },
  {
    id: 'calls',
    header: () => <SortHeader column="calls" label="Calls" />,
    meta: { width: '8%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatCount(row.original.calls)}</span>,
  },
  {
    id: 'tokens',
    header: () => <SortHeader column="totalTokens" label="Tokens" />,
    meta: { width: '10%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatCount(row.original.totalTokens)}</span>,
  },
  {
    id: 'cost',
    header: () => <SortHeader column="costUsd" label="Cost" />,
    meta: { width: '20%', align: 'end' },
    cell: ({ row }) => {
      const cost = costText(row.original);
      return (
        <span className={cost.value === 'unpriced' ? 'numeric muted' : 'numeric'} title={cost.detail ?? undefined}>
          {cost.value}
          {row.original.unpricedCalls > 0 && cost.value !== 'unpriced' && (
            <span className="cell-note"> + {formatCount(row.original.unpricedCalls)} unpriced</span>
          )}
        </span>
      );
    },
  },
  {
    id: 'success',
    header: () => <SortHeader column="successRate" label="Success" />,
    meta: { width: '10%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatPercent(row.original.successRate)}</span>,
  },
  {
    id: 'latency',
    header: () => <SortHeader column="avgLatencyMs" label="Avg latency" />,
    meta: { width: '14%', align: 'end' },
    cell: ({ row }) => <span className="numeric">{formatLatency(row.original.avgLatencyMs)}</span>,
  },
];

type FieldDetailsProps = {
  items: readonly BreakdownItem[];
  sort: FieldSort;
  order: 'asc' | 'desc';
  onSort: (sort: FieldSort, order: 'asc' | 'desc') => void;
  onOpen: (item: BreakdownItem) => void;
};

export function FieldDetailsTable({ items, sort, order, onSort, onOpen }: FieldDetailsProps) {
  const rows = sortFieldRows(items, sort, order);
  const value: Sort = {
    sort,
    order,
    onSort: (next) =>
      onSort(next, next === sort ? (order === 'asc' ? 'desc' : 'asc') : next === 'field' ? 'asc' : 'desc'),
  };
  return (
    <SortContext value={value}>
      <DataTable
        label="Field details"
        columns={fieldColumns}
        data={rows}
        getRowId={getRowId}
        onOpenRow={onOpen}
        maxHeight="28rem"
      />
    </SortContext>
  );
}
