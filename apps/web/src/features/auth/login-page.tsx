import type { LoginRequest } from '@promptlog/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { fieldErrors } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { login, startSession } from './api';
import { AuthLayout } from './auth-layout';
import { CredentialFields } from './credential-fields';
import { type FieldErrors, focusFirstInvalid, hasErrors, mergeFieldErrors, validateLogin } from './validation';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  useDocumentTitle('Log in');
  return (
    <AuthLayout title="Log in to Promptlog">
      <LoginForm />
    </AuthLayout>
  );
}

/** Email and password; on success the session starts and the app (or the page that asked) carries on. */
export function LoginForm({ initialEmail = '' }: { initialEmail?: string }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<LoginRequest>({ email: initialEmail, password: '' });
  const [clientErrors, setClientErrors] = useState<FieldErrors<keyof LoginRequest>>({});
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (me) => startSession(queryClient, me),
  });
  const server = fieldErrors(mutation.error, FIELDS);
  const errors = mergeFieldErrors(clientErrors, server.byField);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateLogin(form);
    setClientErrors(found);
    if (hasErrors(found)) {
      mutation.reset();
      focusFirstInvalid(event.currentTarget, found);
      return;
    }
    mutation.mutate({ email: form.email.trim(), password: form.password });
  };

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <ErrorMessage error={mutation.error} issues={server.other} />
      <CredentialFields form={form} onChange={setForm} errors={errors} purpose="login" />
      <Button type="submit" className="form__submit" pending={mutation.isPending}>
        Log in
      </Button>
    </form>
  );
}
