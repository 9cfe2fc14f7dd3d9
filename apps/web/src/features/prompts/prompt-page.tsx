import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useRef } from 'react';
import { useDocumentTitle } from '../../lib/document-title';
import { formatCount, formatDateTime, formatPercent, formatRelativeTime } from '../../lib/format';
import { Link, useSearchParams } from '../../lib/router';
import { AnalyticsTab } from '../analytics/analytics-tab';
import { LogsTab } from '../logs/logs-tab';
import { promptsQuery } from './api';

const TABS = [
  { value: 'logs', label: 'Logs' },
  { value: 'analytics', label: 'Analytics' },
] as const;
type Tab = (typeof TABS)[number]['value'];

export function PromptPage({ promptId }: { promptId: string }) {
  useDocumentTitle(promptId);
  const [search, setSearch] = useSearchParams();
  const tab: Tab = search.get('tab') === 'analytics' ? 'analytics' : 'logs';
  const prompts = useQuery(promptsQuery());
  const summary = prompts.data?.items.find((prompt) => prompt.id === promptId);
  const id = useId();
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());

  const select = (next: Tab, focus = false) => {
    setSearch({ tab: next === 'logs' ? null : next });
    if (focus) tabRefs.current.get(next)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((candidate) => candidate.value === tab);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index - 1 + TABS.length) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const target = moves[event.key];
    const next = target === undefined ? undefined : TABS[target];
    if (!next) return;
    event.preventDefault();
    select(next.value, true);
  };

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

      <div className="tabs">
        <div role="tablist" aria-label="Prompt views" className="tabs__list" onKeyDown={onKeyDown}>
          {TABS.map((option) => (
            <button
              key={option.value}
              ref={(element) => {
                if (element) tabRefs.current.set(option.value, element);
                else tabRefs.current.delete(option.value);
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${option.value}`}
              aria-controls={`${id}-panel-${option.value}`}
              aria-selected={tab === option.value}
              tabIndex={tab === option.value ? 0 : -1}
              className="tabs__tab"
              onClick={() => select(option.value)}
            >
              {option.label}
            </button>
          ))}
        </div>
        <div
          role="tabpanel"
          id={`${id}-panel-${tab}`}
          aria-labelledby={`${id}-tab-${tab}`}
          className="tabs__panel"
          tabIndex={-1}
        >
          {tab === 'logs' ? (
            <LogsTab promptId={promptId} versions={summary?.versions ?? []} />
          ) : (
            <AnalyticsTab promptId={promptId} versions={summary?.versions ?? []} />
          )}
        </div>
      </div>
    </div>
  );
}
