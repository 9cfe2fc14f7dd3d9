import type { ExecutionListItem } from '@promptlog/contracts';
import { type InfiniteData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { DataTable, type DataTableHandle } from '../../components/data-table';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { isApiError } from '../../lib/api-client';
import { formatDateTime, formatRetention } from '../../lib/format';
import { Link, type NavigateOptions, useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { DatasetMenu } from '../datasets/dataset-menu';
import { queuePath } from '../reviews/queue';
import { ViewsMenu } from '../views/views-menu';
import {
  executionKeys,
  executionQuery,
  executionsQuery,
  exportUrl,
  isLoaded,
  type LoadedPage,
  patchListItem,
  toListItem,
} from './api';
import { ColumnPicker } from './column-picker';
import { EXECUTION_COLUMN_CHOICES, EXECUTION_COLUMN_IDS, executionColumns } from './columns';
import { ExecutionDrawer } from './execution-drawer';
import { AddFilterProvider } from './filter-action';
import { FilterBar } from './filter-bar';
import {
  addFilter,
  clearFilters,
  differsOnlyInSearch,
  type FilterValue,
  filtersKey,
  filtersToSearchPatch,
  hasActiveFilters,
  type LogFilters,
  mightMatch,
  parseFilters,
  toApiParams,
} from './filters';
import {
  columnsPatch,
  describeSort,
  newRowsGoOnTop,
  nextSort,
  parseColumns,
  parseSort,
  sortParts,
  sortPatch,
  toggleColumn,
} from './list-view';
import {
  type ExecutionEvent,
  fetchFirstPage,
  isUnreachable,
  LIVE_STATUS_LABELS,
  liveStatus,
  reconcileFirstPage,
  useExecutionEvents,
} from './live';
import { LogsUnavailable } from './logs-unavailable';

const getRowId = (row: ExecutionListItem) => row.id;
const OFFLINE_RETRY_MS = 5_000;

export function LogsTab({ promptId, versions }: { promptId: string; versions: readonly number[] }) {
  const [search, setSearch] = useSearchParams();
  const project = useProject();
  const filters = useMemo(() => parseFilters(search), [search]);
  const openId = search.get('execution');
  const queryClient = useQueryClient();
  const sort = parseSort(search);
  const columnsKey = parseColumns(search, EXECUTION_COLUMN_IDS).join(',');
  const shownColumns = useMemo(() => columnsKey.split(','), [columnsKey]);
  const columns = useMemo(
    () => executionColumns.filter((column) => shownColumns.includes(column.id ?? '')),
    [shownColumns],
  );
  const listQuery = executionsQuery(project.id, promptId, filters, sort);
  const listKey = filtersKey(filters);
  // What is new, and what a resync reads, depends on the order too.
  const viewKey = `${listKey}|${sort}`;
  // While the server cannot be reached the list is read again now and then, so the tab recovers on its own.
  const query = useInfiniteQuery({
    ...listQuery,
    // While a new search runs, the last one's rows stay on screen, marked as stale, instead of a loading message at
    // every pause in typing.
    placeholderData: (previous, previousQuery) => {
      const key = previousQuery?.queryKey;
      return key?.[2] === project.id && key[3] === promptId && key[5] === sort && differsOnlyInSearch(key[4], listKey)
        ? previous
        : undefined;
    },
    refetchInterval: (current) => (isUnreachable(current.state.error) ? OFFLINE_RETRY_MS : false),
  });
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  // A text search reads a bounded number of executions per request; searching further back is the user's call.
  const searchedThrough = query.data?.pages.at(-1)?.searched?.through;
  const models = useMemo(() => [...new Set(rows.map((row) => row.model))].sort(), [rows]);
  const tableRef = useRef<DataTableHandle>(null);
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(new Set());
  // Other filters load a fresh first page, so what was new under the old ones is no longer news.
  const [newIdsKey, setNewIdsKey] = useState(viewKey);
  if (newIdsKey !== viewKey) {
    setNewIdsKey(viewKey);
    setNewIds(new Set());
  }

  const setFilters = useCallback(
    (next: LogFilters, options?: NavigateOptions) =>
      setSearch(filtersToSearchPatch(next, new URLSearchParams(window.location.search)), options),
    [setSearch],
  );
  const onAddFilter = useCallback(
    (filter: FilterValue) => setFilters(addFilter(parseFilters(new URLSearchParams(window.location.search)), filter)),
    [setFilters],
  );

  const { hasNextPage, isFetchingNextPage, fetchNextPage, isPlaceholderData } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isPlaceholderData) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isPlaceholderData, fetchNextPage]);

  const addNewIds = (ids: readonly string[]) =>
    setNewIds((shown) => {
      const next = new Set(shown);
      for (const id of ids) next.add(id);
      return next.size === shown.size ? shown : next;
    });
  const currentListKey = useRef(viewKey);
  currentListKey.current = viewKey;

  const liveState = useExecutionEvents(project.id, promptId, {
    onEvent: (event: ExecutionEvent) => {
      if (event.type === 'created') {
        if (!mightMatch(event, filters, Date.now()) || isLoaded(queryClient, project.id, promptId, event.id)) return;
        addNewIds([event.id]);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: executionKeys.detail(event.id) });
      if (!isLoaded(queryClient, project.id, promptId, event.id)) return;
      void queryClient
        .fetchQuery({ ...executionQuery(event.id), staleTime: 0 })
        .then((detail) => patchListItem(queryClient, project.id, promptId, toListItem(detail)))
        .catch(() => queryClient.invalidateQueries({ queryKey: executionKeys.promptLists(project.id, promptId) }));
    },
    // Rather than reloading the list under the reader, the newest page is read aside and applied as the missed
    // events would have been: changed rows patched, unseen ones counted as new.
    onResync: () => {
      const lists = executionKeys.promptLists(project.id, promptId);
      if (!query.data) {
        void queryClient.invalidateQueries({ queryKey: lists });
        return;
      }
      const readFor = viewKey;
      fetchFirstPage(project.id, promptId, filters, sort)
        .then((items) => {
          if (currentListKey.current !== readFor) return;
          addNewIds(reconcileFirstPage(queryClient, project.id, promptId, items));
          // Pages past the first are read again at the list's next refetch.
          void queryClient.invalidateQueries({ queryKey: lists, refetchType: 'none' });
        })
        .catch(() => queryClient.invalidateQueries({ queryKey: lists }));
    },
  });

  const showNew = () => {
    setNewIds(new Set());
    // Only the newest page is fetched again; older pages are dropped rather than refetched one by one.
    queryClient.setQueryData<InfiniteData<LoadedPage, unknown>>(listQuery.queryKey, (data) =>
      data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
    );
    void queryClient.refetchQueries({ queryKey: listQuery.queryKey, exact: true });
  };

  const openIndex = openId ? rows.findIndex((row) => row.id === openId) : -1;
  const openExecution = (id: string, options?: { replace?: boolean }) => setSearch({ execution: id }, options);
  const closeExecution = () => {
    const id = openId;
    setSearch({ execution: null });
    if (id) requestAnimationFrame(() => tableRef.current?.focusRow(id));
  };

  const nextPageError = query.isFetchNextPageError ? query.error : null;
  const status = liveStatus(liveState, query.error);
  const filtered = hasActiveFilters(filters) || filters.range !== 'all';

  // Access can be taken away while the page is open; the list then says why rather than failing.
  if (isApiError(query.error, 403) && query.error.code === 'forbidden') return <LogsUnavailable />;

  return (
    <AddFilterProvider value={onAddFilter}>
      <div className="logs">
        <div className="logs__header">
          <p className="muted logs__retention">{formatRetention(project.retentionDays)}</p>
          <ViewsMenu promptId={promptId} />
          <ColumnPicker
            columns={EXECUTION_COLUMN_CHOICES}
            shown={shownColumns}
            onToggle={(id, visible) =>
              setSearch(
                columnsPatch(toggleColumn(shownColumns, id, visible, EXECUTION_COLUMN_IDS), EXECUTION_COLUMN_IDS),
              )
            }
          />
          <a
            className="button button--secondary button--sm"
            href={exportUrl(project.id, promptId, filters, Date.now())}
            download={`${promptId}-executions.ndjson`}
            title="Download the executions these filters select as NDJSON, one JSON record per line, newest first"
            // A relative time range is resolved at the moment of the click, not when the page was drawn.
            onClick={(event) => {
              event.currentTarget.href = exportUrl(project.id, promptId, filters, Date.now());
            }}
          >
            Export
          </a>
          <Link
            className="button button--secondary button--sm"
            to={queuePath(promptId)}
            title="Executions of this prompt that failed or raised a signal and nobody reviewed yet"
          >
            Review queue
          </Link>
          <DatasetMenu
            projectId={project.id}
            params={() => toApiParams(promptId, filters, Date.now())}
            fileName={`${promptId}-dataset`}
          />
        </div>
        <FilterBar
          projectId={project.id}
          promptId={promptId}
          filters={filters}
          versions={versions}
          models={models}
          search={{
            q: filters.q,
            searching: query.isPending || isPlaceholderData,
            searchingFurther: isFetchingNextPage,
            searchedAt: query.dataUpdatedAt,
            through: searchedThrough,
            matches: rows.length,
            more: hasNextPage && !searchedThrough,
          }}
          onChange={setFilters}
        />

        <div className="logs__bar">
          <p role="status" aria-label="Live updates" className={`live live--${status}`}>
            <span className="live__dot" aria-hidden="true" />
            {LIVE_STATUS_LABELS[status]}
          </p>
          <div className="logs__status" aria-live="polite">
            {newIds.size > 0 && (
              <Button
                variant="secondary"
                size="sm"
                className="logs__new"
                onClick={showNew}
                title={
                  newRowsGoOnTop(sort)
                    ? undefined
                    : `Sorted by ${describeSort(sort)}: new executions are counted here, not inserted, so rows do not move while you read. Reloading puts them in their place.`
                }
              >
                {newIds.size === 1 ? '1 new execution' : `${newIds.size} new executions`} —{' '}
                {newRowsGoOnTop(sort) ? 'show' : 'reload the list'}
              </Button>
            )}
          </div>
          {!newRowsGoOnTop(sort) && (
            <p className="muted logs__sort">
              Sorted by {describeSort(sort)}; new executions are counted, not inserted.
            </p>
          )}
          {rows.length > 0 && (
            <p className="logs__keys">
              <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> opens · <kbd>Esc</kbd>{' '}
              closes
            </p>
          )}
        </div>

        <div
          className={isPlaceholderData ? 'logs__results logs__results--stale' : 'logs__results'}
          aria-busy={isPlaceholderData}
        >
          {query.isPending ? (
            <Loading label="Loading executions…" />
          ) : query.isError ? (
            <RetryableError error={query.error} title="Could not load the executions" onRetry={() => query.refetch()} />
          ) : rows.length === 0 && searchedThrough ? (
            <div className="empty card">
              <h3 className="card__title">No match yet</h3>
              <p className="muted">
                Searched the executions back to {formatDateTime(searchedThrough)}; older ones are not searched yet.
              </p>
              <div className="empty__actions">
                <Button variant="secondary" pending={query.isFetchingNextPage} onClick={loadMore}>
                  Search further back
                </Button>
              </div>
              <ErrorMessage error={nextPageError} title="Could not search further" />
            </div>
          ) : rows.length === 0 ? (
            <div className="empty card">
              <h3 className="card__title">No executions {filtered ? 'match' : 'yet'}</h3>
              {filtered ? (
                <>
                  <p className="muted">
                    Nothing was logged for this prompt with these filters in this time range. Widen the time range or
                    clear the filters.
                  </p>
                  <div className="empty__actions">
                    {filters.range !== 'all' && (
                      <Button
                        variant="secondary"
                        onClick={() => setFilters({ ...filters, range: 'all', from: '', to: '' })}
                      >
                        Show all time
                      </Button>
                    )}
                    {hasActiveFilters(filters) && (
                      <Button variant="secondary" onClick={() => setFilters(clearFilters(filters))}>
                        Clear filters
                      </Button>
                    )}
                  </div>
                </>
              ) : (
                <p className="muted">Executions of this prompt appear here as soon as they are logged.</p>
              )}
            </div>
          ) : (
            <DataTable
              ref={tableRef}
              label={`Executions of ${promptId}`}
              columns={columns}
              sort={sortParts(sort)}
              onSort={(key) => setSearch(sortPatch(nextSort(sort, key)))}
              data={rows}
              getRowId={getRowId}
              activeRowId={openId}
              onOpenRow={(row) => openExecution(row.id)}
              onEndReached={searchedThrough ? undefined : loadMore}
              pageKeys
              footer={
                <div className="data-table__footer">
                  {searchedThrough ? (
                    <>
                      <p className="muted">Searched back to {formatDateTime(searchedThrough)}</p>
                      <Button variant="secondary" size="sm" pending={query.isFetchingNextPage} onClick={loadMore}>
                        Search further back
                      </Button>
                    </>
                  ) : query.hasNextPage ? (
                    <Button variant="secondary" size="sm" pending={query.isFetchingNextPage} onClick={loadMore}>
                      Load more
                    </Button>
                  ) : (
                    <p className="muted">
                      {rows.length === 1 ? '1 execution' : `${rows.length.toLocaleString('en-US')} executions`} — the
                      end of the list
                    </p>
                  )}
                  <ErrorMessage error={nextPageError} title="Could not load more" />
                </div>
              }
            />
          )}
        </div>

        {openId && (
          <ExecutionDrawer
            key="drawer"
            id={openId}
            row={openIndex >= 0 ? rows[openIndex] : undefined}
            previousId={openIndex > 0 ? (rows[openIndex - 1]?.id ?? null) : null}
            nextId={openIndex >= 0 ? (rows[openIndex + 1]?.id ?? null) : null}
            onOpen={openExecution}
            onClose={closeExecution}
          />
        )}
      </div>
    </AddFilterProvider>
  );
}
