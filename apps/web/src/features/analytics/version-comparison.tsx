import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { useSearchParams } from '../../lib/router';
import { useProject } from '../auth/session';
import { SystemPromptComparison } from '../system-prompts/system-prompt-comparison';
import { comparisonQuery } from './api';
import { compareMeasures, defaultComparison, errorTypeRows, significanceNote } from './comparison';
import { SameInputSamples } from './same-inputs';
import { type AnalyticsView, analyticsParams, type ResolvedWindow } from './window';

type Props = { promptId: string; versions: readonly number[]; view: AnalyticsView; window: ResolvedWindow };

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
      {/* Before the samples, which run long: what changed in the prompt explains what changed in the answers. */}
      <SystemPromptComparison promptId={promptId} a={a} b={b} />
      {a !== undefined && b !== undefined && a !== b && (
        <SameInputSamples promptId={promptId} a={a} b={b} window={window} />
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
  // The versions compared replace the tab's version filter; its window and other filters apply to both.
  const params = useMemo(() => analyticsParams({}, { ...view, version: [] }, window), [view, window]);
  const { id: projectId } = useProject();
  const comparison = useQuery(comparisonQuery(projectId, promptId, params, a, b));

  if (comparison.isError) {
    return (
      <RetryableError
        size="sm"
        error={comparison.error}
        title="Could not compare the versions"
        onRetry={() => void comparison.refetch()}
      />
    );
  }
  if (!comparison.data) return <Loading label="Comparing versions…" />;

  const rows = compareMeasures(comparison.data);
  const errorTypes = errorTypeRows(comparison.data);
  return (
    <div className="compare__body">
      <div>
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
                    {row.verdictText && (
                      <span className="verdict__word">
                        {row.change && ' · '}
                        {row.verdictText}
                      </span>
                    )}
                  </span>
                  {row.interval && <span className="verdict__interval">{row.interval}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted compare__note">{significanceNote(comparison.data)}</p>
      </div>
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
