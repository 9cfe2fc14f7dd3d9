import type { Timeseries } from '@promptlog/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { ChartFrame, type ChartTable } from '../../components/chart-frame';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { formatCount, formatLatency, formatPercent } from '../../lib/format';
import { useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { breakdownQuery, summaryQuery, timeseriesQuery } from './api';
import { CategoryChart, ColumnChart, TrendChart } from './charts/lazy';
import { AnalyticsControls, viewPatch } from './controls';
import { FieldDetailsTable, parseFieldSort } from './field-details';
import { axisCost, axisCount, axisLatency, axisPercent } from './format';
import {
  anyValue,
  CALLS_VALUE,
  type ChartRow,
  formatChars,
  itemCalls,
  NO_FIELD,
  OTHER_ID,
  OUTPUT_LENGTH_SERIES,
  prepareCostChart,
  prepareErrorStack,
  prepareLatency,
  prepareOutputLength,
  prepareSignalRates,
  SIGNAL_SERIES,
  signalRows,
  topN,
} from './prepare';
import { SummaryStrip } from './summary-strip';
import { VersionComparison } from './version-comparison';
import {
  type AnalyticsView,
  analyticsParams,
  bucketEnd,
  type Drill,
  drillPatch,
  parseAnalyticsView,
  resolveWindow,
  userTimeZone,
} from './window';

const EMPTY_SERIES: Timeseries = { points: [] };

export function AnalyticsTab({ promptId, versions }: { promptId: string; versions: readonly number[] }) {
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => parseAnalyticsView(search), [search]);
  const [now] = useState(() => Date.now());
  const tz = useMemo(userTimeZone, []);
  const window = useMemo(() => resolveWindow(view, now, tz), [view, now, tz]);
  const params = useMemo(() => analyticsParams({ promptId }, view, window), [promptId, view, window]);
  const fieldSort = parseFieldSort(search);

  const { id: projectId } = useProject();
  const summary = useQuery(summaryQuery(projectId, params));
  const series = useQuery(timeseriesQuery(projectId, params, { interval: window.interval, tz, by: 'errorType' }));
  const models = useQuery(breakdownQuery(projectId, params, { by: 'model', limit: 50 }));
  const fields = useQuery(breakdownQuery(projectId, params, { by: 'field', limit: 500 }));

  const data = series.data ?? EMPTY_SERIES;
  const cost = useMemo(() => prepareCostChart(data, window.interval, tz), [data, window.interval, tz]);
  const errors = useMemo(() => prepareErrorStack(data, window.interval, tz), [data, window.interval, tz]);
  const latency = useMemo(() => prepareLatency(data, window.interval, tz), [data, window.interval, tz]);
  const signals = useMemo(() => prepareSignalRates(data, window.interval, tz), [data, window.interval, tz]);
  const outputLength = useMemo(() => prepareOutputLength(data, window.interval, tz), [data, window.interval, tz]);
  const modelSignals = useMemo(() => signalRows(models.data?.items ?? [], '(no model)'), [models.data]);
  const modelRows = useMemo(() => topN(models.data?.items ?? [], 8, itemCalls, '(no model)'), [models.data]);
  const fieldRows = useMemo(() => topN(fields.data?.items ?? [], 10, itemCalls, NO_FIELD), [fields.data]);
  const starts = useMemo(() => data.points.map((point) => point.start), [data]);
  const totalCalls = summary.data?.calls ?? data.points.reduce((sum, point) => sum + point.calls, 0);
  const noCalls = series.isSuccess && data.points.every((point) => point.calls === 0);

  const drill = useCallback((slice: Drill) => setSearch(drillPatch(slice, window)), [setSearch, window]);
  const bucket = useCallback(
    (index: number): Drill | null => {
      const start = starts[index];
      return start ? { from: start, to: bucketEnd(starts, index, window.interval, window.to) } : null;
    },
    [starts, window],
  );
  const drillBucket = (index: number, extra: Drill = {}) => {
    const slice = bucket(index);
    if (slice) drill({ ...slice, ...extra });
  };
  const drillModel = (index: number) => {
    const row = modelRows[index];
    if (row && row.id !== OTHER_ID && row.id !== '') drill({ model: row.id });
  };

  const setView = (next: AnalyticsView) => setSearch(viewPatch(next));
  const bucketWord = window.interval === 'hour' ? 'hour' : 'day';

  return (
    <div className="analytics">
      <AnalyticsControls view={view} interval={window.interval} versions={versions} onChange={setView} />
      <p className="muted analytics__window">
        {window.interval === 'hour' ? 'Hourly' : 'Daily'} buckets in {tz}. Click a bar or point to open its logs.
      </p>
      <SummaryStrip label={`Totals for ${promptId}`} query={summary} />
      <SummaryStrip label={`Output signals for ${promptId}`} query={summary} kind="signals" />

      {noCalls && (
        <div className="card empty">
          <h3 className="card__title">No calls in this window</h3>
          <p className="muted">
            Nothing was logged for this prompt with these filters. Widen the time window or clear the filters.
          </p>
        </div>
      )}

      {!noCalls && (
        <>
          <div className="chart-grid">
            <ChartFrame
              title={cost.title}
              note={cost.note}
              query={series}
              isEmpty={noCalls}
              summary={`${cost.title} per ${bucketWord}, ${data.points.length} buckets.`}
              table={bucketTable(cost.rows, cost.series, cost.mode === 'cost' ? costCell : countCell, (i) =>
                drillBucket(i),
              )}
            >
              <ColumnChart
                rows={cost.rows}
                series={cost.series}
                format={cost.mode === 'cost' ? axisCost : axisCount}
                onSelect={(index) => drillBucket(index)}
              />
            </ChartFrame>

            <ChartFrame
              title="Calls by model"
              query={models}
              isEmpty={modelRows.length === 0}
              summary={`${modelRows.length} models; ${modelRows.map((row) => `${row.label}: ${formatCount(Number(row.value))}`).join(', ')}.`}
              table={categoryTable('Model', modelRows, (i) => drillModel(i))}
            >
              <CategoryChart rows={modelRows} series={CALLS_VALUE} format={axisCount} onSelect={drillModel} />
            </ChartFrame>

            <ChartFrame
              title="Calls by field"
              note={
                fieldRows.some((row) => row.id === OTHER_ID)
                  ? 'The 10 busiest fields; the rest are summed as Other.'
                  : null
              }
              query={fields}
              isEmpty={fieldRows.length === 0}
              summary={`${fieldRows.length} fields; ${fieldRows.map((row) => `${row.label}: ${formatCount(Number(row.value))}`).join(', ')}.`}
              table={categoryTable('Field', fieldRows, () => drill({}))}
            >
              <CategoryChart rows={fieldRows} series={CALLS_VALUE} format={axisCount} onSelect={() => drill({})} />
            </ChartFrame>

            <ChartFrame
              title="Errors over time"
              note={errors.total === 0 ? null : 'Stacked by error type.'}
              query={series}
              isEmpty={noCalls || errors.total === 0}
              emptyText={noCalls ? 'No calls in this window.' : `No errors in ${formatCount(totalCalls)} calls.`}
              summary={`${formatCount(errors.total)} errors of ${errors.series.length} types per ${bucketWord}.`}
              table={bucketTable(errors.rows, errors.series, countCell, (i) => drillBucket(i, { status: 'error' }))}
            >
              <ColumnChart
                rows={errors.rows}
                series={errors.series}
                format={axisCount}
                onSelect={(index) => drillBucket(index, { status: 'error' })}
              />
            </ChartFrame>

            <ChartFrame
              title="Latency"
              note="p50 and p95 per bucket, from histograms (within about 5%). Empty buckets are gaps."
              query={series}
              isEmpty={noCalls}
              summary={`p50 and p95 latency per ${bucketWord}.`}
              table={bucketTable(latency, LATENCY_SERIES, latencyCell, (i) => drillBucket(i))}
              className="chart--wide"
            >
              <TrendChart
                rows={latency}
                series={LATENCY_SERIES}
                format={axisLatency}
                onSelect={(index) => drillBucket(index)}
              />
            </ChartFrame>

            <ChartFrame
              title="Output signals over time"
              note="Refusals and truncations per call; JSON-invalid per answer checked as JSON. A bucket without one is a gap."
              query={series}
              isEmpty={noCalls}
              summary={`Refusal, truncation and JSON-invalid rates per ${bucketWord}.`}
              table={bucketTable(signals, SIGNAL_SERIES, percentCell, (i) => drillBucket(i))}
            >
              <TrendChart
                rows={signals}
                series={SIGNAL_SERIES}
                format={axisPercent}
                onSelect={(index) => drillBucket(index)}
              />
            </ChartFrame>

            <ChartFrame
              title="Output length"
              note="Characters per answer, average and p95 (from histograms, within about 5%); calls without an answer (pending, failed) are left out."
              query={series}
              isEmpty={noCalls || !anyValue(outputLength, 'chars')}
              emptyText={noCalls ? 'No calls in this window.' : 'No call in this window has an answer.'}
              summary={`Average and p95 answer length in characters per ${bucketWord}.`}
              table={bucketTable(outputLength, OUTPUT_LENGTH_SERIES, charsCell, (i) => drillBucket(i))}
            >
              <TrendChart
                rows={outputLength}
                series={OUTPUT_LENGTH_SERIES}
                format={axisCount}
                onSelect={(index) => drillBucket(index)}
              />
            </ChartFrame>
          </div>

          <section className="stack stack--tight" aria-labelledby="model-signals-title">
            <h3 id="model-signals-title" className="section-title">
              Output signals by model
            </h3>
            {models.isPending ? (
              <Loading label="Loading models…" />
            ) : models.isError ? (
              <RetryableError
                size="sm"
                error={models.error}
                title="Could not load the models"
                onRetry={() => models.refetch()}
              />
            ) : modelSignals.length === 0 ? (
              <p className="muted">No calls in this window.</p>
            ) : (
              <table className="compare__table">
                <caption className="visually-hidden">Output signals per model in this window</caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col" className="numeric-cell">
                      Calls
                    </th>
                    <th scope="col" className="numeric-cell">
                      Refusal rate
                    </th>
                    <th scope="col" className="numeric-cell">
                      Truncation rate
                    </th>
                    <th scope="col" className="numeric-cell">
                      JSON-invalid rate
                    </th>
                    <th scope="col" className="numeric-cell">
                      Avg output
                    </th>
                    <th scope="col" className="numeric-cell">
                      p95 output
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {modelSignals.map((row) => (
                    <tr key={row.key}>
                      <th scope="row">{row.label}</th>
                      <td className="numeric numeric-cell">{row.calls}</td>
                      <td className="numeric numeric-cell">{row.refusal}</td>
                      <td className="numeric numeric-cell">{row.truncation}</td>
                      <td className="numeric numeric-cell">{row.jsonInvalid}</td>
                      <td className="numeric numeric-cell">{row.avgOutput}</td>
                      <td className="numeric numeric-cell">{row.p95Output}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="stack stack--tight" aria-labelledby="field-details-title">
            <h3 id="field-details-title" className="section-title">
              Field details
            </h3>
            {fields.isPending ? (
              <Loading label="Loading fields…" />
            ) : fields.isError ? (
              <RetryableError
                size="sm"
                error={fields.error}
                title="Could not load the fields"
                onRetry={() => fields.refetch()}
              />
            ) : fields.data.items.length === 0 ? (
              <p className="muted">No calls in this window.</p>
            ) : (
              <FieldDetailsTable
                items={fields.data.items}
                sort={fieldSort.sort}
                order={fieldSort.order}
                onSort={(sort, order) =>
                  setSearch(
                    {
                      fieldSort: sort === 'calls' && order === 'desc' ? null : sort,
                      fieldOrder: order === 'desc' ? null : order,
                    },
                    { replace: true },
                  )
                }
                onOpen={() => drill({})}
              />
            )}
          </section>
        </>
      )}

      <VersionComparison promptId={promptId} versions={versions} view={view} window={window} />
    </div>
  );
}

const LATENCY_SERIES = [
  { key: 'p50', label: 'p50' },
  { key: 'p95', label: 'p95' },
];

export type Cell = (value: string | number | null | undefined) => string;
export const countCell: Cell = (value) => (typeof value === 'number' ? formatCount(value) : '—');
export const costCell: Cell = (value) =>
  value === null ? 'unpriced' : typeof value === 'number' ? axisCost(value) : '—';
const latencyCell: Cell = (value) => (typeof value === 'number' ? formatLatency(value) : '—');
const percentCell: Cell = (value) => (typeof value === 'number' ? formatPercent(value) : '—');
const charsCell: Cell = (value) => (typeof value === 'number' ? formatChars(value) : '—');

function bucketTable(
  rows: ChartRow[],
  series: { key: string; label: string }[],
  cell: Cell,
  open: (index: number) => void,
): ChartTable {
  return {
    headers: ['Bucket', ...series.map((spec) => spec.label), 'Logs'],
    rows: rows.map((row, index) => ({
      key: row.id,
      cells: [
        row.fullLabel,
        ...series.map((spec) => cell(row[spec.key])),
        <button key="open" type="button" className="link-button" onClick={() => open(index)}>
          Open logs
        </button>,
      ],
    })),
  };
}

export function categoryTable(
  name: string,
  rows: ChartRow[],
  open: ((index: number) => void) | null,
  cell: Cell = countCell,
  valueHeader = 'Calls',
): ChartTable {
  return {
    headers: open ? [name, valueHeader, 'Logs'] : [name, valueHeader],
    rows: rows.map((row, index) => ({
      key: `${index}:${row.id}`,
      cells: [
        row.fullLabel,
        cell(row.value),
        ...(open === null
          ? []
          : [
              row.id === OTHER_ID ? (
                ''
              ) : (
                <button key="open" type="button" className="link-button" onClick={() => open(index)}>
                  Open logs
                </button>
              ),
            ]),
      ],
    })),
  };
}
