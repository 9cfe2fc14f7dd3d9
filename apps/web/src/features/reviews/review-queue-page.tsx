import type { ExecutionListItem, ReviewState } from '@promptlog/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type Ref, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { SelectField } from '../../components/select-field';
import { StatusBadge } from '../../components/status-badge';
import { isApiError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { formatDateTime } from '../../lib/format';
import { Link, useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { DatasetMenu } from '../datasets/dataset-menu';
import { executionQuery } from '../logs/api';
import { ExecutionDrawer } from '../logs/execution-drawer';
import { InputsSection, ResultSection } from '../logs/execution-sections';
import { LogsUnavailable } from '../logs/logs-unavailable';
import { QUEUE_PAGE_SIZE, queueQuery } from './api';
import {
  DEFAULT_QUEUE_RANGE,
  keptIndex,
  parseQueueView,
  QUEUE_KEYS,
  QUEUE_RANGES,
  QUEUE_SHOWS,
  type QueueShow,
  queueFilterParams,
  queueKey,
  queueReasons,
} from './queue';
import { ReviewPanel, type ReviewPanelHandle } from './review-panel';
import { RATING_WORDS } from './review-state';

const TEXT_ENTRY = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

/**
 * The review queue: executions of every prompt the reader may read that failed or raised an output signal and that
 * nobody has reviewed, newest first, one in focus beside the list with its output and its review. Driven from the
 * keyboard (QUEUE_KEYS, shown on the page); a listbox with the focused execution as its active option.
 */
export function ReviewQueuePage() {
  useDocumentTitle('Review queue');
  const project = useProject();
  const [search, setSearch] = useSearchParams();
  const view = parseQueueView(search);
  const { show, range, promptId } = view;
  const openId = search.get('execution');
  const query = useInfiniteQuery(queueQuery(project.id, view));
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  const ids = rows.map((row) => row.id);
  const [activeId, setActiveId] = useState<string | null>(null);
  const lastIndex = useRef(0);
  const active = keptIndex(ids, activeId, lastIndex.current);
  lastIndex.current = active;
  const current = rows[active];
  // Reviews saved here, so their rows say so while the queue is not reloaded.
  const [reviewed, setReviewed] = useState<ReadonlyMap<string, ReviewState['review']>>(new Map());
  const panelRef = useRef<ReviewPanelHandle>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const optionId = (id: string) => `${listId}-${id}`;

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const moveTo = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setActiveId(row.id);
    listRef.current?.focus({ preventScroll: true });
    document.getElementById(optionId(row.id))?.scrollIntoView({ block: 'nearest' });
    if (index >= rows.length - 3 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  };
  const open = (id: string) => setSearch({ execution: id });

  const onKey = useRef<(event: KeyboardEvent) => void>(() => undefined);
  onKey.current = (event: KeyboardEvent) => {
    if (event.defaultPrevented || openId) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest(TEXT_ENTRY) || target?.closest('[role="dialog"], dialog')) return;
    const onList = target !== null && listRef.current?.contains(target) === true;
    const action = queueKey(event, active, rows.length, onList);
    if (!action || (action.type === 'open' && !onList && target !== document.body)) return;
    event.preventDefault();
    if (action.type === 'move') moveTo(action.index);
    else if (action.type === 'rate') panelRef.current?.rate(action.rating);
    else if (action.type === 'labels') panelRef.current?.openLabels();
    else if (action.type === 'note') panelRef.current?.focusNote();
    else if (current) open(current.id);
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  if (isApiError(query.error, 403) && query.error.code === 'forbidden') return <LogsUnavailable />;

  return (
    <div className="page page--wide review-queue">
      <header className="page__header">
        <h1 className="page__title">Review queue</h1>
        <p className="muted">
          {show === 'down'
            ? 'Executions a reviewer rated thumbs down, to go through again (label them, note what went wrong), newest first,'
            : 'Executions that failed or raised an output signal (refusal, truncated, empty, JSON invalid, injection) and that nobody has reviewed yet, newest first,'}{' '}
          {promptId ? (
            <>
              of the prompt <strong>{promptId}</strong> (<Link to="/review">every prompt</Link>).
            </>
          ) : (
            'across the prompts whose logs you read.'
          )}
        </p>
      </header>
      <div className="review-queue__bar">
        <SelectField
          label="Show"
          value={show}
          options={QUEUE_SHOWS}
          onChange={(next) => setSearch({ show: next === 'unreviewed' ? null : next, execution: null })}
        />
        <SelectField
          label="Time range"
          value={range}
          options={QUEUE_RANGES}
          onChange={(next) => setSearch({ range: next === DEFAULT_QUEUE_RANGE ? null : next, execution: null })}
        />
        <Button
          variant="secondary"
          size="sm"
          pending={query.isRefetching}
          title="Read the queue again: executions reviewed meanwhile leave it"
          onClick={() => {
            setReviewed(new Map());
            void query.refetch();
          }}
        >
          Reload the queue
        </Button>
        <Link to="/review/labels" className="button button--secondary button--sm">
          Manage labels
        </Link>
        <DatasetMenu
          projectId={project.id}
          params={() => queueFilterParams(view, Date.now())}
          fileName={`${promptId ?? 'review-queue'}${show === 'down' ? '-thumbs-down' : ''}-dataset`}
        />
      </div>
      <section className="review-queue__keys" aria-labelledby={`${listId}-keys`}>
        <h2 id={`${listId}-keys`} className="review-queue__keys-title">
          Keyboard
        </h2>
        <ul className="review-queue__key-list">
          {QUEUE_KEYS.map(({ keys, does }) => (
            <li key={does}>
              {keys.map((key, index) => (
                <span key={key}>
                  {index > 0 && ' or '}
                  <kbd>{key}</kbd>
                </span>
              ))}{' '}
              {does}
            </li>
          ))}
        </ul>
      </section>

      {query.isPending ? (
        <Loading label="Loading the review queue…" />
      ) : query.isError ? (
        <RetryableError error={query.error} title="Could not load the review queue" onRetry={() => query.refetch()} />
      ) : rows.length === 0 ? (
        <div className="empty card">
          <h2 className="card__title">Nothing to review</h2>
          <p className="muted">
            {show === 'down'
              ? 'No execution in this time range is rated thumbs down.'
              : 'No execution in this time range failed or raised an output signal without having been reviewed.'}
          </p>
        </div>
      ) : (
        <div className="review-queue__layout">
          <div className="review-queue__list">
            <p className="muted review-queue__count" aria-live="polite">
              {rows.length}
              {hasNextPage ? '+' : ''} to review · {active + 1} of {rows.length}
            </p>
            <div
              ref={listRef}
              id={listId}
              role="listbox"
              tabIndex={0}
              aria-label="Executions to review"
              aria-activedescendant={current ? optionId(current.id) : undefined}
              className="review-queue__options"
            >
              {rows.map((row, index) => (
                <QueueOption
                  key={row.id}
                  id={optionId(row.id)}
                  row={row}
                  selected={index === active}
                  review={reviewed.get(row.id)}
                  show={show}
                  onSelect={() => moveTo(index)}
                />
              ))}
            </div>
            {hasNextPage && (
              <Button variant="secondary" size="sm" pending={isFetchingNextPage} onClick={() => void fetchNextPage()}>
                Load {QUEUE_PAGE_SIZE} more
              </Button>
            )}
          </div>
          {current && (
            <UnderReview
              key={current.id}
              projectId={project.id}
              row={current}
              show={show}
              panelRef={panelRef}
              onSaved={(state) => setReviewed((saved) => new Map(saved).set(state.executionId, state.review))}
              onOpen={() => open(current.id)}
            />
          )}
        </div>
      )}

      {openId && (
        <ExecutionDrawer
          key="drawer"
          id={openId}
          row={rows.find((row) => row.id === openId)}
          previousId={ids[ids.indexOf(openId) - 1] ?? null}
          nextId={ids.indexOf(openId) >= 0 ? (ids[ids.indexOf(openId) + 1] ?? null) : null}
          onOpen={(id, options) => {
            setActiveId(id);
            setSearch({ execution: id }, options);
          }}
          onClose={() => {
            setSearch({ execution: null });
            requestAnimationFrame(() => listRef.current?.focus());
          }}
        />
      )}
    </div>
  );
}

function QueueOption({
  id,
  row,
  selected,
  review,
  show,
  onSelect,
}: {
  id: string;
  row: ExecutionListItem;
  selected: boolean;
  show: QueueShow;
  /** The review saved from the queue: undefined while none was, null once it was cleared. */
  review: ReviewState['review'] | undefined;
  onSelect: () => void;
}) {
  const reasons = queueReasons(row, show);
  const state = review?.rating ? RATING_WORDS[review.rating] : review ? 'Reviewed' : null;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox owns the keys (queueKey); a click picks an option
    <div
      id={id}
      role="option"
      tabIndex={-1}
      aria-selected={selected}
      className={`review-queue__option${selected ? ' review-queue__option--active' : ''}${review ? ' review-queue__option--done' : ''}`}
      onClick={onSelect}
    >
      <span className="review-queue__option-head">
        <strong>{row.promptId}</strong>
        {row.promptVersion !== null && <span className="muted"> v{row.promptVersion}</span>}
        <span className="muted"> · {formatDateTime(row.startedAt)}</span>
      </span>
      <span className="review-queue__option-why">{reasons.join(', ')}</span>
      {state && <span className="review-queue__option-state">{state}</span>}
    </div>
  );
}

function UnderReview({
  projectId,
  row,
  show,
  panelRef,
  onSaved,
  onOpen,
}: {
  projectId: string;
  row: ExecutionListItem;
  show: QueueShow;
  panelRef: Ref<ReviewPanelHandle>;
  onSaved: (state: ReviewState) => void;
  onOpen: () => void;
}) {
  const headingId = useId();
  const detail = useQuery(executionQuery(row.id));
  return (
    <section className="review-queue__detail" aria-labelledby={headingId}>
      <header className="review-queue__detail-head">
        <h2 id={headingId} className="review-queue__detail-title">
          {row.promptId} <span className="muted">· {formatDateTime(row.startedAt)}</span>
        </h2>
        <StatusBadge status={row.status} />
        <span className="muted">{row.model}</span>
        <Button variant="secondary" size="sm" title="Open the full details (Enter)" onClick={onOpen}>
          Open details
        </Button>
      </header>
      <p className="review-queue__why">
        In the queue for: {queueReasons(row, show).join(', ')}
        {detail.data?.tags?.length ? ` · tags ${detail.data.tags.join(', ')}` : ''}
      </p>
      <ReviewPanel ref={panelRef} projectId={projectId} executionId={row.id} onSaved={onSaved} />
      {detail.isPending ? (
        <Loading label="Loading the execution…" />
      ) : detail.isError ? (
        <RetryableError error={detail.error} title="Could not load this execution" onRetry={() => detail.refetch()} />
      ) : (
        <div className="detail">
          <ResultSection detail={detail.data} />
          <InputsSection inputs={detail.data.inputs} omitted={detail.data.payload === 'omitted_by_policy'} />
        </div>
      )}
    </section>
  );
}
