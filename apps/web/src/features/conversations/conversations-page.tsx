import type { ConversationSummary } from '@promptlog/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from '../../components/button';
import { DataTable } from '../../components/data-table';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { isApiError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { navigate, useSearchParams } from '../../lib/router';
import { useSearchText } from '../../lib/search-text';
import { useProject } from '../auth/session';
import { conversationPath, conversationsQuery } from './api';
import { conversationColumns } from './columns';
import {
  CONVERSATION_RANGES,
  type ConversationFilters,
  conversationFiltersPatch,
  parseConversationFilters,
} from './filters';

const SEARCH_DEBOUNCE_MS = 300;
const getRowId = (row: ConversationSummary) => row.id;

/** Conversations (sessions), latest activity first: each row one conversation's totals, a link to its thread. */
export function ConversationsPage() {
  useDocumentTitle('Conversations');
  const project = useProject();
  const [search, setSearch] = useSearchParams();
  const filters = parseConversationFilters(search);
  const setFilters = (next: ConversationFilters) => setSearch(conversationFiltersPatch(next), { replace: true });
  const query = useInfiniteQuery(conversationsQuery(project.id, filters));
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isPlaceholderData } = query;
  const loadMore = () => {
    if (hasNextPage && !isFetchingNextPage && !isPlaceholderData) void fetchNextPage();
  };

  return (
    <div className="page page--wide">
      <header className="page__header">
        <h1 className="page__title">Conversations</h1>
        <p className="muted">
          Calls logged with the same <code>conversationId</code> (or OpenTelemetry <code>gen_ai.conversation.id</code> /{' '}
          <code>session.id</code>), latest activity first. Totals follow ingestion within seconds.
        </p>
      </header>
      <form className="filter-bar" aria-label="Conversation filters" onSubmit={(event) => event.preventDefault()}>
        <div className="filter-bar__controls">
          <SelectField
            label="Active in"
            value={filters.range}
            options={CONVERSATION_RANGES}
            onChange={(range) => setFilters({ ...filters, range })}
          />
          <ConversationSearch q={filters.q} onSearch={(q) => setFilters({ ...filters, q })} />
        </div>
      </form>

      {query.isPending ? (
        <Loading label="Loading conversations…" />
      ) : query.isError && !query.isFetchNextPageError ? (
        isApiError(query.error, 403) ? (
          <div className="empty card">
            <h2 className="card__title">Conversations are not available to you</h2>
            <p className="muted">
              Conversations show logged calls; ask a project admin for edit access to the prompts you need.
            </p>
          </div>
        ) : (
          <RetryableError
            error={query.error}
            title="Could not load the conversations"
            onRetry={() => query.refetch()}
          />
        )
      ) : rows.length === 0 ? (
        <div className="empty card">
          <h2 className="card__title">
            {filters.q ? `No conversation matches “${filters.q}”` : 'No conversations in this time range'}
          </h2>
          <p className="muted">
            Send <code>conversationId</code> with each execution of a chat (the SDK's <code>conversationId</code>, or
            the OpenTelemetry attribute <code>gen_ai.conversation.id</code>) to see its calls here as one thread.
          </p>
          {filters.range !== 'all' && (
            <div className="empty__actions">
              <Button variant="secondary" onClick={() => setFilters({ ...filters, range: 'all' })}>
                Show all time
              </Button>
            </div>
          )}
        </div>
      ) : (
        <section aria-label="Conversation list" className={isPlaceholderData ? 'stack stack--tight dimmed' : 'stack'}>
          <p role="status" className="muted">
            {rows.length === 1 ? '1 conversation' : `${rows.length.toLocaleString('en-US')} conversations`}
            {hasNextPage ? ' shown; more are older' : ''}
          </p>
          <DataTable
            label="Conversations"
            columns={conversationColumns}
            data={rows}
            getRowId={getRowId}
            onOpenRow={(row) => navigate(conversationPath(row.id))}
            onEndReached={loadMore}
            footer={
              query.isFetchNextPageError ? (
                <RetryableError error={query.error} title="Could not load more" onRetry={loadMore} />
              ) : hasNextPage ? (
                <Button variant="secondary" size="sm" pending={isFetchingNextPage} onClick={loadMore}>
                  Load more
                </Button>
              ) : null
            }
          />
        </section>
      )}
    </div>
  );
}

/** The id search: applied once typing pauses, or at once on Enter; the box follows the URL when it changes. */
function ConversationSearch({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const { text, setText, apply } = useSearchText(q, onSearch, { delayMs: SEARCH_DEBOUNCE_MS, trim: true });
  return (
    <TextField
      label="Search by conversation id"
      type="search"
      placeholder="Part of an id"
      autoComplete="off"
      spellCheck={false}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply(text);
      }}
    />
  );
}
