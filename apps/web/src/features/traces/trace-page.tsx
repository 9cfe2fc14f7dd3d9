import type { TraceNode, TraceView } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { DataTable, type DataTableHandle, type DataTableTree } from '../../components/data-table';
import { RecordPage } from '../../components/record-page';
import { RedactedText } from '../../components/redacted-text';
import { StatStrip } from '../../components/stat-strip';
import { formatCost, formatCount, formatDateTime, formatLatency } from '../../lib/format';
import { Link, useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { ExecutionDrawer } from '../logs/execution-drawer';
import { traceQuery } from './api';
import { KindBadge, WaterfallContext, type WaterfallContextValue, waterfallColumns } from './columns';
import { SpanDrawer } from './span-drawer';
import { ancestorIds, axisLength, axisTicks, type WaterfallRow, waterfallRows } from './waterfall';

export function TracePage({ traceId }: { traceId: string }) {
  const project = useProject();
  const query = useQuery(traceQuery(project.id, traceId));

  return (
    <RecordPage
      kind="Trace"
      id={traceId}
      parent={{ to: '/', label: 'Prompts', action: 'Go to the prompts' }}
      query={query}
      notFoundText="Nothing of this trace was logged in this project: it may belong to another project, not have arrived yet, or be older than this project keeps its logs."
      header={query.data && <TraceOrigin view={query.data} />}
    >
      {(view) => <TraceDetails view={view} />}
    </RecordPage>
  );
}

function TraceOrigin({ view }: { view: TraceView }) {
  const prompts = [...new Set(view.nodes.flatMap((node) => (node.kind === 'execution' ? [node.promptId] : [])))];
  return (
    <p className="muted trace-origin">
      Started <time dateTime={view.startedAt}>{formatDateTime(view.startedAt)}</time>
      {prompts.length > 0 && (
        <>
          {' · '}
          {prompts.length === 1 ? 'prompt' : 'prompts'}{' '}
          {prompts.map((promptId, index) => (
            <span key={promptId}>
              {index > 0 && ', '}
              <Link to={`/prompts/${encodeURIComponent(promptId)}`}>{promptId}</Link>
            </span>
          ))}
        </>
      )}
    </p>
  );
}

/** A node by its id, or an execution node by its execution id (the drawer opens executions by theirs). */
function findNode(nodes: readonly TraceNode[], id: string | null): TraceNode | undefined {
  if (!id) return undefined;
  return (
    nodes.find((node) => node.id === id) ?? nodes.find((node) => node.kind === 'execution' && node.executionId === id)
  );
}

const getRowId = (row: WaterfallRow) => row.node.id;

function TraceDetails({ view }: { view: TraceView }) {
  const [search, setSearch] = useSearchParams();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const tableRef = useRef<DataTableHandle>(null);
  const waterfallRef = useRef<HTMLDivElement>(null);

  const axisMs = useMemo(() => axisLength(view), [view]);
  const ticks = useMemo(() => axisTicks(axisMs), [axisMs]);
  const rows = useMemo(() => waterfallRows(view.nodes, collapsed, axisMs), [view.nodes, collapsed, axisMs]);
  const selected = findNode(view.nodes, search.get('node'));
  const stopped = findNode(view.nodes, view.stoppedAt);

  const onToggle = useCallback((id: string, expand: boolean) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (expand) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const context = useMemo<WaterfallContextValue>(
    () => ({ ticks, stoppedAt: view.stoppedAt, onToggle }),
    [ticks, view.stoppedAt, onToggle],
  );
  const tree = useMemo<DataTableTree<WaterfallRow>>(
    () => ({
      level: (row) => row.node.depth + 1,
      expanded: (row) => (row.hasChildren ? row.expanded : undefined),
      parentId: (row) => row.node.parentId,
      onToggle: (row, expand) => onToggle(row.node.id, expand),
    }),
    [onToggle],
  );

  // Focus moves once the row exists: after expanding its ancestors, or after the drawer closed.
  useEffect(() => {
    if (!focusTarget || !rows.some((row) => row.node.id === focusTarget)) return;
    tableRef.current?.focusRow(focusTarget);
    setFocusTarget(null);
  }, [focusTarget, rows]);

  const reveal = (id: string) => {
    const hidden = new Set(ancestorIds(view.nodes, id));
    setCollapsed((current) => new Set([...current].filter((collapsedId) => !hidden.has(collapsedId))));
    setFocusTarget(id);
  };
  const openNode = (id: string, options?: { replace?: boolean }) => {
    const node = findNode(view.nodes, id);
    if (node) setSearch({ node: node.id }, options);
  };
  const closeNode = () => {
    setSearch({ node: null });
    if (selected) reveal(selected.id);
  };

  const selectedIndex = selected ? rows.findIndex((row) => row.node.id === selected.id) : -1;
  const previousId = selectedIndex > 0 ? (rows[selectedIndex - 1]?.node.id ?? null) : null;
  const nextId = selectedIndex >= 0 ? (rows[selectedIndex + 1]?.node.id ?? null) : null;
  const hasSteps = view.nodes.some((node) => node.kind !== 'execution');

  return (
    <>
      <TraceTotals view={view} />
      {stopped && (
        <StoppedCallout
          node={stopped}
          onJump={() => {
            waterfallRef.current?.scrollIntoView({ block: 'nearest' });
            reveal(stopped.id);
          }}
        />
      )}
      {view.truncated && (
        <p className="notice notice--neutral" role="note">
          This trace has {formatCount(view.totals.executions + view.totals.spans)} calls and steps; the{' '}
          {formatCount(view.nodes.length)} that started first are shown. The totals above count all of them.
        </p>
      )}
      {view.payloadHidden && hasSteps && (
        <p className="notice notice--neutral" role="note">
          Step attributes are hidden: they are shown to those who may read the logs of every prompt in this trace.
        </p>
      )}
      <section className="waterfall" aria-label="Waterfall" ref={waterfallRef}>
        <p className="logs__keys waterfall__keys">
          <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> move · <kbd>←</kbd> <kbd>→</kbd> collapse and expand ·{' '}
          <kbd>Enter</kbd> opens · <kbd>Esc</kbd> closes
        </p>
        <WaterfallContext value={context}>
          <DataTable
            ref={tableRef}
            label="Trace waterfall"
            columns={waterfallColumns}
            data={rows}
            getRowId={getRowId}
            activeRowId={selected?.id ?? null}
            onOpenRow={(row) => openNode(row.node.id)}
            tree={tree}
            rowClassName={(row) => (row.node.id === view.stoppedAt ? 'waterfall-row--stopped' : undefined)}
            rowHeight={38}
          />
        </WaterfallContext>
      </section>

      {selected?.kind === 'execution' && (
        <ExecutionDrawer
          key="drawer"
          id={selected.executionId}
          row={undefined}
          previousId={previousId}
          nextId={nextId}
          onOpen={openNode}
          onClose={closeNode}
          stepNoun="step"
          traceLink={false}
        />
      )}
      {selected && selected.kind !== 'execution' && (
        <SpanDrawer
          key="drawer"
          node={selected}
          previousId={previousId}
          nextId={nextId}
          onOpen={openNode}
          onClose={closeNode}
        />
      )}
    </>
  );
}

function TraceTotals({ view }: { view: TraceView }) {
  const { totals } = view;
  const tiles = [
    { label: 'Duration', value: view.durationMs === null ? 'running' : formatLatency(view.durationMs), detail: null },
    { label: 'LLM calls', value: formatCount(totals.executions), detail: null },
    // Only OpenTelemetry sends steps that are not LLM calls; a trace logged through REST has none to count.
    ...(totals.spans > 0 ? [{ label: 'Other steps', value: formatCount(totals.spans), detail: null }] : []),
    {
      label: 'Errors',
      value: formatCount(totals.errors),
      detail: null,
      className: totals.errors > 0 ? 'stat__value--error' : undefined,
    },
    {
      label: 'Cost',
      value: totals.executions === 0 ? '—' : formatCost(totals.costUsd),
      detail:
        totals.unpricedExecutions > 0 && totals.costUsd !== null
          ? `without ${totals.unpricedExecutions} unpriced ${totals.unpricedExecutions === 1 ? 'call' : 'calls'}`
          : null,
      title: totals.costUsd ? `$${totals.costUsd}` : undefined,
    },
    {
      label: 'Tokens in / out',
      value: `${formatCount(totals.inputTokens)} / ${formatCount(totals.outputTokens)}`,
      detail: null,
    },
  ];
  return <StatStrip label="Trace totals" tiles={tiles} />;
}

function StoppedCallout({ node, onJump }: { node: TraceNode; onJump: () => void }) {
  const failedAfter = node.offsetMs + (node.durationMs ?? 0);
  const why = node.kind === 'execution' ? node.errorType && `error type: ${node.errorType}` : node.statusMessage;
  return (
    <div className="trace-stop" role="note" aria-label="Where the run stopped">
      <div className="trace-stop__text">
        <p>
          <span className="trace-stop__label">Stopped at</span> <KindBadge kind={node.kind} />{' '}
          <strong className="break">{node.name}</strong>
          <span className="muted"> · failed {formatLatency(failedAfter)} into the run</span>
        </p>
        {why && (
          <p className="trace-stop__why break">
            <RedactedText text={why} />
          </p>
        )}
      </div>
      <Button variant="secondary" size="sm" onClick={onJump}>
        Jump to the failed step
      </Button>
    </div>
  );
}
