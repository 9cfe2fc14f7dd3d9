import type { AlertEvent, AlertRule, SavedAlertRule } from '@promptlog/contracts';
import {
  ALERT_CONDITION_LABELS,
  ALERT_CONDITIONS,
  ALERT_MEASURE_INFO,
  ALERT_MEASURES,
  type AlertConditionKey,
  type AlertMeasureKey,
  SOURCE_TYPES,
} from '@promptlog/contracts/rules';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { RevealCard } from '../../components/reveal-card';
import { SecretField } from '../../components/secret-field';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useProject } from '../auth/session';
import {
  alertDeliveriesQuery,
  alertEventsQuery,
  alertKeys,
  alertRulesQuery,
  createAlertRule,
  deleteAlertRule,
  markAlertsRead,
  testAlertRule,
  updateAlertRule,
} from './api';
import {
  describeNumbers,
  describeScope,
  EMPTY_RULE_FORM,
  formatMeasure,
  formToRequest,
  RULE_FIELDS,
  type RuleForm,
  ruleToForm,
  validateRuleForm,
} from './format';

/** /alerts: the project's alerts, newest first, and its rules (managed by admins). */
export function AlertsPage() {
  useDocumentTitle('Alerts');
  const project = useProject();
  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">Alerts</h1>
        <p className="muted">
          Rules are evaluated every minute from the hourly rollups. A rule fires once while its condition holds and
          resolves when it no longer does.
        </p>
      </header>
      <AlertHistory projectId={project.id} />
      <AlertRules projectId={project.id} />
    </div>
  );
}

function AlertHistory({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(alertEventsQuery(projectId));
  const headingId = useId();
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];
  const unread = query.data?.pages[0]?.unreadCount ?? 0;
  const newest = events[0];
  const markRead = useMutation({
    mutationFn: (through: string) => markAlertsRead(projectId, through),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: alertKeys.events(projectId) });
      void queryClient.invalidateQueries({ queryKey: alertKeys.unread(projectId) });
    },
  });
  return (
    <section className="stack" aria-labelledby={headingId}>
      <div className="alerts-section-header">
        <h2 id={headingId} className="section-title">
          Recent alerts {unread > 0 && <span className="muted">({unread} unread)</span>}
        </h2>
        {unread > 0 && newest && (
          <Button variant="secondary" size="sm" pending={markRead.isPending} onClick={() => markRead.mutate(newest.id)}>
            Mark all as read
          </Button>
        )}
      </div>
      <ErrorMessage error={markRead.error} title="Could not mark the alerts read" />
      {query.isPending ? (
        <Loading label="Loading alerts…" />
      ) : query.isError ? (
        <RetryableError error={query.error} title="Could not load the alerts" onRetry={() => query.refetch()} />
      ) : events.length === 0 ? (
        <p className="muted">No alert has fired in this project.</p>
      ) : (
        <>
          <ul className="alert-list" aria-label="Alerts">
            {events.map((event) => (
              <AlertItem key={event.id} event={event} />
            ))}
          </ul>
          {query.hasNextPage && (
            <div>
              <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function AlertItem({ event }: { event: AlertEvent }) {
  const titleId = useId();
  return (
    <li className={event.unread ? 'alert-item alert-item--unread' : 'alert-item'} aria-labelledby={titleId}>
      <div className="alert-item__header">
        <h3 id={titleId} className="alert-item__title">
          {event.ruleName}
        </h3>
        <span className={event.resolvedAt ? 'badge badge--success' : 'badge badge--error'}>
          {event.resolvedAt ? 'Resolved' : 'Firing'}
        </span>
        {event.unread && <span className="badge">Unread</span>}
      </div>
      <p className="alert-item__subject">{event.subject}</p>
      <p>{describeNumbers(event.numbers)}</p>
      <p className="muted">
        Fired {formatDateTime(event.firedAt)}
        {event.resolvedAt && <> · resolved {formatDateTime(event.resolvedAt)}</>}
        {' · '}
        <Link to={event.link}>{event.link.startsWith('/prompts/') ? 'Show in Logs' : 'Open the dashboard'}</Link>
      </p>
    </li>
  );
}

function AlertRules({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const query = useQuery(alertRulesQuery(projectId));
  const headingId = useId();
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const [saved, setSaved] = useState<SavedAlertRule | null>(null);
  const remove = useMutation({
    mutationFn: (rule: AlertRule) => deleteAlertRule(projectId, rule.id),
    onSuccess: () => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: alertKeys.all });
    },
  });
  const canManage = query.data?.canManage ?? false;
  const onSaved = (rule: SavedAlertRule) => {
    setEditing(null);
    setSaved(rule.webhookSecret ? rule : null);
    void queryClient.invalidateQueries({ queryKey: alertKeys.rules(projectId) });
  };

  return (
    <>
      <section className="stack" aria-labelledby={headingId}>
        <h2 id={headingId} className="section-title">
          Rules
        </h2>
        {query.isPending ? (
          <Loading label="Loading rules…" />
        ) : query.isError ? (
          <RetryableError error={query.error} title="Could not load the rules" onRetry={() => query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <p className="muted">This project has no alert rules.</p>
        ) : (
          <ul className="alert-list" aria-label="Rules">
            {query.data.items.map((rule) => (
              <RuleItem
                key={rule.id}
                projectId={projectId}
                rule={rule}
                canManage={canManage}
                onEdit={() => {
                  setSaved(null);
                  setEditing(rule);
                }}
                onDelete={() => {
                  remove.reset();
                  setDeleting(rule);
                }}
              />
            ))}
          </ul>
        )}
      </section>
      {canManage && (
        <section className="stack" aria-label={editing ? `Edit rule “${editing.name}”` : 'New rule'}>
          <h2 className="section-title">{editing ? `Edit “${editing.name}”` : 'New rule'}</h2>
          {saved?.webhookSecret && <SecretCard rule={saved} onDone={() => setSaved(null)} />}
          <RuleFormCard
            key={editing?.id ?? 'new'}
            projectId={projectId}
            editing={editing}
            onSaved={onSaved}
            onCancel={() => setEditing(null)}
          />
        </section>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the rule “${deleting.name}”?`}
          confirmLabel="Delete rule"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>Its alerts and webhook deliveries are deleted with it. The audit log keeps the change.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function describeRule(rule: AlertRule): string {
  const measure = ALERT_MEASURE_INFO[rule.measure].label;
  const condition =
    rule.condition === 'above_threshold'
      ? `above ${formatMeasure(rule.measure, rule.threshold)}`
      : ALERT_CONDITION_LABELS[rule.condition].toLowerCase();
  return `${measure} ${condition} · ${describeScope(rule.scope)} · last ${rule.windowHours} h · at least ${rule.minCalls} calls`;
}

function RuleItem({
  projectId,
  rule,
  canManage,
  onEdit,
  onDelete,
}: {
  projectId: string;
  rule: AlertRule;
  canManage: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const queryClient = useQueryClient();
  const titleId = useId();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const test = useMutation({
    mutationFn: () => testAlertRule(projectId, rule.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertKeys.deliveries(projectId, rule.id) }),
  });
  const toggle = useMutation({
    mutationFn: () => updateAlertRule(projectId, rule.id, { enabled: !rule.enabled }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules(projectId) }),
  });
  return (
    <li className="alert-item" aria-labelledby={titleId}>
      <div className="alert-item__header">
        <h3 id={titleId} className="alert-item__title">
          {rule.name}
        </h3>
        {rule.builtin && <span className="badge">Built in</span>}
        <span className={rule.enabled ? 'badge badge--success' : 'badge'}>{rule.enabled ? 'On' : 'Off'}</span>
        {rule.openAlerts > 0 && <span className="badge badge--error">{rule.openAlerts} firing</span>}
      </div>
      <p>{describeRule(rule)}</p>
      <p className="muted">
        {rule.webhook ? `Webhook ${rule.webhook.url} (secret ${rule.webhook.secretHint})` : 'No webhook: in-app only'}
      </p>
      {canManage && (
        <div className="alert-item__actions">
          <Button variant="secondary" size="sm" onClick={onEdit} aria-label={`Edit ${rule.name}`}>
            Edit
          </Button>
          <Button
            variant="secondary"
            size="sm"
            pending={toggle.isPending}
            onClick={() => toggle.mutate()}
            aria-label={`${rule.enabled ? 'Turn off' : 'Turn on'} ${rule.name}`}
          >
            {rule.enabled ? 'Turn off' : 'Turn on'}
          </Button>
          {rule.webhook && (
            <>
              <Button
                variant="secondary"
                size="sm"
                pending={test.isPending}
                onClick={() => test.mutate()}
                aria-label={`Send a test delivery for ${rule.name}`}
              >
                Send test
              </Button>
              <Button
                variant="ghost"
                size="sm"
                aria-expanded={showDeliveries}
                onClick={() => setShowDeliveries(!showDeliveries)}
                aria-label={`Deliveries of ${rule.name}`}
              >
                Deliveries
              </Button>
            </>
          )}
          {!rule.builtin && (
            <Button variant="danger" size="sm" onClick={onDelete} aria-label={`Delete ${rule.name}`}>
              Delete
            </Button>
          )}
        </div>
      )}
      {test.data && (
        <p role="status">
          Test delivery {test.data.state === 'delivered' ? 'delivered' : 'failed'}
          {test.data.statusCode !== null ? `: HTTP ${test.data.statusCode}` : ''}
          {test.data.error && test.data.state !== 'delivered' ? ` (${test.data.error})` : ''}
        </p>
      )}
      <ErrorMessage error={test.error ?? toggle.error} title="That did not work" />
      {showDeliveries && <Deliveries projectId={projectId} ruleId={rule.id} />}
    </li>
  );
}

function Deliveries({ projectId, ruleId }: { projectId: string; ruleId: string }) {
  const query = useQuery(alertDeliveriesQuery(projectId, ruleId));
  if (query.isPending) return <Loading label="Loading deliveries…" />;
  if (query.isError) {
    return <RetryableError error={query.error} title="Could not load the deliveries" onRetry={() => query.refetch()} />;
  }
  if (query.data.items.length === 0) return <p className="muted">No deliveries yet.</p>;
  return (
    <table className="alert-deliveries">
      <caption className="visually-hidden">Webhook deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Kind</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Response</th>
          <th scope="col">Next attempt</th>
        </tr>
      </thead>
      <tbody>
        {query.data.items.map((delivery) => (
          <tr key={delivery.id}>
            <td>{formatDateTime(delivery.createdAt)}</td>
            <td>{delivery.kind}</td>
            <td>{delivery.state}</td>
            <td>{delivery.attempts}</td>
            <td>{delivery.statusCode !== null ? `HTTP ${delivery.statusCode}` : (delivery.error ?? '—')}</td>
            <td>{delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SecretCard({ rule, onDone }: { rule: SavedAlertRule; onDone: () => void }) {
  return (
    <RevealCard title={`Save the webhook secret of “${rule.name}”`} onDone={onDone}>
      <p>
        <strong>It will not be shown again.</strong> Each delivery carries <code>X-Promptlog-Signature: sha256=…</code>,
        the HMAC-SHA256 of the raw body with this secret; see docs/alerts.md.
      </p>
      <SecretField label="Webhook secret" value={rule.webhookSecret ?? ''} copyLabel="Copy webhook secret" />
    </RevealCard>
  );
}

function SelectField({
  label,
  value,
  onChange,
  error,
  disabled,
  children,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="field__input"
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {children}
      </select>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

const THRESHOLD_UNITS = { rate: '%', ms: 'ms', usd: 'USD per call', count: 'calls' } as const;

function RuleFormCard({
  projectId,
  editing,
  onSaved,
  onCancel,
}: {
  projectId: string;
  editing: AlertRule | null;
  onSaved: (rule: SavedAlertRule) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<RuleForm>(() => (editing ? ruleToForm(editing) : EMPTY_RULE_FORM));
  const [clientErrors, setClientErrors] = useState<ReturnType<typeof validateRuleForm>>({});
  const mutation = useMutation({
    mutationFn: () => {
      const body = formToRequest(form);
      return editing ? updateAlertRule(projectId, editing.id, body) : createAlertRule(projectId, body);
    },
    onSuccess: (rule) => {
      if (!editing) setForm(EMPTY_RULE_FORM);
      onSaved(rule);
    },
  });
  const server = fieldErrors(mutation.error, RULE_FIELDS);
  const errors = { ...server.byField, ...Object.fromEntries(Object.entries(clientErrors).filter(([, v]) => v)) };
  const set = (patch: Partial<RuleForm>) => setForm({ ...form, ...patch });
  const unit = ALERT_MEASURE_INFO[form.measure].unit;
  const builtin = editing?.builtin != null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateRuleForm(form);
    setClientErrors(found);
    if (Object.values(found).some(Boolean)) {
      mutation.reset();
      return;
    }
    mutation.mutate();
  };

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-label={editing ? 'Edit rule' : 'New rule'}>
      <ErrorMessage error={mutation.error} issues={server.other} title="Could not save the rule" />
      <TextField
        label="Name"
        autoComplete="off"
        maxLength={100}
        value={form.name}
        error={errors.name}
        onChange={(event) => set({ name: event.target.value })}
      />
      <div className="alerts-form-row">
        <SelectField
          label="Measure"
          value={form.measure}
          disabled={builtin}
          error={errors.measure}
          onChange={(value) => set({ measure: value as AlertMeasureKey })}
        >
          {ALERT_MEASURES.map((measure) => (
            <option key={measure} value={measure}>
              {ALERT_MEASURE_INFO[measure].label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Condition"
          value={form.condition}
          disabled={builtin}
          error={errors.condition}
          onChange={(value) => set({ condition: value as AlertConditionKey })}
        >
          {ALERT_CONDITIONS.map((condition) => (
            <option key={condition} value={condition}>
              {ALERT_CONDITION_LABELS[condition]}
            </option>
          ))}
        </SelectField>
        {form.condition === 'above_threshold' && (
          <TextField
            label={`Threshold (${THRESHOLD_UNITS[unit]})`}
            inputMode="decimal"
            autoComplete="off"
            value={form.threshold}
            error={errors.threshold}
            onChange={(event) => set({ threshold: event.target.value })}
          />
        )}
      </div>
      <div className="alerts-form-row">
        <TextField
          label="Window (hours)"
          inputMode="numeric"
          hint="The current hour and this many before it."
          value={form.windowHours}
          error={errors.windowHours}
          onChange={(event) => set({ windowHours: event.target.value })}
        />
        <TextField
          label="Minimum calls"
          inputMode="numeric"
          hint="Each side needs this many calls before the rule is judged."
          value={form.minCalls}
          error={errors.minCalls}
          onChange={(event) => set({ minCalls: event.target.value })}
        />
      </div>
      <fieldset className="alerts-form-row">
        <legend className="field__label">Scope (empty means any)</legend>
        <TextField
          label="Prompt"
          autoComplete="off"
          value={form.promptId}
          error={errors.promptId}
          onChange={(event) => set({ promptId: event.target.value })}
        />
        <TextField
          label="Version"
          inputMode="numeric"
          value={form.version}
          error={errors.version}
          onChange={(event) => set({ version: event.target.value })}
        />
        <SelectField label="Source" value={form.source} error={errors.source} onChange={(source) => set({ source })}>
          <option value="">Any</option>
          {SOURCE_TYPES.map((source) => (
            <option key={source} value={source}>
              {source}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Model"
          autoComplete="off"
          value={form.model}
          error={errors.model}
          onChange={(event) => set({ model: event.target.value })}
        />
      </fieldset>
      <TextField
        label="Webhook URL (optional)"
        type="url"
        autoComplete="off"
        hint="Promptlog POSTs a signed JSON body here when an alert fires or resolves."
        value={form.webhookUrl}
        error={errors.webhookUrl}
        onChange={(event) => set({ webhookUrl: event.target.value })}
      />
      <label className="choice">
        <input type="checkbox" checked={form.enabled} onChange={(event) => set({ enabled: event.target.checked })} />
        <span className="choice__label">On</span>
      </label>
      <div className="form__actions form__actions--start">
        <Button type="submit" pending={mutation.isPending}>
          {editing ? 'Save rule' : 'Create rule'}
        </Button>
        {editing && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
