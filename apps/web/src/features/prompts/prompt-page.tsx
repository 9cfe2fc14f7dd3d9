import { useQuery } from '@tanstack/react-query';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { Tabs } from '../../components/tabs';
import { useDocumentTitle } from '../../lib/document-title';
import { formatCount, formatDateTime, formatPercent, formatRelativeTime } from '../../lib/format';
import { Link, useSearchParams } from '../../lib/router';
import { AnalyticsTab } from '../analytics/analytics-tab';
import { useProject } from '../auth/session';
import { LogsTab } from '../logs/logs-tab';
import { LogsUnavailable } from '../logs/logs-unavailable';
import { promptsQuery } from './api';
import { PROMPT_TABS, parsePromptTab, promptTabParam } from './tab';

export function PromptPage({ promptId }: { promptId: string }) {
  useDocumentTitle(promptId);
  const [search, setSearch] = useSearchParams();
  const project = useProject();
  const prompts = useQuery(promptsQuery(project.id));
  const summary = prompts.data?.items.find((prompt) => prompt.id === promptId);
  // Unknown until the list answers; a prompt missing from it is left to the logs request to explain.
  const canViewLogs = summary?.canViewLogs !== false;
  const tab = parsePromptTab(search.get('tab'), canViewLogs);

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
          </p>
        )}
      </header>

      {prompts.isPending ? (
        <Loading label="Loading the prompt…" />
      ) : (
        <>
          {prompts.isError && (
            <div className="stack stack--tight">
              <ErrorMessage error={prompts.error} title="Could not load this prompt's summary" />
              <div>
                <Button variant="secondary" size="sm" onClick={() => prompts.refetch()}>
                  Try again
                </Button>
              </div>
            </div>
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
