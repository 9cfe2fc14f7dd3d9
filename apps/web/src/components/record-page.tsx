import type { ReactNode } from 'react';
import { isApiError } from '../lib/api-client';
import { useDocumentTitle } from '../lib/document-title';
import { Link } from '../lib/router';
import { CopyButton } from './copy-button';
import { RetryableError } from './error-message';
import { Loading } from './loading';

type RecordQuery<T> = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
};

type RecordPageProps<T> = {
  /** What the id names, capitalised: "Trace", "Conversation". */
  kind: string;
  id: string;
  /** The breadcrumb's page, which the not-found card also links to. */
  parent: { to: string; label: string; action: string };
  query: RecordQuery<T>;
  /** Whether the query's error stops the page; by default any error does. */
  failed?: boolean;
  /** Why nothing was found, under the not-found card's heading. */
  notFoundText: string;
  header?: ReactNode;
  children: (data: T) => ReactNode;
};

/** The page of one record named by an id in the URL: its title with the id to copy, then loading, not found, failed or its content. */
export function RecordPage<T>({
  kind,
  id,
  parent,
  query,
  failed = query.isError,
  notFoundText,
  header,
  children,
}: RecordPageProps<T>) {
  useDocumentTitle(`${kind} ${id}`);
  const noun = kind.toLowerCase();
  return (
    <div className="page page--wide">
      <header className="page__header">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={parent.to}>{parent.label}</Link>
          <span aria-hidden="true"> / </span>
        </nav>
        <div className="trace-title">
          <h1 className="page__title">
            {kind} <code className="trace-title__id">{id}</code>
          </h1>
          <CopyButton text={id} label={`Copy ${noun} ID`} />
        </div>
        {header}
      </header>
      {query.isPending ? (
        <Loading label={`Loading the ${noun}…`} />
      ) : isApiError(query.error, 404) ? (
        <div className="empty card">
          <h2 className="card__title break">
            No {noun} {id} in this project
          </h2>
          <p className="muted">{notFoundText}</p>
          <div className="empty__actions">
            <Link className="button button--secondary" to={parent.to}>
              {parent.action}
            </Link>
          </div>
        </div>
      ) : failed || query.data === undefined ? (
        <RetryableError error={query.error} title={`Could not load this ${noun}`} onRetry={() => query.refetch()} />
      ) : (
        children(query.data)
      )}
    </div>
  );
}
