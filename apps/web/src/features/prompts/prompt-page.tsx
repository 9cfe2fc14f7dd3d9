import type { PromptList } from '@promptlog/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { Tabs } from '../../components/tabs';
import { isApiError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import {
  formatCost,
  formatCount,
  formatDateTime,
  formatLatency,
  formatPercent,
  formatRelativeTime,
} from '../../lib/format';
import { Link, useSearchParams } from '../../lib/router';
import { AnalyticsTab } from '../analytics/analytics-tab';
import { useProject } from '../auth/session';
import { useExecutionEvents } from '../logs/live';
import { LogsTab } from '../logs/logs-tab';
import { LogsUnavailable } from '../logs/logs-unavailable';
import { SystemPromptDriftNotice } from '../system-prompts/drift-notice';
import { PROMPT_FIGURES_REFRESH_MS, promptKeys, promptQuery } from './api';
import { costTitle } from './columns';
import { PROMPT_TABS, parsePromptTab, promptTabParam } from './tab';

export function PromptPage({ promptId }: { promptId: string }) {
  useDocumentTitle(promptId);
  const [search, setSearch] = useSearchParams();
  const project = useProject();
  const queryClient = useQueryClient();
  const prompt = useQuery({
    ...promptQuery(project.id, promptId),
    refetchInterval: PROMPT_FIGURES_REFRESH_MS,
    // Opened from the Prompts page, the list already holds its summary: shown while the prompt's own is read.
    placeholderData: () =>
      queryClient
        .getQueryData<PromptList>(promptKeys.list(project.id))
        ?.items.find((candidate) => candidate.id === promptId),
  });
  const summary = prompt.data;
  // Unknown until the prompt answers; a prompt that could not be read is left to the logs request to explain.
  const canViewLogs = summary?.canViewLogs !== false;
  const tab = parsePromptTab(search.get('tab'), canViewLogs);

  if (isApiError(prompt.error, 404) && prompt.error.code === 'not_found') {
    return <NoSuchPrompt promptId={promptId} />;
  }

  return (
    <div className="page page--wide">
      <header className="page__header">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/">Prompts</Link>
          <span aria-hidden="true"> / </span>
        </nav>
        <h1 className="page__title break">{promptId}</h1>
        {summary && (
          <p className="muted prompt-stats">
            Last run{' '}
            {summary.lastRunAt ? (
              <time dateTime={summary.lastRunAt} title={formatDateTime(summary.lastRunAt)}>
                {formatRelativeTime(summary.lastRunAt)}
              </time>
            ) : (
              'never'
            )}{' '}
            · {formatCount(summary.runs24h)} runs in 24 h · {formatPercent(summary.errorRate24h)} errors
            {summary.runs24h > 0 && (
              <>
                {' '}
                · <span title={costTitle(summary)}>{formatCost(summary.costUsd24h)}</span> · p95{' '}
                {formatLatency(summary.p95LatencyMs24h)}
              </>
            )}
          </p>
        )}
      </header>

      {prompt.isPending ? (
        <Loading label="Loading the prompt…" />
      ) : (
        <>
          {summary?.canViewLogs && <SystemPromptDriftNotice promptId={promptId} />}
          {prompt.isError && (
            <RetryableError
              size="sm"
              error={prompt.error}
              title="Could not load this prompt's summary"
              onRetry={() => prompt.refetch()}
            />
          )}
          <Tabs
            label="Prompt views"
            tabs={PROMPT_TABS}
            selected={tab}
            onSelect={(next) => setSearch({ tab: promptTabParam(next, canViewLogs) })}
          >
            {tab === 'logs' ? (
              canViewLogs ? (
                <LogsTab promptId={promptId} versions={summary?.versions ?? []} />
              ) : (
                <LogsUnavailable onShowAnalytics={() => setSearch({ tab: promptTabParam('analytics', false) })} />
              )
            ) : (
              <AnalyticsTab promptId={promptId} versions={summary?.versions ?? []} />
            )}
          </Tabs>
        </>
      )}
    </div>
  );
}

/** A prompt id no execution of the project has named: said plainly rather than shown as an empty list. */
function NoSuchPrompt({ promptId }: { promptId: string }) {
  const project = useProject();
  const queryClient = useQueryClient();
  // A link can run ahead of the prompt's first execution: the page turns into the prompt's once it arrives.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: promptKeys.detail(project.id, promptId) });
  useExecutionEvents(project.id, promptId, {
    onEvent: (event) => {
      if (event.type === 'created') refresh();
    },
    onResync: refresh,
  });
  return (
    <div className="page">
      <header className="page__header">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/">Prompts</Link>
          <span aria-hidden="true"> / </span>
        </nav>
        <h1 className="page__title">No such prompt</h1>
      </header>
      <section className="empty card" aria-labelledby="no-such-prompt-title">
        <h2 id="no-such-prompt-title" className="card__title break">
          No prompt “{promptId}” in {project.name}
        </h2>
        <p className="muted">
          No execution logged in this project has named this prompt. Check the link, or pick a prompt from the list.
        </p>
        <div className="empty__actions">
          <Link to="/">Back to the Prompts page</Link>
        </div>
      </section>
    </div>
  );
}
