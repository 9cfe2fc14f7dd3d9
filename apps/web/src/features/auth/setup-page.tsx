import type { SetupRequest, SetupResponse } from '@promptlog/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { ErrorMessage } from '../../components/error-message';
import { SecretField } from '../../components/secret-field';
import { TextField } from '../../components/text-field';
import { fieldErrors, isApiError } from '../../lib/api-client';
import { executionCurlExample } from '../../lib/curl-example';
import { useDocumentTitle } from '../../lib/document-title';
import { authKeys, setup, startSession } from './api';
import { AuthLayout } from './auth-layout';
import { CredentialFields } from './credential-fields';
import { type FieldErrors, focusFirstInvalid, hasErrors, mergeFieldErrors, validateSetup } from './validation';

const FIELDS = ['email', 'password', 'projectName'] as const;

/** First run: creates the admin account and its first project. */
export function SetupPage({ onCreated }: { onCreated: (result: SetupResponse) => void }) {
  useDocumentTitle('Create the admin account');
  const queryClient = useQueryClient();
  const [form, setForm] = useState<SetupRequest>({ email: '', password: '', projectName: '' });
  const [clientErrors, setClientErrors] = useState<FieldErrors<keyof SetupRequest>>({});
  const mutation = useMutation({
    mutationFn: setup,
    onSuccess: (result) => {
      onCreated(result);
      startSession(queryClient, result);
      queryClient.setQueryData(authKeys.status(), { needsSetup: false });
    },
  });
  const server = fieldErrors(mutation.error, FIELDS);
  const errors = mergeFieldErrors(clientErrors, server.byField);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateSetup(form);
    setClientErrors(found);
    if (hasErrors(found)) {
      mutation.reset();
      focusFirstInvalid(event.currentTarget, found);
      return;
    }
    mutation.mutate({ email: form.email.trim(), password: form.password, projectName: form.projectName.trim() });
  };

  return (
    <AuthLayout
      title="Create the admin account"
      intro={<p>Welcome to Promptlog. This first account administers the server and owns your first project.</p>}
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        <ErrorMessage error={mutation.error} issues={server.other} />
        {isApiError(mutation.error) && mutation.error.code === 'setup_complete' && (
          <Button variant="secondary" onClick={() => queryClient.invalidateQueries({ queryKey: authKeys.status() })}>
            Go to log in
          </Button>
        )}
        <CredentialFields form={form} onChange={setForm} errors={errors} purpose="new-account" />
        <TextField
          label="Project name"
          type="text"
          name="projectName"
          autoComplete="off"
          required
          maxLength={100}
          hint="The app or team whose prompts you will log, e.g. “Support bot”."
          value={form.projectName}
          error={errors.projectName}
          onChange={(event) => setForm({ ...form, projectName: event.target.value })}
        />
        <Button type="submit" className="form__submit" pending={mutation.isPending}>
          Create admin account
        </Button>
      </form>
    </AuthLayout>
  );
}

/** Shows the project API key exactly once, right after setup; it cannot be fetched again. */
export function ApiKeyReveal({ result, onContinue }: { result: SetupResponse; onContinue: () => void }) {
  useDocumentTitle('Your API key');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const tryItId = useId();
  const projectName = result.projects[0]?.name;
  const origin = window.location.origin;

  useEffect(() => headingRef.current?.focus(), []);

  return (
    <AuthLayout
      wide
      eyebrow="Admin account created"
      title="Save your API key"
      titleRef={headingRef}
      intro={
        <p>
          {projectName ? (
            <>
              Applications use this key to log executions to <strong className="break">{projectName}</strong>.{' '}
            </>
          ) : null}
          <strong>It is shown only once</strong> — copy it now and keep it somewhere safe.
        </p>
      }
    >
      <SecretField label="API key" value={result.apiKey} copyLabel="Copy API key" />

      <section className="stack stack--tight try-it" aria-labelledby={tryItId}>
        <h2 id={tryItId} className="section-title">
          Try it
        </h2>
        <p className="muted">Run this in a terminal to log a first execution:</p>
        <CodeBlock code={executionCurlExample(origin, result.apiKey)} label="curl" />
      </section>

      <div className="form__actions">
        <Button onClick={onContinue}>Continue</Button>
      </div>
    </AuthLayout>
  );
}
