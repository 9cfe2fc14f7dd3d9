import type { PromptSummary } from '@promptlog/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { Button } from '../../components/button';
import { DataTable } from '../../components/data-table';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { TextField } from '../../components/text-field';
import { useDocumentTitle } from '../../lib/document-title';
import { navigate, useSearchParams } from '../../lib/router';
import { useSearchText } from '../../lib/search-text';
import { useSession } from '../auth/session';
import { FirstExecutionCard } from '../home/home-page';
import { useExecutionEvents } from '../logs/live';
import { PROMPT_FIGURES_REFRESH_MS, promptKeys, promptPath, promptsQuery } from './api';
import { PromptSortContext, promptColumns } from './columns';
import { nextSort, type PromptSortKey, parsePromptListView, promptsInView, sortPatch } from './prompt-list';

/** How long typing pauses before the search reaches the URL (and the list). */
const SEARCH_DEBOUNCE_MS = 250;

const getRowId = (prompt: PromptSummary) => prompt.id;

export function PromptsPage() {
  const { project } = useSession();
  useDocumentTitle(project?.name ?? 'Home');

  return (
    <div className="page">
      <header className="page__header">
        <p className="eyebrow">Project</p>
        <h1 className="page__title break">{project ? project.name : 'No project yet'}</h1>
        {!project && <p className="muted">You are not a member of any project. Ask an admin to add you to one.</p>}
      </header>
      {project && <PromptList projectId={project.id} />}
    </div>
  );
}

function PromptList({ projectId }: { projectId: string }) {
  const query = useQuery({ ...promptsQuery(projectId), refetchInterval: PROMPT_FIGURES_REFRESH_MS });
  const [search, setSearch] = useSearchParams();
  const searchBox = useRef<HTMLDivElement>(null);
  const view = useMemo(() => parsePromptListView(search), [search]);
  const prompts = useMemo(() => promptsInView(query.data?.items ?? [], view), [query.data, view]);
  const sorting = useMemo(
    () => ({
      sort: view.sort,
      order: view.order,
      onSort: (key: PromptSortKey) => {
        const next = nextSort(view, key);
        setSearch(sortPatch(next.sort, next.order));
      },
    }),
    [view, setSearch],
  );

  if (query.isPending) return <Loading label="Loading prompts…" />;
  if (query.isError) {
    return <RetryableError error={query.error} title="Could not load the prompts" onRetry={() => query.refetch()} />;
  }
  const total = query.data.items.length;
  if (total === 0) return <NoPromptsYet projectId={projectId} />;
  const q = view.q.trim();
  return (
    <section className="stack stack--tight" aria-labelledby="prompts-title">
      <div className="prompt-list__bar">
        <h2 id="prompts-title" className="section-title">
          Prompts
        </h2>
        <div ref={searchBox} className="prompt-list__search">
          <PromptSearch q={view.q} />
        </div>
        <p role="status" className="prompt-list__count muted">
          {q ? `${prompts.length} of ${promptCount(total)}` : promptCount(total)}
        </p>
      </div>
      {prompts.length === 0 ? (
        <div className="prompt-list__empty">
          <p>No prompt matches “{q}”.</p>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              setSearch({ q: null }, { replace: true });
              searchBox.current?.querySelector('input')?.focus();
            }}
          >
            Clear search
          </Button>
        </div>
      ) : (
        <PromptSortContext value={sorting}>
          <DataTable
            label="Prompts"
            columns={promptColumns}
            data={prompts}
            getRowId={getRowId}
            onOpenRow={(prompt) => navigate(promptPath(prompt.id))}
          />
        </PromptSortContext>
      )}
    </section>
  );
}

function promptCount(count: number): string {
  return count === 1 ? '1 prompt' : `${count.toLocaleString('en-US')} prompts`;
}

/**
 * The search box: the list follows as you type, once typing pauses, and the URL keeps the search; the box follows
 * the URL when it changes otherwise (back, forward, Clear search).
 */
function PromptSearch({ q }: { q: string }) {
  const [, setSearch] = useSearchParams();
  const { text, setText } = useSearchText(q, (next) => setSearch({ q: next }, { replace: true }), {
    delayMs: SEARCH_DEBOUNCE_MS,
  });
  return (
    <TextField
      label="Search prompts"
      type="search"
      placeholder="Prompt id"
      autoComplete="off"
      spellCheck={false}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && text !== '') {
          event.preventDefault();
          setText('');
        }
      }}
    />
  );
}

/** The empty project: how to send a first execution, and the list as soon as one arrives. */
function NoPromptsYet({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: promptKeys.list(projectId) });
  const live = useExecutionEvents(projectId, null, {
    onEvent: (event) => {
      if (event.type === 'created') refresh();
    },
    onResync: refresh,
  });
  return (
    <div className="stack">
      <FirstExecutionCard />
      <p role="status" className="muted">
        {live === 'open' ? 'Waiting for the first execution: this page shows it as soon as it is logged.' : ''}
      </p>
    </div>
  );
}
