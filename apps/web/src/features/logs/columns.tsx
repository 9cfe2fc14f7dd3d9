import type { ExecutionListItem } from '@promptlog/contracts';
import type { ReactNode, SyntheticEvent } from 'react';
import { type DataTableColumn, ROW_TAP } from '../../components/data-table';
import { StatusBadge } from '../../components/status-badge';
import {
  COST_ORIGIN_LABELS,
  formatCost,
  formatDateTime,
  formatLatency,
  formatTimestamp,
  formatTokens,
} from '../../lib/format';
import { safeHref } from '../../lib/markdown';
import { FilterValueButton, signalLabel } from './filter-action';
import { SOURCES } from './filters';

type Column = DataTableColumn<ExecutionListItem>;

export const SOURCE_LABELS: Record<ExecutionListItem['source']['type'], string> = {
  chat: 'chat',
  workflow: 'workflow',
  api: 'api',
  playground: 'playground',
  project_tool: 'project tool',
  mcp: 'mcp',
};

export function sourceLabel(value: string): string {
  const known = SOURCES.find((source) => source === value);
  return known ? SOURCE_LABELS[known] : value;
}

/** A value in a row that filters when used; on a touch screen a tap on it opens the row instead (see ROW_TAP). */
function RowValue({ children }: { children: ReactNode }) {
  return <span {...ROW_TAP}>{children}</span>;
}

/**
 * A control whose text ends with an ellipsis when its column is too narrow, and shows whole over the next columns on
 * hover and on keyboard focus. The overlay is for the eyes only: the control's accessible name holds the full text.
 */
function Clipped({ text, variant, children }: { text: string; variant: 'value' | 'link'; children: ReactNode }) {
  // Measured when about to show, so a text that fits gets no overlay and no row pays for a layout on render.
  const measure = (event: SyntheticEvent<HTMLSpanElement>) => {
    const shown = event.currentTarget.querySelector('.clip__text');
    const clipped = shown instanceof HTMLElement && shown.scrollWidth > shown.clientWidth;
    event.currentTarget.toggleAttribute('data-clipped', clipped);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: it only measures its text for the overlay; the control inside is what is used
    <span className={`clip clip--${variant}`} {...ROW_TAP} onPointerEnter={measure} onFocus={measure}>
      {children}
      <span className="clip__full" aria-hidden="true">
        {text}
      </span>
    </span>
  );
}

/** Signals the model's answer raised are problems; truncation and emptiness are warnings. */
export const SIGNAL_TONE: Record<ExecutionListItem['signals'][number], 'error' | 'pending'> = {
  refusal: 'error',
  json_invalid: 'error',
  injection: 'error',
  truncated: 'pending',
  empty: 'pending',
};

/** The output signals of an execution as chips, each filtering the list by itself when used. */
export function SignalChips({ signals }: { signals: ExecutionListItem['signals'] }) {
  if (signals.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="signal-list" aria-label="Signals">
      {signals.map((signal) => (
        <li key={signal}>
          <FilterValueButton filter={{ key: 'signal', value: signal }}>
            <span className={`badge badge--${SIGNAL_TONE[signal]}`}>{signalLabel(signal)}</span>
          </FilterValueButton>
        </li>
      ))}
    </ul>
  );
}

export const executionColumns: Column[] = [
  {
    id: 'timestamp',
    header: 'Timestamp',
    meta: { width: '9.5rem', sortKey: 'time' },
    cell: ({ row }) => (
      <time dateTime={row.original.startedAt} title={formatDateTime(row.original.startedAt)}>
        {formatTimestamp(row.original.startedAt)}
      </time>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    meta: { width: '8rem' },
    cell: ({ row }) => (
      <RowValue>
        <FilterValueButton filter={{ key: 'status', value: row.original.status }}>
          <StatusBadge status={row.original.status} title={row.original.errorType ?? undefined} />
        </FilterValueButton>
      </RowValue>
    ),
  },
  {
    id: 'signals',
    header: 'Signals',
    meta: { width: '10rem' },
    cell: ({ row }) => (
      <RowValue>
        <SignalChips signals={row.original.signals} />
      </RowValue>
    ),
  },
  {
    id: 'model',
    header: 'Model',
    meta: { width: '13rem' },
    cell: ({ row }) => (
      <Clipped text={row.original.model} variant="value">
        <FilterValueButton filter={{ key: 'model', value: row.original.model }}>
          <span className="clip__text">{row.original.model}</span>
        </FilterValueButton>
      </Clipped>
    ),
  },
  {
    id: 'source',
    header: 'Source',
    meta: { width: '8.5rem' },
    cell: ({ row }) => (
      <RowValue>
        <FilterValueButton filter={{ key: 'source', value: row.original.source.type }}>
          {SOURCE_LABELS[row.original.source.type]}
        </FilterValueButton>
      </RowValue>
    ),
  },
  {
    id: 'sourceLink',
    header: 'Source link',
    meta: { width: '9rem' },
    cell: ({ row }) => {
      const { url, id, type } = row.original.source;
      // The API stores any URL; only an http(s) one becomes a link, so a logged javascript: or data: URL stays text.
      const href = url ? safeHref(url) : null;
      if (!url || !href) {
        return (
          <span className="muted" title={url ?? undefined}>
            {id ?? '—'}
          </span>
        );
      }
      return (
        <Clipped text={id ?? 'Open'} variant="link">
          <a className="cell-link" href={href} target="_blank" rel="noopener noreferrer" title={url}>
            <span className="clip__text">{id ?? 'Open'}</span>
            <span className="visually-hidden"> — open the {SOURCE_LABELS[type]} source in a new tab</span>
            <span aria-hidden="true"> ↗</span>
          </a>
        </Clipped>
      );
    },
  },
  {
    id: 'version',
    header: 'Version',
    meta: { width: '5.5rem' },
    cell: ({ row }) =>
      row.original.promptVersion === null ? (
        <span className="muted">—</span>
      ) : (
        <RowValue>
          <FilterValueButton filter={{ key: 'version', value: String(row.original.promptVersion) }}>
            v{row.original.promptVersion}
          </FilterValueButton>
        </RowValue>
      ),
  },
  {
    id: 'tokens',
    header: 'Tokens (in / out)',
    meta: { width: '9.5rem', align: 'end', sortKey: 'tokens' },
    cell: ({ row }) => (
      <span className="numeric">{formatTokens(row.original.inputTokens, row.original.outputTokens)}</span>
    ),
  },
  {
    id: 'cost',
    header: 'Cost',
    meta: { width: '7rem', align: 'end', sortKey: 'cost' },
    cell: ({ row }) => {
      const { costUsd, costOrigin } = row.original;
      const text = formatCost(costUsd, costOrigin);
      return (
        <span
          className={costUsd === null ? 'numeric muted' : 'numeric'}
          title={costUsd === null ? COST_ORIGIN_LABELS[costOrigin] : `$${costUsd} — ${COST_ORIGIN_LABELS[costOrigin]}`}
        >
          {text}
        </span>
      );
    },
  },
  {
    id: 'latency',
    header: 'Latency',
    meta: { width: '6.5rem', align: 'end', sortKey: 'latency' },
    cell: ({ row }) => <span className="numeric">{formatLatency(row.original.latencyMs)}</span>,
  },
];

/** The columns the picker offers, in table order, named as their headers. */
export const EXECUTION_COLUMN_CHOICES = executionColumns.map((column) => ({
  id: column.id ?? '',
  label: typeof column.header === 'string' ? column.header : (column.id ?? ''),
}));
export const EXECUTION_COLUMN_IDS = EXECUTION_COLUMN_CHOICES.map((column) => column.id);
