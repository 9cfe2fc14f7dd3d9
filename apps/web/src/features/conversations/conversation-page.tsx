import type { ConversationSummary, ConversationThread, ExecutionListItem } from '@promptlog/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { Button } from '../../components/button';
import { RetryableError } from '../../components/error-message';
import { RecordPage } from '../../components/record-page';
import { StatStrip } from '../../components/stat-strip';
import { StatusBadge } from '../../components/status-badge';
import { formatCost, formatCount, formatDateTime, formatLatency, formatTokens } from '../../lib/format';
import { Link, useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { ExecutionDrawer } from '../logs/execution-drawer';
import { conversationLogsPath, conversationThreadQuery } from './api';
import { costTitle, usersText } from './columns';
import { threadPrompts } from './thread';

/** One conversation as a thread: its calls oldest first, each opening the Logs drawer for its inputs and output. */
export function ConversationPage({ conversationId }: { conversationId: string }) {
  const project = useProject();
  const query = useInfiniteQuery(conversationThreadQuery(project.id, conversationId));

  return (
    <RecordPage
      kind="Conversation"
      id={conversationId}
      parent={{ to: '/conversations', label: 'Conversations', action: 'Go to the conversations' }}
      query={query}
      failed={query.isError && !query.isFetchNextPageError}
      notFoundText="Nothing was logged with this conversation id in this project, or it is older than this project keeps its logs."
    >
      {(data) => (
        <Thread
          conversationId={conversationId}
          pages={data.pages}
          more={
            query.hasNextPage ? (
              <Button
                variant="secondary"
                size="sm"
                pending={query.isFetchingNextPage}
                onClick={() => void query.fetchNextPage()}
              >
                Load later calls
              </Button>
            ) : null
          }
          moreError={query.isFetchNextPageError ? query.error : null}
          onRetryMore={() => void query.fetchNextPage()}
        />
      )}
    </RecordPage>
  );
}

function Thread({
  conversationId,
  pages,
  more,
  moreError,
  onRetryMore,
}: {
  conversationId: string;
  pages: ConversationThread[];
  more: React.ReactNode;
  moreError: unknown;
  onRetryMore: () => void;
}) {
  const [search, setSearch] = useSearchParams();
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const summary = pages[0]?.conversation ?? null;
  const calls = pages.flatMap((page) => page.items);
  const prompts = threadPrompts(summary, calls);
  const openId = search.get('execution');
  const openIndex = openId ? calls.findIndex((call) => call.id === openId) : -1;

  const open = (id: string, options?: { replace?: boolean }) => setSearch({ execution: id }, options);
  const close = () => {
    setSearch({ execution: null });
    if (openId) requestAnimationFrame(() => openers.current.get(openId)?.focus());
  };

  return (
    <>
      {summary ? (
        <Totals summary={summary} />
      ) : (
        <p className="notice notice--neutral" role="note">
          The totals of this conversation are not shown: they are still being counted, or it also ran prompts whose logs
          you may not read (their calls are left out below).
        </p>
      )}
      <nav aria-label="Show in Logs" className="thread__links">
        {prompts.length === 1 && prompts[0] ? (
          <Link className="button button--secondary button--sm" to={conversationLogsPath(prompts[0], conversationId)}>
            Show in Logs
          </Link>
        ) : (
          <ul className="inline-list">
            {prompts.map((promptId) => (
              <li key={promptId}>
                <Link
                  className="button button--secondary button--sm"
                  to={conversationLogsPath(promptId, conversationId)}
                  aria-label={`Show ${promptId} in Logs`}
                >
                  {promptId} in Logs
                </Link>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <ol className="thread" aria-label="Thread">
        {calls.map((call, index) => (
          <li key={call.id} className={call.id === openId ? 'thread__call thread__call--open' : 'thread__call'}>
            <Call
              call={call}
              turn={index + 1}
              onOpen={() => open(call.id)}
              openerRef={(button) => {
                if (button) openers.current.set(call.id, button);
                else openers.current.delete(call.id);
              }}
            />
          </li>
        ))}
      </ol>
      {moreError ? <RetryableError error={moreError} title="Could not load later calls" onRetry={onRetryMore} /> : more}
      {openId && (
        <ExecutionDrawer
          key="drawer"
          id={openId}
          row={calls[openIndex]}
          previousId={openIndex > 0 ? (calls[openIndex - 1]?.id ?? null) : null}
          nextId={openIndex >= 0 ? (calls[openIndex + 1]?.id ?? null) : null}
          onOpen={open}
          onClose={close}
          stepNoun="call"
        />
      )}
    </>
  );
}

function Call({
  call,
  turn,
  onOpen,
  openerRef,
}: {
  call: ExecutionListItem;
  turn: number;
  onOpen: () => void;
  openerRef: (button: HTMLButtonElement | null) => void;
}) {
  const headingId = `call-${call.id}`;
  return (
    <article className="thread__bubble" aria-labelledby={headingId}>
      <header className="thread__head">
        <h2 id={headingId} className="thread__title">
          <span className="muted">#{turn}</span> {call.promptId}
          {call.promptVersion !== null && <span className="muted"> v{call.promptVersion}</span>}
        </h2>
        <StatusBadge status={call.status} />
      </header>
      <dl className="thread__facts">
        <div>
          <dt>Model</dt>
          <dd>{call.model}</dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd className="numeric">{formatLatency(call.latencyMs)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd className="numeric">{formatCost(call.costUsd, call.costOrigin)}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd className="numeric">{formatTokens(call.inputTokens, call.outputTokens)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <time dateTime={call.startedAt}>{formatDateTime(call.startedAt)}</time>
          </dd>
        </div>
      </dl>
      <Button
        variant="ghost"
        size="sm"
        ref={openerRef}
        onClick={onOpen}
        aria-label={`Open call ${turn}: inputs and output`}
      >
        Inputs and output
      </Button>
    </article>
  );
}

function Totals({ summary }: { summary: ConversationSummary }) {
  const tiles = [
    { label: 'Calls', value: formatCount(summary.calls) },
    { label: 'Errors', value: formatCount(summary.errors), className: summary.errors > 0 ? 'stat__value--error' : '' },
    {
      label: 'Cost',
      value: summary.costUsd === null ? '—' : formatCost(summary.costUsd),
      title: costTitle(summary),
    },
    { label: 'Tokens in / out', value: `${formatCount(summary.inputTokens)} / ${formatCount(summary.outputTokens)}` },
    { label: 'Duration', value: formatLatency(summary.durationMs) },
    { label: 'Users', value: usersText(summary), title: summary.users.join(', ') },
  ];
  return <StatStrip label="Conversation totals" tiles={tiles} />;
}
