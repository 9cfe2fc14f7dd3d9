import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { breakdownQuery, summaryQuery } from './api';
import { compareErrorTypes, compareMeasures, defaultComparison, type Verdict } from './prepare';
import { type AnalyticsView, analyticsParams, type ResolvedWindow } from './window';

type Props = { promptId: string; versions: readonly number[]; view: AnalyticsView; window: ResolvedWindow };

const VERDICT_TEXT: Record<Exclude<Verdict, null>, string> = {
  better: 'better',
  worse: 'worse',
  same: 'about the same',
};

function chosen(search: URLSearchParams, key: string, versions: readonly number[], fallback: number | undefined) {
  const value = Number(search.get(key));
  return versions.includes(value) ? value : fallback;
}

/** Two versions side by side over the same window and filters, so a regression after an update shows. */
export function VersionComparison({ promptId, versions, view, window }: Props) {
  const [search, setSearch] = useSearchParams();
  const id = useId();
  const fallback = defaultComparison(versions);
  const a = chosen(search, 'compareA', versions, fallback?.[0]);
  const b = chosen(search, 'compareB', versions, fallback?.[1]);
  const sorted = useMemo(() => [...versions].sort((x, y) => y - x), [versions]);

  return (
    <section className="card stack compare" aria-labelledby={`${id}-title`}>
      <div className="compare__header">
        <div>
          <h3 id={`${id}-title`} className="card__title">
            Compare versions
          </h3>
          <p className="muted compare__intro">Two versions over the same window and filters.</p>
        </div>
        {a !== undefined && b !== undefined && (
          <div className="compare__pickers">
            <VersionSelect
              label="Version A"
              value={a}
              versions={sorted}
              onChange={(v) => setSearch({ compareA: v }, { replace: true })}
            />
            <span aria-hidden="true" className="muted">
              vs
            </span>
            <VersionSelect
              label="Version B"
              value={b}
              versions={sorted}
              onChange={(v) => setSearch({ compareB: v }, { replace: true })}
            />
          </div>
        )}
      </div>
      {a === undefined || b === undefined ? (
        <p className="muted">
          Comparing needs two versions; this prompt has logged {versions.length === 1 ? 'one' : 'none'} so far.
        </p>
      ) : a === b ? (
        <p className="muted">Choose two different versions.</p>
      ) : (
        <Comparison promptId={promptId} a={a} b={b} view={view} window={window} />
      )}
    </section>
  );
}

function errorChange(a: number, b: number): string {
  if (a === 0 && b > 0) return '(new)';
  if (b === 0 && a > 0) return '(gone)';
  if (b > a) return '(more)';
  if (b < a) return '(fewer)';
  return '';
}

function VersionSelect(props: { label: string; value: number; versions: number[]; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <div className="field compare__field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <select
        id={id}
        className="field__input"
        value={props.value}
        onChange={(event) => props.onChange(Number(event.target.value))}
      >
        {props.versions.map((version) => (
          <option key={version} value={version}>
            v{version}
          </option>
        ))}
      </select>
    </div>
  );
}

function Comparison({
  promptId,
  a,
  b,
  view,
  window,
}: {
  promptId: string;
  a: number;
  b: number;
  view: AnalyticsView;
  window: ResolvedWindow;
}) {
  const paramsA = useMemo(
    () => analyticsParams({ promptId }, { ...view, version: [String(a)] }, window),
    [promptId, view, window, a],
  );
  const paramsB = useMemo(
    () => analyticsParams({ promptId }, { ...view, version: [String(b)] }, window),
    [promptId, view, window, b],
  );
  const { id: projectId } = useProject();
  const summaryA = useQuery(summaryQuery(projectId, paramsA));
  const summaryB = useQuery(summaryQuery(projectId, paramsB));
  const errorsA = useQuery(breakdownQuery(projectId, paramsA, { by: 'errorType', limit: 50 }));
  const errorsB = useQuery(breakdownQuery(projectId, paramsB, { by: 'errorType', limit: 50 }));
  const queries = [summaryA, summaryB, errorsA, errorsB];
  const failed = queries.find((query) => query.isError);

  if (failed) {
    return (
      <RetryableError
        size="sm"
        error={failed.error}
        title="Could not compare the versions"
        onRetry={() => {
          for (const query of queries) void query.refetch();
        }}
      />
    );
  }
  if (!summaryA.data || !summaryB.data || !errorsA.data || !errorsB.data)
    return <Loading label="Comparing versions…" />;

  const rows = compareMeasures(summaryA.data, summaryB.data);
  const errorTypes = compareErrorTypes(errorsA.data.items, errorsB.data.items);
  return (
    <div className="compare__body">
      <table className="compare__table">
        <caption className="visually-hidden">
          v{a} against v{b} in this window
        </caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="numeric-cell">
              v{a}
            </th>
            <th scope="col" className="numeric-cell">
              v{b}
            </th>
            <th scope="col">
              v{b} against v{a}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.metric}>
              <th scope="row">{row.metric}</th>
              <td className="numeric numeric-cell">{row.a}</td>
              <td className="numeric numeric-cell">{row.b}</td>
              <td>
                <span className={row.verdict ? `verdict verdict--${row.verdict}` : 'verdict'}>
                  {row.change}
                  {row.verdict && row.verdict !== 'same' && (
                    <span className="verdict__word">
                      {' · '}
                      {VERDICT_TEXT[row.verdict]}
                    </span>
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <h4 className="compare__subtitle">Errors by type</h4>
        {errorTypes.length === 0 ? (
          <p className="muted">Neither version had errors in this window.</p>
        ) : (
          <table className="compare__table">
            <thead>
              <tr>
                <th scope="col">Error type</th>
                <th scope="col" className="numeric-cell">
                  v{a}
                </th>
                <th scope="col" className="numeric-cell">
                  v{b}
                </th>
              </tr>
            </thead>
            <tbody>
              {errorTypes.map((row) => (
                <tr key={row.type}>
                  <th scope="row">{row.type}</th>
                  <td className="numeric numeric-cell">{row.a}</td>
                  <td
                    className={`numeric numeric-cell${row.b > row.a ? ' verdict--worse' : row.b < row.a ? ' verdict--better' : ''}`}
                  >
                    {row.b}
                    <span className="verdict__word"> {errorChange(row.a, row.b)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
