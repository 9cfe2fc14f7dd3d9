import type { ApiKeyScope, ApiKeySummary, CreatedApiKey } from '@promptlog/contracts';
import { API_KEY_SCOPES, SCOPE_DESCRIPTIONS } from '@promptlog/contracts/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { Choice } from '../../components/choice';
import { CodeBlock } from '../../components/code-block';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DataTable } from '../../components/data-table';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { RevealCard } from '../../components/reveal-card';
import { SecretField } from '../../components/secret-field';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { apiKeyKeys, apiKeysQuery, createApiKey, revokeApiKey } from './api';
import { ApiKeyActionsContext, apiKeyColumns } from './columns';
import { apiKeyExample, expiryFromDate, localDateInput, SCOPE_LABELS, scopesLabel, sortKeys } from './format';

const getRowId = (key: ApiKeySummary) => key.id;

export function ApiKeysTab({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const query = useQuery(apiKeysQuery(projectId));
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeySummary | null>(null);
  const [now] = useState(() => Date.now());
  const keys = useMemo(() => sortKeys(query.data?.items ?? [], now), [query.data, now]);
  const headingId = useId();
  const revoke = useMutation({
    mutationFn: (key: ApiKeySummary) => revokeApiKey(projectId, key.id),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.list(projectId) });
    },
  });
  const actions = useMemo(
    () => ({
      now,
      askRevoke: (key: ApiKeySummary) => {
        revoke.reset();
        setRevoking(key);
      },
    }),
    [now, revoke.reset],
  );

  return (
    <div className="settings-tab">
      <section className="stack" aria-labelledby={`${headingId}-new`}>
        <div className="section-header">
          <h2 id={`${headingId}-new`} className="section-title">
            New API key
          </h2>
          <p className="muted">
            Applications send a key as <code>Authorization: Bearer &lt;key&gt;</code>. Give each application its own
            key, with only the scopes it needs, so one can be revoked without touching the others.
          </p>
        </div>
        {created ? (
          <CreatedKeyCard created={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateKeyForm projectId={projectId} onCreated={setCreated} />
        )}
      </section>

      <section className="stack stack--tight" aria-labelledby={headingId}>
        <h2 id={headingId} className="section-title">
          Keys
        </h2>
        {query.isPending ? (
          <Loading label="Loading API keys…" />
        ) : query.isError ? (
          <RetryableError error={query.error} title="Could not load the API keys" onRetry={() => query.refetch()} />
        ) : keys.length === 0 ? (
          <p className="muted">This project has no API keys yet.</p>
        ) : (
          <ApiKeyActionsContext value={actions}>
            <DataTable label="API keys" columns={apiKeyColumns} data={keys} getRowId={getRowId} maxHeight="none" />
          </ApiKeyActionsContext>
        )}
      </section>

      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.label}”?`}
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>
            Every request made with the key <code>{revoking.prefix}…</code> ({scopesLabel(revoking.scopes)}) is refused
            from now on. Applications using it stop logging until they get a new key. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const FIELDS = ['label', 'scopes', 'expiresAt'] as const;
type KeyForm = { label: string; scopes: ApiKeyScope[]; expiresOn: string };

function validateKeyForm(form: KeyForm): Partial<Record<(typeof FIELDS)[number], string>> {
  return {
    label: form.label.trim() === '' ? 'Name the key after where it is used.' : undefined,
    scopes: form.scopes.length === 0 ? 'Choose at least one scope.' : undefined,
    expiresAt:
      form.expiresOn !== '' && !expiryFromDate(form.expiresOn) ? 'Enter a date, or leave it empty.' : undefined,
  };
}

function CreateKeyForm({ projectId, onCreated }: { projectId: string; onCreated: (created: CreatedApiKey) => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<KeyForm>({ label: '', scopes: ['ingest'], expiresOn: '' });
  const [clientErrors, setClientErrors] = useState<ReturnType<typeof validateKeyForm>>({});
  const expiryId = useId();
  const mutation = useMutation({
    mutationFn: () =>
      createApiKey(projectId, {
        label: form.label.trim(),
        scopes: form.scopes,
        expiresAt: expiryFromDate(form.expiresOn),
      }),
    onSuccess: (created) => {
      setForm({ label: '', scopes: ['ingest'], expiresOn: '' });
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.list(projectId) });
      onCreated(created);
    },
  });
  const server = fieldErrors(mutation.error, FIELDS);
  const errors = { ...server.byField, ...Object.fromEntries(Object.entries(clientErrors).filter(([, v]) => v)) };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateKeyForm(form);
    setClientErrors(found);
    if (Object.values(found).some(Boolean)) {
      mutation.reset();
      return;
    }
    mutation.mutate();
  };

  const toggleScope = (scope: ApiKeyScope, checked: boolean) =>
    setForm({
      ...form,
      scopes: API_KEY_SCOPES.filter((candidate) => (candidate === scope ? checked : form.scopes.includes(candidate))),
    });

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-label="New API key">
      <ErrorMessage error={mutation.error} issues={server.other} title="Could not create the key" />
      <TextField
        label="Label"
        name="label"
        autoComplete="off"
        maxLength={100}
        hint="Where the key is used, e.g. “checkout service (production)”."
        value={form.label}
        error={errors.label}
        onChange={(event) => setForm({ ...form, label: event.target.value })}
      />
      <fieldset className="choice-group" aria-describedby={errors.scopes ? `${expiryId}-scopes-error` : undefined}>
        <legend className="field__label">Scopes</legend>
        {API_KEY_SCOPES.map((scope) => (
          <Choice
            key={scope}
            type="checkbox"
            name="scopes"
            value={scope}
            checked={form.scopes.includes(scope)}
            onChange={(checked) => toggleScope(scope, checked)}
            title={SCOPE_LABELS[scope]}
            description={SCOPE_DESCRIPTIONS[scope]}
          />
        ))}
        {errors.scopes && (
          <p id={`${expiryId}-scopes-error`} className="field__error">
            {errors.scopes}
          </p>
        )}
      </fieldset>
      <div className={['field', 'field--short', errors.expiresAt ? 'field--invalid' : ''].join(' ')}>
        <label className="field__label" htmlFor={expiryId}>
          Expires on (optional)
        </label>
        <input
          id={expiryId}
          type="date"
          className="field__input"
          min={localDateInput(Date.now())}
          value={form.expiresOn}
          aria-invalid={errors.expiresAt ? true : undefined}
          aria-describedby={`${expiryId}-hint`}
          onChange={(event) => setForm({ ...form, expiresOn: event.target.value })}
        />
        <p id={`${expiryId}-hint`} className={errors.expiresAt ? 'field__error' : 'field__hint'}>
          {errors.expiresAt ??
            'The key stops working at the end of that day. Leave empty for a key that never expires.'}
        </p>
      </div>
      <div className="form__actions form__actions--start">
        <Button type="submit" pending={mutation.isPending}>
          Create API key
        </Button>
      </div>
    </form>
  );
}

function CreatedKeyCard({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { apiKey, key } = created;
  return (
    <RevealCard title={`Save the key “${apiKey.label}”`} onDone={onDone}>
      <p>
        <strong>It will not be shown again</strong> — copy it now and store it where the application reads its secrets.
        Scopes: {scopesLabel(apiKey.scopes)}.
      </p>
      <SecretField label="API key" value={key} copyLabel="Copy API key" />
      <CodeBlock code={apiKeyExample(window.location.origin, key, apiKey.scopes)} label="curl" />
    </RevealCard>
  );
}
