import type { Breakdown, ProjectSummary } from '@promptlog/contracts';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ChartFrame } from '../../components/chart-frame';
import { SelectField } from '../../components/select-field';
import { useDocumentTitle } from '../../lib/document-title';
import { formatCount } from '../../lib/format';
import { Link, navigate, useSearchParams } from '../../lib/router';
import { categoryTable, costCell, countCell } from '../analytics/analytics-tab';
import { breakdownQuery, summaryQuery, timeseriesQuery } from '../analytics/api';
import { CategoryChart, ColumnChart } from '../analytics/charts/lazy';
import { AnalyticsControls, viewPatch } from '../analytics/controls';
import { axisCost, axisCount } from '../analytics/format';
import {
  CALLS_SERIES,
  CALLS_VALUE,
  type ChartRow,
  COST_VALUE,
  itemCalls,
  itemCost,
  labelUnknown,
  type PromptRank,
  plural,
  prepareCalls,
  rankPrompts,
  topN,
} from '../analytics/prepare';
import { SummaryStrip } from '../analytics/summary-strip';
import { analyticsParams, parseAnalyticsView, resolveWindow, userTimeZone } from '../analytics/window';
import { useSession } from '../auth/session';
import { promptPath } from '../prompts/api';

/** Organisation totals: every prompt of the project, or of every project the user belongs to. */
export function DashboardPage() {
  useDocumentTitle('Dashboard');
  const { project, projects } = useSession();
  if (!project) {
    return (
      <div className="page">
        <header className="page__header">
          <h1 className="page__title">Dashboard</h1>
          <p className="muted">You are not a member of any project. Ask an admin to add you to one.</p>
        </header>
      </div>
    );
  }
  return <Dashboard project={project} projects={projects} />;
}

function Dashboard({ project, projects }: { project: ProjectSummary; projects: readonly ProjectSummary[] }) {
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => parseAnalyticsView(search), [search]);
  const allProjects = projects.length > 1 && search.get('scope') === 'all';
  const [now] = useState(() => Date.now());
  const tz = useMemo(userTimeZone, []);
  const window = useMemo(() => resolveWindow(view, now, tz), [view, now, tz]);
  const params = useMemo(() => analyticsParams({ allProjects }, view, window), [allProjects, view, window]);

  const summary = useQuery(summaryQuery(project.id, params));
  const daily = useQuery(timeseriesQuery(project.id, params, { interval: 'day', tz }));
  const prompts = useQuery(breakdownQuery(project.id, params, { by: 'prompt', limit: 500 }));
  const models = useQuery(breakdownQuery(project.id, params, { by: 'model', limit: 50 }));

  const dailyRows = useMemo(() => (daily.data ? prepareCalls(daily.data, 'day', tz) : []), [daily.data, tz]);
  const mostUsed = useMemo(() => rankPrompts(prompts.data?.items ?? [], 'calls', 8), [prompts.data]);
  const mostErrors = useMemo(() => rankPrompts(prompts.data?.items ?? [], 'errors', 8), [prompts.data]);
  const noCalls = summary.data?.calls === 0;
  const projectName = (id: string | undefined) => projects.find((candidate) => candidate.id === id)?.name;
  const rankSource = {
    query: prompts,
    projectName: allProjects ? projectName : undefined,
    linkable: !allProjects,
  };
  const openPrompt = (row: ChartRow | undefined) => {
    if (!row || row.id === '' || row.id.startsWith('\u0000')) return;
    navigate(`${promptPath(row.id)}?tab=analytics`);
  };

  return (
    <div className="page page--wide">
      <header className="page__header">
        <p className="eyebrow">{allProjects ? `All ${projects.length} projects` : project.name}</p>
        <h1 className="page__title">Dashboard</h1>
        <p className="muted">Totals across every prompt, in {tz}.</p>
      </header>
      <div className="analytics">
        <div className="dashboard__controls">
          <AnalyticsControls
            view={view}
            interval={window.interval}
            showInterval={false}
            onChange={(next) => setSearch(viewPatch(next))}
          />
          {projects.length > 1 && (
            <SelectField
              label="Projects"
              className="dashboard__scope"
              value={allProjects ? 'all' : 'current'}
              options={[
                { value: 'current', label: project.name },
                { value: 'all', label: `All my projects (${projects.length})` },
              ]}
              onChange={(scope) => setSearch({ scope: scope === 'all' ? 'all' : null })}
            />
          )}
        </div>
        <SummaryStrip label="Organisation totals" query={summary} />

        <div className="chart-grid">
          <ChartFrame
            title="Daily activity"
            query={daily}
            isEmpty={noCalls}
            summary={`Calls per day: ${dailyRows.map((row) => `${row.fullLabel} ${formatCount(Number(row.calls))}`).join(', ')}.`}
            table={{
              headers: ['Day', 'Calls'],
              rows: dailyRows.map((row) => ({ key: row.id, cells: [row.fullLabel, countCell(row.calls)] })),
            }}
            className="chart--wide"
          >
            <ColumnChart rows={dailyRows} series={CALLS_SERIES} format={axisCount} height={200} />
          </ChartFrame>

          <CostBreakdownCard name="Prompt" query={prompts} onSelect={allProjects ? undefined : openPrompt} />
          <CostBreakdownCard name="Model" query={models} />

          <RankCard
            title="Most used prompts"
            ranks={mostUsed}
            unit="call"
            empty="No calls in this window."
            {...rankSource}
          />
          <RankCard
            title="Most errors"
            ranks={mostErrors}
            unit="error"
            empty="No errors in this window."
            {...rankSource}
          />
        </div>
        <p>
          <Link to="/">All prompts</Link>
        </p>
      </div>
    </div>
  );
}

/** The top ten by cost, or by calls when nothing in the window is priced, with the rest summed as "Other". */
function CostBreakdownCard({
  name,
  query,
  onSelect,
}: {
  name: 'Prompt' | 'Model';
  query: UseQueryResult<Breakdown>;
  onSelect?: (row: ChartRow | undefined) => void;
}) {
  const noun = name.toLowerCase();
  const items = query.data?.items ?? [];
  const priced = items.some((item) => item.costUsd !== null);
  const rows = useMemo(
    () => labelUnknown(topN(query.data?.items ?? [], 10, priced ? itemCost : itemCalls, `(no ${noun})`), 'unpriced'),
    [query.data, priced, noun],
  );
  return (
    <ChartFrame
      title={priced ? `Cost by ${noun}` : `Calls by ${noun}`}
      note={priced ? costNote(items) : 'No call in this window has a known price, so this shows calls instead of cost.'}
      query={query}
      isEmpty={rows.length === 0}
      summary={`${rows.length} ${noun}s.`}
      table={categoryTable(name, rows, null, priced ? costCell : countCell, priced ? 'Cost' : 'Calls')}
    >
      <CategoryChart
        rows={rows}
        series={priced ? COST_VALUE : CALLS_VALUE}
        format={priced ? axisCost : axisCount}
        onSelect={onSelect && ((index) => onSelect(rows[index]))}
      />
    </ChartFrame>
  );
}

function costNote(items: readonly { calls: number; unpricedCalls: number }[]): string | null {
  const calls = items.reduce((sum, item) => sum + item.calls, 0);
  const unpriced = items.reduce((sum, item) => sum + item.unpricedCalls, 0);
  return unpriced === 0
    ? null
    : `${formatCount(unpriced)} of ${formatCount(calls)} calls have no known price and are not counted.`;
}

type RankCardProps = {
  title: string;
  ranks: PromptRank[];
  unit: string;
  empty: string;
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  projectName?: (id: string | undefined) => string | undefined;
  linkable: boolean;
};

function RankCard({ title, ranks, unit, empty, query, projectName, linkable }: RankCardProps) {
  return (
    <ChartFrame title={title} query={query} isEmpty={ranks.length === 0} emptyText={empty} accessibleContent>
      <ol className="rank-list">
        {ranks.map((rank) => (
          <li key={`${rank.projectId ?? ''}|${rank.key}`} className="rank-list__item">
            <span className="rank-list__name" title={rank.key}>
              {linkable ? <Link to={`${promptPath(rank.key)}?tab=analytics`}>{rank.key}</Link> : rank.key}
              {projectName && <span className="muted"> · {projectName(rank.projectId) ?? 'other project'}</span>}
            </span>
            <span className="rank-list__value numeric">
              {plural(rank.value, unit)}
              <span className="muted"> · {rank.detail}</span>
            </span>
          </li>
        ))}
      </ol>
    </ChartFrame>
  );
}
