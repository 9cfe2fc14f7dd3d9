import type { ExecutionDetail, ExecutionListItem } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { CopyIconButton } from '../../components/copy-icon-button';
import { Drawer } from '../../components/drawer';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { StatusBadge } from '../../components/status-badge';
import { Tabs } from '../../components/tabs';
import { formatCost, formatDateTime, formatLatency, formatTokens } from '../../lib/format';
import type { CodeLanguage } from '../../lib/provider-code';
import { buildProviderCurl } from '../../lib/provider-curl';
import { describeRedactions } from '../../lib/redaction';
import { useProject } from '../auth/session';
import { ReviewPanel } from '../reviews/review-panel';
import { executionQuery } from './api';
import { CodePanel } from './drawer/code-panel';
import { TimelineView } from './drawer/timeline-view';
import { TraceWaterfall } from './drawer/trace-waterfall';
import {
  InputsSection,
  MetadataSection,
  RequestSection,
  ResultSection,
  ThinkingSection,
  ToolCallsSection,
  TraceSection,
} from './execution-sections';

type ExecutionDrawerProps = {
  id: string;
  /** The list row, shown at once while the full record loads. */
  row: ExecutionListItem | undefined;
  previousId: string | null;
  nextId: string | null;
  /** Opens another execution; `replace` for stepping through the list, so Back closes the drawer. */
  onOpen: (id: string, options?: { replace?: boolean }) => void;
  onClose: () => void;
  /** What previous and next step through: the list's executions, or a trace's steps. */
  stepNoun?: string;
  /** Off where the drawer is opened from its trace's page already. */
  traceLink?: boolean;
};

const TEXT_ENTRY = 'input, textarea, select, [contenteditable="true"]';

/** ↓ or j opens the next item, ↑ or k the previous one, replacing the history entry. */
export function stepKeyHandler(
  previousId: string | null,
  nextId: string | null,
  onOpen: (id: string, options: { replace: boolean }) => void,
) {
  return (event: KeyboardEvent<HTMLDivElement>) => {
    // Handled already, e.g. ↑ and ↓ moving through a JSON tree.
    if (event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof Element && event.target.closest(TEXT_ENTRY)) return;
    const target =
      event.key === 'ArrowDown' || event.key === 'j'
        ? nextId
        : event.key === 'ArrowUp' || event.key === 'k'
          ? previousId
          : undefined;
    if (target === undefined) return;
    event.preventDefault();
    if (target) onOpen(target, { replace: true });
  };
}

/** The drawer's ↑ and ↓ buttons, the pointer's way to what `stepKeyHandler` does from the keyboard. */
export function StepButtons({
  noun,
  previousId,
  nextId,
  onOpen,
}: {
  noun: string;
  previousId: string | null;
  nextId: string | null;
  onOpen: (id: string, options: { replace: boolean }) => void;
}) {
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        disabled={!previousId}
        aria-label={`Previous ${noun}`}
        title={`Previous ${noun} (↑ or k)`}
        onClick={() => previousId && onOpen(previousId, { replace: true })}
      >
        <span aria-hidden="true">↑</span>
      </Button>
      <Button
        variant="secondary"
        size="sm"
        disabled={!nextId}
        aria-label={`Next ${noun}`}
        title={`Next ${noun} (↓ or j)`}
        onClick={() => nextId && onOpen(nextId, { replace: true })}
      >
        <span aria-hidden="true">↓</span>
      </Button>
    </>
  );
}

export function ExecutionDrawer({
  id,
  row,
  previousId,
  nextId,
  onOpen,
  onClose,
  stepNoun = 'execution',
  traceLink = true,
}: ExecutionDrawerProps) {
  const query = useQuery(executionQuery(id));
  const detail = query.data;
  const onKeyDown = stepKeyHandler(previousId, nextId, onOpen);
  const summary = detail ?? row;
  // Kept while stepping through executions: whoever reads one raw, or as code, reads the next one so too.
  const [view, setView] = useState<DetailView>('timeline');
  const [code, setCode] = useState<CodeLanguage | null>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const project = useProject();

  // Stepping replaces the detail, and a control focused in it goes with it: focus goes back to the drawer, so the
  // next ↑ ↓ j k still steps instead of reaching the page behind.
  useLayoutEffect(() => {
    if (detail || (document.activeElement && document.activeElement !== document.body)) return;
    contentRef.current?.closest<HTMLElement>('[role="dialog"]')?.focus();
  }, [detail]);

  return (
    <Drawer
      title="Execution details"
      onClose={onClose}
      onKeyDown={onKeyDown}
      actions={
        <>
          <span className="execution-id">
            <code className="execution-id__value" title={id}>
              {id}
            </code>
            <CopyIconButton text={id} label="Copy execution ID" />
          </span>
          <StepButtons noun={stepNoun} previousId={previousId} nextId={nextId} onOpen={onOpen} />
        </>
      }
    >
      <div ref={contentRef} className="drawer-content">
        {summary && <Summary item={summary} />}
        {query.isPending && <Loading label="Loading the execution…" />}
        {query.isError && (
          <RetryableError error={query.error} title="Could not load this execution" onRetry={() => query.refetch()} />
        )}
        {detail && <ReviewPanel key={detail.id} projectId={project.id} executionId={detail.id} />}
        {detail && (
          <Detail
            detail={detail}
            onOpen={(next) => onOpen(next)}
            traceLink={traceLink}
            view={view}
            onView={setView}
            code={code}
            onCode={setCode}
          />
        )}
      </div>
    </Drawer>
  );
}

type DetailView = 'timeline' | 'raw';

const DETAIL_VIEWS = [
  { value: 'timeline', label: 'Timeline' },
  { value: 'raw', label: 'Raw' },
] as const satisfies readonly { value: DetailView; label: string }[];

function Summary({ item }: { item: ExecutionListItem | ExecutionDetail }) {
  const inputTokens = 'inputTokens' in item ? item.inputTokens : (item.usage?.inputTokens ?? null);
  const outputTokens = 'outputTokens' in item ? item.outputTokens : (item.usage?.outputTokens ?? null);
  return (
    <div className="drawer-summary">
      <StatusBadge status={item.status} />
      <span className="drawer-summary__model">{item.model}</span>
      <time dateTime={item.startedAt} className="muted">
        {formatDateTime(item.startedAt)}
      </time>
      <span className="muted">{formatLatency(item.latencyMs)}</span>
      <span className="muted">{formatTokens(inputTokens, outputTokens)} tokens</span>
      <span className="muted">{formatCost(item.costUsd, item.costOrigin)}</span>
    </div>
  );
}

function siblingKind(siblings: ExecutionDetail['siblings']): 'generation' | 'attempt' {
  const generations = new Set(siblings.map((sibling) => sibling.generation ?? 0));
  return generations.size > 1 ? 'generation' : 'attempt';
}

function SiblingPager({ detail, onOpen }: { detail: ExecutionDetail; onOpen: (id: string) => void }) {
  const { siblings } = detail;
  if (siblings.length < 2) return null;
  const index = siblings.findIndex((sibling) => sibling.id === detail.id);
  const kind = siblingKind(siblings);
  const previous = index > 0 ? siblings[index - 1] : undefined;
  const next = index >= 0 ? siblings[index + 1] : undefined;
  const Kind = kind === 'generation' ? 'Generation' : 'Attempt';
  return (
    <nav className="sibling-pager" aria-label={`${Kind}s of this call`}>
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Previous ${kind}`}
        disabled={!previous}
        onClick={() => previous && onOpen(previous.id)}
      >
        <span aria-hidden="true">‹</span>
      </Button>
      <span className="sibling-pager__label" aria-live="polite">
        {Kind} {index + 1} of {siblings.length}
      </span>
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Next ${kind}`}
        disabled={!next}
        onClick={() => next && onOpen(next.id)}
      >
        <span aria-hidden="true">›</span>
      </Button>
    </nav>
  );
}

function recordOnly(detail: ExecutionDetail): Omit<ExecutionDetail, 'traceSteps' | 'siblings'> {
  const { traceSteps: _traceSteps, siblings: _siblings, ...record } = detail;
  return record;
}

function Detail({
  detail,
  onOpen,
  traceLink,
  view,
  onView,
  code,
  onCode,
}: {
  detail: ExecutionDetail;
  onOpen: (id: string) => void;
  traceLink: boolean;
  view: DetailView;
  onView: (view: DetailView) => void;
  /** The language of the open "Copy as code" panel; null while it is closed. */
  code: CodeLanguage | null;
  onCode: (language: CodeLanguage | null) => void;
}) {
  const curl = buildProviderCurl(detail);
  const redactions = describeRedactions(detail.redactions ?? {});
  const codeId = useId();
  return (
    <div className="detail">
      {redactions && (
        <p className="notice" role="note">
          {redactions}. What was redacted never reached the database; <code>[REDACTED:rule]</code> marks where it was.
        </p>
      )}
      {detail.payload === 'omitted_by_policy' && (
        <p className="notice notice--neutral" role="note">
          This project's payload policy kept only the metadata of this execution: model, tokens, cost, latency, status,
          source and version.
        </p>
      )}
      {detail.trace && traceLink && (
        <TraceWaterfall traceId={detail.trace.traceId} executionId={detail.id} onOpen={onOpen} />
      )}
      <div className="detail__toolbar">
        <SiblingPager detail={detail} onOpen={onOpen} />
        <div className="detail__copy">
          <CopyButton text={JSON.stringify(recordOnly(detail), null, 2)} label="Copy as JSON" />
          <CopyButton text={curl.command} label="Copy as cURL" />
          <Button
            variant="secondary"
            size="sm"
            aria-expanded={code !== null}
            aria-controls={code ? codeId : undefined}
            onClick={() => onCode(code ? null : 'typescript')}
          >
            Copy as code <span aria-hidden="true">{code ? '▴' : '▾'}</span>
          </Button>
        </div>
      </div>
      {code && <CodePanel id={codeId} detail={detail} language={code} onLanguage={onCode} />}
      <InputsSection inputs={detail.inputs} omitted={detail.payload === 'omitted_by_policy'} />
      <Tabs label="Request and response" tabs={DETAIL_VIEWS} selected={view} onSelect={onView}>
        {view === 'timeline' ? (
          <TimelineView detail={detail} />
        ) : (
          <div className="detail">
            <ResultSection key={detail.id} detail={detail} />
            <RequestSection request={detail.request} />
            <ThinkingSection thinking={detail.thinking} />
            <ToolCallsSection toolCalls={detail.toolCalls} />
          </div>
        )}
      </Tabs>
      <MetadataSection detail={detail} />
      <TraceSection detail={detail} onOpen={onOpen} traceLink={traceLink} />
    </div>
  );
}
