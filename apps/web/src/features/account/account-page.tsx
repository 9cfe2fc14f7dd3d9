import { ROLE_DESCRIPTIONS } from '@promptlog/contracts/rules';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { navigate } from '../../lib/router';
import { authKeys, endSession } from '../auth/api';
import { useSession } from '../auth/session';
import {
  type ChangePasswordForm,
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  MIN_PASSWORD_LENGTH,
  mergeFieldErrors,
  validateChangePassword,
} from '../auth/validation';
import { changePassword, logoutEverywhere } from './api';

export function AccountPage() {
  useDocumentTitle('Your account');
  const { user, projects } = useSession();
  const projectsId = useId();
  return (
    <div className="page page--narrow">
      <header className="page__header">
        <p className="eyebrow">Account</p>
        <h1 className="page__title break">{user.email}</h1>
      </header>

      <section className="card stack" aria-labelledby={projectsId}>
        <h2 id={projectsId} className="card__title">
          Your projects
        </h2>
        {projects.length === 0 ? (
          <p className="muted">You are not a member of any project. Ask an admin for an invite link.</p>
        ) : (
          <ul className="plain-list">
            {projects.map((project) => (
              <li key={project.id}>
                <strong className="break">{project.name}</strong> — <span className="role-tag">{project.role}</span>{' '}
                <span className="muted">({ROLE_DESCRIPTIONS[project.role]})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ChangePasswordCard />
      <LogoutEverywhereCard />
    </div>
  );
}

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;
const EMPTY: ChangePasswordForm = { currentPassword: '', newPassword: '', confirmPassword: '' };

function ChangePasswordCard() {
  const id = useId();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ChangePasswordForm>(EMPTY);
  const [clientErrors, setClientErrors] = useState<FieldErrors<keyof ChangePasswordForm>>({});
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setForm(EMPTY);
      // The server may have given this session a new token; the next change must send the current one.
      void queryClient.invalidateQueries({ queryKey: authKeys.me() });
    },
  });
  const server = fieldErrors(mutation.error, FIELDS);
  const errors = mergeFieldErrors(clientErrors, server.byField);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateChangePassword(form);
    setClientErrors(found);
    if (hasErrors(found)) {
      mutation.reset();
      focusFirstInvalid(event.currentTarget, found);
      return;
    }
    mutation.mutate({ currentPassword: form.currentPassword, newPassword: form.newPassword });
  };

  const update = (field: keyof ChangePasswordForm, value: string) => {
    setForm({ ...form, [field]: value });
    if (mutation.isSuccess) mutation.reset();
  };

  return (
    <section className="card stack" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Change password
      </h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <ErrorMessage error={mutation.error} issues={server.other} />
        {mutation.isSuccess && (
          <p role="status" className="success">
            Your password was changed. Every other session of your account was logged out.
          </p>
        )}
        <TextField
          label="Current password"
          type="password"
          name="currentPassword"
          autoComplete="current-password"
          required
          value={form.currentPassword}
          error={errors.currentPassword}
          onChange={(event) => update('currentPassword', event.target.value)}
        />
        <TextField
          label="New password"
          type="password"
          name="newPassword"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          value={form.newPassword}
          error={errors.newPassword}
          onChange={(event) => update('newPassword', event.target.value)}
        />
        <TextField
          label="Confirm new password"
          type="password"
          name="confirmPassword"
          autoComplete="new-password"
          required
          value={form.confirmPassword}
          error={errors.confirmPassword}
          onChange={(event) => update('confirmPassword', event.target.value)}
        />
        <div className="form__actions form__actions--start">
          <Button type="submit" pending={mutation.isPending}>
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}

function LogoutEverywhereCard() {
  const id = useId();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: logoutEverywhere,
    onSuccess: () => {
      navigate('/', { replace: true });
      endSession(queryClient);
    },
  });
  return (
    <section className="card stack" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        Sessions
      </h2>
      <p>
        Lost a laptop or logged in on a shared computer? Log out everywhere ends every session of your account, on every
        device, this one included.
      </p>
      <div>
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Log out everywhere
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Log out everywhere?"
          confirmLabel="Log out everywhere"
          pending={mutation.isPending}
          error={mutation.error}
          onConfirm={() => mutation.mutate()}
          onCancel={() => {
            setConfirming(false);
            mutation.reset();
          }}
        >
          <p>Every session of your account ends, including this one. You will need your password to log in again.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
