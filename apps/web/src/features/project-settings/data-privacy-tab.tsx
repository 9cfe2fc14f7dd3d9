import type {
  BuiltinRedactionRule,
  CustomRedactionRule,
  PayloadPolicy,
  ProjectSettings,
  RedactionSettings,
  UpdateProjectSettings,
} from '@promptlog/contracts';
import {
  BUILTIN_REDACTION_DESCRIPTIONS,
  BUILTIN_REDACTION_RULES,
  PAYLOAD_POLICIES,
  PAYLOAD_POLICY_DESCRIPTIONS,
} from '@promptlog/contracts/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { Choice } from '../../components/choice';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { RedactedText } from '../../components/redacted-text';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { countRedactions } from '../../lib/redaction';
import { authKeys } from '../auth/api';
import { previewRedaction, settingsKeys, settingsQuery, updateSettings } from './api';
import {
  customRuleIssues,
  hasRuleErrors,
  parsePercent,
  parseRetention,
  type RetentionForm,
  type RuleErrors,
  rateToPercent,
  retentionToForm,
  validateCustomRules,
} from './form';

export function DataPrivacyTab({ projectId }: { projectId: string }) {
  const query = useQuery(settingsQuery(projectId));
  if (query.isPending) return <Loading label="Loading the settings…" />;
  if (query.isError) {
    return <RetryableError error={query.error} title="Could not load the settings" onRetry={() => query.refetch()} />;
  }
  const settings = query.data;
  // Each form starts from what was saved when the tab opened; after a save it already holds the saved value.
  return (
    <div className="settings-tab">
      <RetentionSection projectId={projectId} settings={settings} />
      <PayloadPolicySection projectId={projectId} settings={settings} />
      <RedactionSection projectId={projectId} settings={settings} />
    </div>
  );
}

function useSaveSettings(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: UpdateProjectSettings) => updateSettings(projectId, patch),
    onSuccess: (saved, patch) => {
      queryClient.setQueryData(settingsKeys.detail(projectId), saved);
      // The Logs tab shows the retention from the session's project summary.
      if ('retentionDays' in patch) void queryClient.invalidateQueries({ queryKey: authKeys.me() });
    },
  });
}

function SettingsCard({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card stack" aria-labelledby={id}>
      <div className="section-header">
        <h2 id={id} className="card__title">
          {title}
        </h2>
        <div className="muted">{intro}</div>
      </div>
      {children}
    </section>
  );
}

function Saved({ show }: { show: boolean }) {
  return (
    <p role="status" className="success form__saved">
      {show ? 'Saved.' : ''}
    </p>
  );
}

function RetentionSection({ projectId, settings }: { projectId: string; settings: ProjectSettings }) {
  const [executions, setExecutions] = useState(retentionToForm(settings.retentionDays, 30));
  const [rollups, setRollups] = useState(retentionToForm(settings.rollupRetentionDays, 400));
  const [errors, setErrors] = useState<{ retentionDays?: string; rollupRetentionDays?: string }>({});
  const save = useSaveSettings(projectId);
  const server = fieldErrors(save.error, ['retentionDays', 'rollupRetentionDays'] as const);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const retentionDays = parseRetention(executions);
    const rollupRetentionDays = parseRetention(rollups);
    setErrors({
      retentionDays: retentionDays.ok ? undefined : retentionDays.error,
      rollupRetentionDays: rollupRetentionDays.ok ? undefined : rollupRetentionDays.error,
    });
    if (!retentionDays.ok || !rollupRetentionDays.ok) {
      save.reset();
      return;
    }
    save.mutate({ retentionDays: retentionDays.value, rollupRetentionDays: rollupRetentionDays.value });
  };

  return (
    <SettingsCard
      title="Retention"
      intro="Older data is deleted in the background. Shortening a period deletes what is now too old, for good."
    >
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Retention">
        <ErrorMessage error={save.error} issues={server.other} title="Could not save the retention" />
        <div className="form__row">
          <RetentionFieldset
            legend="Executions"
            description="Each execution with its inputs, outputs and errors."
            daysLabel="Days to keep executions"
            value={executions}
            error={errors.retentionDays ?? server.byField.retentionDays}
            onChange={setExecutions}
          />
          <RetentionFieldset
            legend="Hourly aggregates"
            description="The totals behind analytics and the dashboard; small, so they can outlive executions."
            daysLabel="Days to keep hourly aggregates"
            value={rollups}
            error={errors.rollupRetentionDays ?? server.byField.rollupRetentionDays}
            onChange={setRollups}
          />
        </div>
        <div className="form__actions form__actions--start">
          <Button type="submit" pending={save.isPending}>
            Save retention
          </Button>
          <Saved show={save.isSuccess} />
        </div>
      </form>
    </SettingsCard>
  );
}

function RetentionFieldset({
  legend,
  description,
  daysLabel,
  value,
  error,
  onChange,
}: {
  legend: string;
  description: string;
  daysLabel: string;
  value: RetentionForm;
  error: string | undefined;
  onChange: (value: RetentionForm) => void;
}) {
  const id = useId();
  return (
    <fieldset className="choice-group" aria-describedby={`${id}-description`}>
      <legend className="field__label">{legend}</legend>
      <p id={`${id}-description`} className="field__hint">
        {description}
      </p>
      <label className="choice">
        <input type="radio" name={id} checked={value.forever} onChange={() => onChange({ ...value, forever: true })} />
        <span className="choice__label">Keep forever</span>
      </label>
      <label className="choice">
        <input
          type="radio"
          name={id}
          checked={!value.forever}
          onChange={() => onChange({ ...value, forever: false })}
        />
        <span className="choice__label">Delete after a number of days</span>
      </label>
      <TextField
        label={daysLabel}
        type="number"
        inputMode="numeric"
        min={1}
        max={36_500}
        step={1}
        className="field--short choice__nested"
        disabled={value.forever}
        value={value.days}
        error={value.forever ? undefined : error}
        onChange={(event) => onChange({ ...value, days: event.target.value })}
      />
    </fieldset>
  );
}

function PayloadPolicySection({ projectId, settings }: { projectId: string; settings: ProjectSettings }) {
  const [policy, setPolicy] = useState<PayloadPolicy>(settings.payloadPolicy);
  const [percent, setPercent] = useState(rateToPercent(settings.payloadSampleRate));
  const [percentError, setPercentError] = useState<string>();
  const save = useSaveSettings(projectId);
  const server = fieldErrors(save.error, ['payloadPolicy', 'payloadSampleRate'] as const);
  const name = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (policy !== 'errors_and_sampled') {
      setPercentError(undefined);
      save.mutate({ payloadPolicy: policy });
      return;
    }
    const rate = parsePercent(percent);
    setPercentError(rate.ok ? undefined : rate.error);
    if (!rate.ok) {
      save.reset();
      return;
    }
    save.mutate({ payloadPolicy: policy, payloadSampleRate: rate.value });
  };

  return (
    <SettingsCard
      title="Payloads"
      intro="Which executions keep their inputs, outputs, errors and tool calls. Metadata — model, tokens, cost, latency, status — is always kept, so analytics stay complete."
    >
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Payloads">
        <ErrorMessage error={save.error} issues={server.other} title="Could not save the payload policy" />
        <fieldset className="choice-group">
          <legend className="field__label">Payload policy</legend>
          {PAYLOAD_POLICIES.map((option) => (
            <Choice
              key={option}
              type="radio"
              name={name}
              value={option}
              checked={policy === option}
              onChange={() => setPolicy(option)}
              title={POLICY_LABELS[option]}
              description={PAYLOAD_POLICY_DESCRIPTIONS[option]}
            />
          ))}
        </fieldset>
        {policy === 'errors_and_sampled' && (
          <TextField
            label="Sample rate (%)"
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step="any"
            className="field--short"
            hint="The share of successful executions that keep their payloads."
            value={percent}
            error={percentError ?? server.byField.payloadSampleRate}
            onChange={(event) => setPercent(event.target.value)}
          />
        )}
        <div className="form__actions form__actions--start">
          <Button type="submit" pending={save.isPending}>
            Save payload policy
          </Button>
          <Saved show={save.isSuccess} />
        </div>
      </form>
    </SettingsCard>
  );
}

const POLICY_LABELS: Record<PayloadPolicy, string> = {
  all: 'Everything',
  errors_and_sampled: 'Errors and a sample',
  metadata_only: 'Metadata only',
};

const BUILTIN_LABELS: Record<BuiltinRedactionRule, string> = {
  api_key: 'API keys',
  bearer_token: 'Bearer tokens',
  url_password: 'Passwords and tokens in URLs',
  card_number: 'Card numbers',
};

type EditableRule = CustomRedactionRule & { key: number };

function RedactionSection({ projectId, settings }: { projectId: string; settings: ProjectSettings }) {
  const nextKey = useRef(settings.redaction.custom.length);
  const [builtins, setBuiltins] = useState<BuiltinRedactionRule[]>(settings.redaction.builtins);
  const [rules, setRules] = useState<EditableRule[]>(() =>
    settings.redaction.custom.map((rule, key) => ({ ...rule, key })),
  );
  const [clientErrors, setClientErrors] = useState<RuleErrors>({});
  const save = useSaveSettings(projectId);
  const serverRules = customRuleIssues(save.error);

  const redaction = (): RedactionSettings => ({
    builtins,
    custom: rules.map(({ name, pattern, caseInsensitive }) => ({ name, pattern, caseInsensitive })),
  });
  const check = (): boolean => {
    const found = validateCustomRules(redaction().custom);
    setClientErrors(found);
    return !hasRuleErrors(found);
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!check()) {
      save.reset();
      return;
    }
    save.mutate({ redaction: redaction() });
  };

  const updateRule = (key: number, patch: Partial<CustomRedactionRule>) =>
    setRules(rules.map((rule) => (rule.key === key ? { ...rule, ...patch } : rule)));

  const addRule = () => {
    nextKey.current += 1;
    setRules([...rules, { key: nextKey.current, name: '', pattern: '', caseInsensitive: false }]);
  };

  return (
    <SettingsCard
      title="Redaction"
      intro="Secrets are replaced by [REDACTED:rule] before an execution is stored, so they never reach the database. Changes apply to executions logged from now on."
    >
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Redaction">
        <ErrorMessage error={save.error} issues={serverRules.other} title="Could not save the redaction rules" />
        <fieldset className="choice-group">
          <legend className="field__label">Built-in detectors</legend>
          {BUILTIN_REDACTION_RULES.map((rule) => (
            <Choice
              key={rule}
              type="checkbox"
              checked={builtins.includes(rule)}
              onChange={(checked) =>
                setBuiltins(
                  BUILTIN_REDACTION_RULES.filter((candidate) =>
                    candidate === rule ? checked : builtins.includes(candidate),
                  ),
                )
              }
              title={
                <>
                  {BUILTIN_LABELS[rule]} <code className="rule-name">{rule}</code>
                </>
              }
              description={BUILTIN_REDACTION_DESCRIPTIONS[rule]}
            />
          ))}
        </fieldset>

        <fieldset className="choice-group">
          <legend className="field__label">Custom rules</legend>
          <p className="field__hint">
            Regular expressions in RE2 syntax, which runs in linear time: no lookaround or backreferences. Each match
            becomes <code>[REDACTED:name]</code>.
          </p>
          {rules.length === 0 && <p className="muted">No custom rules.</p>}
          <ol className="rules">
            {rules.map((rule, index) => {
              const errors = {
                name: clientErrors[index]?.name ?? serverRules.byRule[index]?.name,
                pattern: clientErrors[index]?.pattern ?? serverRules.byRule[index]?.pattern,
              };
              return (
                <li key={rule.key} className="rules__item">
                  <fieldset className="rule">
                    <legend className="visually-hidden">Custom rule {index + 1}</legend>
                    <TextField
                      label="Name"
                      className="rule__name"
                      autoComplete="off"
                      spellCheck={false}
                      maxLength={40}
                      value={rule.name}
                      error={errors.name}
                      aria-label={`Name of custom rule ${index + 1}`}
                      onChange={(event) => updateRule(rule.key, { name: event.target.value })}
                    />
                    <TextField
                      label="Pattern"
                      className="rule__pattern"
                      autoComplete="off"
                      spellCheck={false}
                      maxLength={500}
                      value={rule.pattern}
                      error={errors.pattern}
                      aria-label={`Pattern of custom rule ${index + 1}`}
                      onChange={(event) => updateRule(rule.key, { pattern: event.target.value })}
                    />
                    <label className="choice rule__case">
                      <input
                        type="checkbox"
                        checked={rule.caseInsensitive}
                        onChange={(event) => updateRule(rule.key, { caseInsensitive: event.target.checked })}
                      />
                      <span className="choice__label">Case-insensitive</span>
                    </label>
                    <Button
                      variant="ghost"
                      size="sm"
                      className="button--danger-text rule__remove"
                      onClick={() => setRules(rules.filter((candidate) => candidate.key !== rule.key))}
                    >
                      Remove<span className="visually-hidden"> custom rule {index + 1}</span>
                    </Button>
                  </fieldset>
                </li>
              );
            })}
          </ol>
          <div>
            <Button variant="secondary" size="sm" onClick={addRule} disabled={rules.length >= 50}>
              Add a rule
            </Button>
          </div>
        </fieldset>

        <div className="form__actions form__actions--start">
          <Button type="submit" pending={save.isPending}>
            Save redaction
          </Button>
          <Saved show={save.isSuccess} />
        </div>
      </form>

      <RedactionTryIt projectId={projectId} redaction={redaction} check={check} />
    </SettingsCard>
  );
}

const SAMPLE =
  'Call the API with sk-ant-api03-' +
  'x'.repeat(40) +
  ' and connect to postgres://app:hunter2@db.internal/orders. Card 4242 4242 4242 4242.';

function RedactionTryIt({
  projectId,
  redaction,
  check,
}: {
  projectId: string;
  redaction: () => RedactionSettings;
  check: () => boolean;
}) {
  const id = useId();
  const [text, setText] = useState(SAMPLE);
  const preview = useMutation({ mutationFn: () => previewRedaction(projectId, redaction(), text) });
  const serverRules = customRuleIssues(preview.error);
  const counts = preview.data ? countRedactions(preview.data.counts) : null;

  return (
    <section className="try-redaction stack stack--tight" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="subsection-title">
        Try the rules
      </h3>
      <p className="muted">Runs the rules above — saved or not — on a sample text. Nothing is stored.</p>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-text`}>
          Sample text
        </label>
        <textarea
          id={`${id}-text`}
          className="field__input field__textarea"
          rows={4}
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div>
        <Button
          variant="secondary"
          pending={preview.isPending}
          onClick={() => {
            if (check()) preview.mutate();
          }}
        >
          Preview redaction
        </Button>
      </div>
      <ErrorMessage
        error={preview.error}
        issues={[
          ...serverRules.other,
          ...Object.entries(serverRules.byRule).flatMap(([index, fields]) =>
            Object.entries(fields).map(([field, message]) => ({
              path: `custom rule ${Number(index) + 1} ${field}`,
              message: message ?? '',
            })),
          ),
        ]}
        title="Could not preview"
      />
      {preview.data && counts && (
        <div className="stack stack--tight" aria-live="polite">
          <h4 className="field__label">Stored as</h4>
          <pre className="long-text__value">
            <RedactedText text={preview.data.text} />
          </pre>
          <p className="muted">
            {counts.total === 0
              ? 'Nothing would be redacted.'
              : `${counts.total} ${counts.total === 1 ? 'value' : 'values'} would be redacted: ${counts.rules}`}
          </p>
        </div>
      )}
    </section>
  );
}
