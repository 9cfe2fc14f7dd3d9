import type { TraceNode, TraceView } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { RetryableError } from '../../../components/error-message';
import { formatLatency } from '../../../lib/format';
import { Link } from '../../../lib/router';
import { useProject } from '../../auth/session';
import { tracePath, traceQuery } from '../../traces/api';
import { axisLength, rowsAround, type WaterfallRow, waterfallRows } from '../../traces/waterfall';
import { Section } from '../execution-sections';

/** Rows shown in the drawer; a longer trace shows the ones around this execution and links to the whole. */
export const DRAWER_WATERFALL_ROWS = 25;

const NOTHING_COLLAPSED: ReadonlySet<string> = new Set();

function timing(node: TraceNode, running: boolean): string {
  return `starts ${formatLatency(node.offsetMs)} in, ${running ? 'still running' : `takes ${formatLatency(node.durationMs)}`}`;
}

/**
 * The execution's trace as a waterfall at the top of the drawer: every call and step on one time axis, this
 * execution marked, the other calls one click away. The whole trace stays on its own page.
 */
export function TraceWaterfall({
  traceId,
  executionId,
  onOpen,
}: {
  traceId: string;
  executionId: string;
  onOpen: (id: string) => void;
}) {
  const project = useProject();
  const query = useQuery(traceQuery(project.id, traceId));
  return (
    <Section title="Trace waterfall">
      {query.isPending && (
        <p className="muted" role="status">
          Loading the trace…
        </p>
      )}
      {query.isError && (
        <RetryableError error={query.error} title="Could not load the trace" onRetry={() => query.refetch()} />
      )}
      {query.data && <Rows view={query.data} executionId={executionId} onOpen={onOpen} />}
    </Section>
  );
}

function Rows({ view, executionId, onOpen }: { view: TraceView; executionId: string; onOpen: (id: string) => void }) {
  const all = waterfallRows(view.nodes, NOTHING_COLLAPSED, axisLength(view));
  const shown = rowsAround(all, executionId, DRAWER_WATERFALL_ROWS);
  const hidden = all.length - shown.length + (view.truncated ? 1 : 0);
  return (
    <>
      <p className="drawer-waterfall__summary muted">
        {view.totals.executions} {view.totals.executions === 1 ? 'call' : 'calls'}, {view.totals.spans}{' '}
        {view.totals.spans === 1 ? 'other step' : 'other steps'} over {formatLatency(view.durationMs)}
        {view.totals.errors > 0 && `, ${view.totals.errors} failed`} ·{' '}
        <Link to={tracePath(view.traceId)}>{hidden > 0 ? 'Open the whole trace' : 'Open trace'}</Link>
      </p>
      <ol className="drawer-waterfall" aria-label="Calls and steps of the trace, in the order they started">
        {shown.map((row) => (
          <WaterfallItem key={row.node.id} row={row} current={isCurrent(row.node, executionId)} onOpen={onOpen} />
        ))}
      </ol>
    </>
  );
}

function isCurrent(node: TraceNode, executionId: string): boolean {
  return node.kind === 'execution' && node.executionId === executionId;
}

function WaterfallItem({
  row,
  current,
  onOpen,
}: {
  row: WaterfallRow;
  current: boolean;
  onOpen: (id: string) => void;
}) {
  const { node, bar } = row;
  const when = timing(node, bar.running);
  const failed = node.status === 'error';
  const barClasses = [
    'waterfall-bar',
    node.kind === 'execution' ? 'waterfall-bar--call' : 'waterfall-bar--step',
    failed ? 'waterfall-bar--error' : '',
    bar.running ? 'waterfall-bar--running' : '',
  ].filter(Boolean);
  const label = (
    <>
      <span className="drawer-waterfall__text">{node.name}</span>
      <span className="visually-hidden">
        {failed ? ', failed' : ''}, {when}
        {current ? ' (this execution)' : ''}
      </span>
    </>
  );
  return (
    <li
      className={`drawer-waterfall__row${current ? ' drawer-waterfall__row--current' : ''}`}
      aria-current={current ? 'step' : undefined}
    >
      <span className="drawer-waterfall__name" style={{ paddingInlineStart: `${Math.min(node.depth, 6) * 0.75}rem` }}>
        {node.kind === 'execution' && !current ? (
          <button type="button" className="drawer-waterfall__open" onClick={() => onOpen(node.executionId)}>
            {label}
          </button>
        ) : (
          label
        )}
      </span>
      <span className="drawer-waterfall__track" aria-hidden="true">
        <span className={barClasses.join(' ')} style={{ left: `${bar.left}%`, width: `${bar.width}%` }} title={when} />
      </span>
    </li>
  );
}
