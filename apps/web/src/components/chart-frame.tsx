import { type ReactNode, Suspense, useId } from 'react';
import { RetryableError } from './error-message';
import { Loading } from './loading';

export type ChartTable = {
  headers: string[];
  rows: { key: string; cells: ReactNode[] }[];
};

type ChartFrameProps = {
  title: string;
  /** What the chart leaves out or why it is drawn this way; shown under the title. */
  note?: string | null;
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  isEmpty?: boolean;
  emptyText?: string;
  /** One sentence for screen readers saying what the chart shows. */
  summary?: string;
  /** The chart's data as a table: the accessible alternative, and a keyboard path to the drill-downs. */
  table?: ChartTable;
  className?: string;
  /** Content that is itself accessible (a list of links) rather than a drawing the table stands in for. */
  accessibleContent?: boolean;
  children: ReactNode;
};

/** A chart's figure: heading, loading/error/empty states, a text summary and a data table behind a toggle. */
export function ChartFrame({
  title,
  note,
  query,
  isEmpty = false,
  emptyText = 'No calls in this window.',
  summary,
  table,
  className,
  accessibleContent = false,
  children,
}: ChartFrameProps) {
  const id = useId();
  const ready = !query.isPending && !query.isError && !isEmpty;
  return (
    <figure className={['chart card', className ?? ''].filter(Boolean).join(' ')} aria-labelledby={`${id}-title`}>
      <figcaption className="chart__caption">
        <h3 id={`${id}-title`} className="chart__title">
          {title}
        </h3>
        {note && ready && <p className="chart__note">{note}</p>}
      </figcaption>
      {query.isPending ? (
        <Loading label={`Loading ${title.toLowerCase()}…`} />
      ) : query.isError ? (
        <RetryableError
          size="sm"
          error={query.error}
          title={`Could not load ${title.toLowerCase()}`}
          onRetry={() => query.refetch()}
        />
      ) : isEmpty ? (
        <p className="chart__empty muted">{emptyText}</p>
      ) : (
        <>
          {summary && <p className="visually-hidden">{summary}</p>}
          <div className="chart__plot" aria-hidden={accessibleContent ? undefined : true}>
            <Suspense fallback={<Loading label="Loading chart…" />}>{children}</Suspense>
          </div>
          {table && (
            <details className="chart__data">
              <summary className="chart__toggle">Data table</summary>
              <div className="chart__table-scroll">
                <table className="chart__table">
                  <caption className="visually-hidden">{title}</caption>
                  <thead>
                    <tr>
                      {table.headers.map((header) => (
                        <th key={header} scope="col">
                          {header}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((row) => (
                      <tr key={row.key}>
                        {row.cells.map((cell, index) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional, matching the headers
                          <td key={index}>{cell}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          )}
        </>
      )}
    </figure>
  );
}
