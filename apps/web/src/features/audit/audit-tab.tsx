import type { AuditEvent } from '@promptlog/contracts';
import { AUDIT_ACTIONS } from '@promptlog/contracts/rules';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { DateTimeField } from '../../components/date-time-field';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { MultiSelect } from '../../components/multi-select';
import { formatDateTime, formatRelativeTime } from '../../lib/format';
import { useSearchParams } from '../../lib/router';
import { auditQuery } from './api';
import {
  ACTION_NAMES,
  type AuditFilters,
  actionWords,
  actorLabel,
  auditFiltersPatch,
  describeDetails,
  hasAuditFilters,
  parseAuditFilters,
} from './describe';

const ACTION_OPTIONS = AUDIT_ACTIONS.map((action) => ({ value: action, label: ACTION_NAMES[action] }));
const NO_FILTERS: AuditFilters = { action: [], actor: '', from: '', to: '' };

export function AuditTab({ projectId }: { projectId: string }) {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => parseAuditFilters(search), [search]);
  const query = useInfiniteQuery(auditQuery(projectId, filters));
  const events = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const headingId = useId();
  const setFilters = (next: AuditFilters) => setSearch(auditFiltersPatch(next));
  const nextPageError = query.isFetchNextPageError ? query.error : null;

  return (
    <div className="settings-tab">
      <section className="stack" aria-labelledby={headingId}>
        <div className="section-header">
          <h2 id={headingId} className="section-title">
            Audit log
          </h2>
          <p className="muted">
            Who changed access, keys and data policies of this project, and who exported its executions. Newest first.
          </p>
        </div>
        <AuditFilterBar filters={filters} onChange={setFilters} />

        {query.isPending ? (
          <Loading label="Loading the audit log…" />
        ) : query.isError ? (
          <RetryableError error={query.error} title="Could not load the audit log" onRetry={() => query.refetch()} />
        ) : events.length === 0 ? (
          <div className="empty card">
            <h3 className="card__title">{hasAuditFilters(filters) ? 'No events match' : 'Nothing recorded yet'}</h3>
            <p className="muted">
              {hasAuditFilters(filters)
                ? 'No event has these actions, actor and dates. Widen the dates or clear the filters.'
                : 'Events appear here as admins change members, API keys and settings.'}
            </p>
            {hasAuditFilters(filters) && (
              <div className="empty__actions">
                <Button variant="secondary" onClick={() => setFilters(NO_FILTERS)}>
                  Clear filters
                </Button>
              </div>
            )}
          </div>
        ) : (
          <>
            <ol className="audit-feed" aria-label="Audit events">
              {events.map((event) => (
                <AuditEntry key={event.id} event={event} />
              ))}
            </ol>
            <div className="audit-feed__footer">
              {query.hasNextPage ? (
                <Button
                  variant="secondary"
                  pending={query.isFetchingNextPage}
                  onClick={() => void query.fetchNextPage()}
                >
                  Load more
                </Button>
              ) : (
                <p className="muted">
                  {events.length === 1 ? '1 event' : `${events.length.toLocaleString('en-US')} events`} — the end of the
                  log
                </p>
              )}
              <ErrorMessage error={nextPageError} title="Could not load more" />
            </div>
          </>
        )}
      </section>
    </div>
  );
}

function AuditFilterBar({ filters, onChange }: { filters: AuditFilters; onChange: (filters: AuditFilters) => void }) {
  const actorId = useId();
  // The actor is typed; it applies on Enter or when the field is left, not on every keystroke.
  const [actor, setActor] = useState(filters.actor);
  const [actorKey, setActorKey] = useState(filters.actor);
  if (actorKey !== filters.actor) {
    setActorKey(filters.actor);
    setActor(filters.actor);
  }
  const applyActor = () => {
    if (actor.trim() !== filters.actor) onChange({ ...filters, actor: actor.trim() });
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    applyActor();
  };

  return (
    <form className="filter-bar" aria-label="Audit filters" onSubmit={onSubmit}>
      <div className="filter-bar__controls">
        <MultiSelect
          label="Action"
          options={ACTION_OPTIONS}
          selected={filters.action}
          onChange={(selected) =>
            onChange({ ...filters, action: AUDIT_ACTIONS.filter((action) => selected.includes(action)) })
          }
        />
        <div className="field">
          <label className="field__label" htmlFor={actorId}>
            Actor
          </label>
          <input
            id={actorId}
            type="search"
            className="field__input"
            placeholder="Email or key label"
            value={actor}
            onChange={(event) => setActor(event.target.value)}
            onBlur={applyActor}
          />
        </div>
        <DateTimeField label="From" value={filters.from} onChange={(from) => onChange({ ...filters, from })} />
        <DateTimeField label="To" value={filters.to} onChange={(to) => onChange({ ...filters, to })} />
      </div>
      {hasAuditFilters(filters) && (
        <div>
          <Button variant="secondary" size="sm" onClick={() => onChange(NO_FILTERS)}>
            Clear filters
          </Button>
        </div>
      )}
    </form>
  );
}

function AuditEntry({ event }: { event: AuditEvent }) {
  const details = describeDetails(event.details);
  return (
    <li className="audit-event">
      <time className="audit-event__when" dateTime={event.at} title={formatDateTime(event.at)}>
        <span>{formatDateTime(event.at)}</span>
        <span className="muted">{formatRelativeTime(event.at)}</span>
      </time>
      <div className="audit-event__body">
        <p className="audit-event__sentence">
          <strong className="break">{actorLabel(event.actor)}</strong> {actionWords(event.action)}
          {event.target && (
            <>
              {' '}
              <strong className="break">{event.target}</strong>
            </>
          )}
          <code className="audit-event__code" title="The action's code, as the API filters it">
            {event.action}
          </code>
        </p>
        {details.length > 0 && (
          <dl className="audit-event__details">
            {details.map((detail) => (
              <div key={detail.label} className="audit-event__detail">
                <dt>{detail.label}</dt>
                <dd className="break">{detail.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    </li>
  );
}
