import type { TraceNode } from '@promptlog/contracts';
import { createContext, useContext } from 'react';
import type { DataTableColumn } from '../../components/data-table';
import { StatusBadge } from '../../components/status-badge';
import { COST_ORIGIN_LABELS, formatCost, formatLatency } from '../../lib/format';
import { KIND_LABELS, type Tick, type WaterfallRow } from './waterfall';

type Column = DataTableColumn<WaterfallRow>;

/** What the cells share beyond their row: the time axis, where the run stopped, and expanding a subtree. */
export type WaterfallContextValue = {
  ticks: Tick[];
  stoppedAt: string | null;
  onToggle: (id: string, expand: boolean) => void;
};

export const WaterfallContext = createContext<WaterfallContextValue>({
  ticks: [],
  stoppedAt: null,
  onToggle: () => undefined,
});

/** Deep trees keep their names readable: indentation stops growing after this many levels. */
const MAX_INDENT = 10;

export function KindBadge({ kind }: { kind: TraceNode['kind'] }) {
  return <span className={`kind-badge kind-badge--${kind}`}>{KIND_LABELS[kind]}</span>;
}

export function NodeStatus({ node }: { node: TraceNode }) {
  if (node.kind === 'execution') return <StatusBadge status={node.status} title={node.errorType ?? undefined} />;
  if (node.status === 'unset') {
    return (
      <span className="muted" title="The step reported no status">
        —
      </span>
    );
  }
  return (
    <span className={`badge badge--${node.status === 'ok' ? 'success' : 'error'}`}>
      <span className="badge__dot" aria-hidden="true" />
      {node.status}
    </span>
  );
}

function NameCell({ row }: { row: WaterfallRow }) {
  const { stoppedAt, onToggle } = useContext(WaterfallContext);
  const { node, hasChildren, expanded } = row;
  return (
    <div className="waterfall-name" style={{ paddingLeft: `${Math.min(node.depth, MAX_INDENT) * 1.1}rem` }}>
      {hasChildren ? (
        <button
          type="button"
          className="waterfall-name__toggle"
          aria-label={`${expanded ? 'Collapse' : 'Expand'} ${node.name}`}
          aria-expanded={expanded}
          tabIndex={-1}
          onClick={() => onToggle(node.id, !expanded)}
        >
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
        </button>
      ) : (
        <span className="waterfall-name__toggle" aria-hidden="true" />
      )}
      <KindBadge kind={node.kind} />
      <span className="waterfall-name__text" title={node.name}>
        {node.name}
        {node.kind === 'execution' && node.attempt !== null && <span className="muted"> · attempt {node.attempt}</span>}
      </span>
      {node.id === stoppedAt && <span className="waterfall-name__stopped">stopped here</span>}
    </div>
  );
}

function TimelineHeader() {
  const { ticks } = useContext(WaterfallContext);
  return (
    <div className="waterfall-axis">
      <span className="visually-hidden">Timeline</span>
      {ticks.map((tick) => (
        <span
          key={tick.ms}
          className={`waterfall-axis__tick${tick.percent > 92 ? ' waterfall-axis__tick--end' : ''}`}
          style={{ left: `${tick.percent}%` }}
          aria-hidden="true"
        >
          {tick.label}
        </span>
      ))}
    </div>
  );
}

function TimelineCell({ row }: { row: WaterfallRow }) {
  const { ticks } = useContext(WaterfallContext);
  const { node, bar } = row;
  const failed = node.status === 'error';
  const classes = [
    'waterfall-bar',
    node.kind === 'execution' ? 'waterfall-bar--call' : 'waterfall-bar--step',
    failed ? 'waterfall-bar--error' : '',
    bar.running ? 'waterfall-bar--running' : '',
  ];
  const when = `starts ${formatLatency(node.offsetMs)} in, ${bar.running ? 'still running' : `takes ${formatLatency(node.durationMs)}`}`;
  return (
    <div className="waterfall-track">
      {ticks.map((tick) => (
        <span key={tick.ms} className="waterfall-track__grid" style={{ left: `${tick.percent}%` }} />
      ))}
      <span
        className={classes.filter(Boolean).join(' ')}
        style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
        title={when}
      />
      <span className="visually-hidden">{when}</span>
    </div>
  );
}

export const waterfallColumns: Column[] = [
  {
    id: 'name',
    header: 'Step',
    meta: { width: '38%' },
    cell: ({ row }) => <NameCell row={row.original} />,
  },
  {
    id: 'timeline',
    header: () => <TimelineHeader />,
    cell: ({ row }) => <TimelineCell row={row.original} />,
  },
  {
    id: 'status',
    header: 'Status',
    meta: { width: '7.5rem' },
    cell: ({ row }) => <NodeStatus node={row.original.node} />,
  },
  {
    id: 'duration',
    header: 'Duration',
    meta: { width: '6.5rem', align: 'end' },
    cell: ({ row }) => {
      const { node } = row.original;
      return <span className="numeric">{node.durationMs === null ? 'running' : formatLatency(node.durationMs)}</span>;
    },
  },
  {
    id: 'cost',
    header: 'Cost',
    meta: { width: '6.5rem', align: 'end' },
    cell: ({ row }) => {
      const { node } = row.original;
      if (node.kind !== 'execution') return null;
      return (
        <span
          className={node.costUsd === null ? 'numeric muted' : 'numeric'}
          title={
            node.costUsd === null
              ? COST_ORIGIN_LABELS[node.costOrigin]
              : `$${node.costUsd} — ${COST_ORIGIN_LABELS[node.costOrigin]}`
          }
        >
          {formatCost(node.costUsd, node.costOrigin)}
        </span>
      );
    },
  },
];
