import type { InvitePreview } from '@promptlog/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { fieldErrors, isApiError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/document-title';
import { formatDateTime } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { endSession, logout, meQuery, startSession } from '../auth/api';
import { AuthLayout } from '../auth/auth-layout';
import { CredentialFields } from '../auth/credential-fields';
import { joinedProject, projectHomePath } from '../auth/current-project';
import { LoginForm } from '../auth/login-page';
import {
  type FieldErrors,
  focusFirstInvalid,
  hasErrors,
  mergeFieldErrors,
  type NewAccountForm,
  validateNewAccount,
} from '../auth/validation';
import { acceptInvite, invitePreviewQuery } from './api';
import { roleSentence } from './format';

/** /invite/<token>: join a project, logged in or not. */
export function InvitePage({ token }: { token: string }) {
  const preview = useQuery(invitePreviewQuery(token));
  const me = useQuery(meQuery());
  useDocumentTitle(preview.data ? `Join ${preview.data.projectName}` : 'Invitation');

  if (preview.isPending || me.isPending) return <Loading fullPage />;
  if (preview.isError) {
    if (isApiError(preview.error, 404)) {
      return (
        <AuthLayout title="This invite link no longer works">
          <p>
            It has expired, has already been used, or was revoked. Ask the admin who sent it for a new link — links can
            be used once.
          </p>
          <p>
            <Link to="/">Go to Promptlog</Link>
          </p>
        </AuthLayout>
      );
    }
    return (
      <AuthLayout title="Could not open the invitation">
        <ErrorMessage error={preview.error} />
        <div className="form__actions">
          <Button variant="secondary" onClick={() => preview.refetch()}>
            Try again
          </Button>
        </div>
      </AuthLayout>
    );
  }
  if (me.isError) {
    return (
      <AuthLayout title="Could not reach the server">
        <ErrorMessage error={me.error} />
        <div className="form__actions">
          <Button variant="secondary" onClick={() => me.refetch()}>
            Try again
          </Button>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout eyebrow="Invitation" title={`Join ${preview.data.projectName}`} intro={<Offer invite={preview.data} />}>
      {me.data ? (
        <JoinAsUser token={token} invite={preview.data} email={me.data.user.email} />
      ) : (
        <NewOrExistingAccount token={token} invite={preview.data} />
      )}
    </AuthLayout>
  );
}

function Offer({ invite }: { invite: InvitePreview }) {
  return (
    <>
      <p>
        You are invited to <strong className="break">{invite.projectName}</strong> as <strong>{invite.role}</strong>.{' '}
        {roleSentence(invite.role)}
      </p>
      <p>
        The link works once and expires on <time dateTime={invite.expiresAt}>{formatDateTime(invite.expiresAt)}</time>.
      </p>
    </>
  );
}

function useAccept(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email?: string; password?: string }) => acceptInvite(token, body),
    onSuccess: (me) => {
      // A user already in other projects lands in the one just joined; with one project there is no choice.
      const before = queryClient.getQueryData(meQuery().queryKey)?.projects ?? [];
      const joined = me.projects.length > 1 ? joinedProject(before, me.projects) : null;
      // Everything cached belonged to the session before joining; the new project starts fresh.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      navigate(joined ? projectHomePath(joined) : '/', { replace: true });
      startSession(queryClient, me);
    },
  });
}

function JoinAsUser({ token, invite, email }: { token: string; invite: InvitePreview; email: string }) {
  const queryClient = useQueryClient();
  const join = useAccept(token);
  const switchAccount = useMutation({ mutationFn: logout, onSuccess: () => endSession(queryClient) });
  return (
    <div className="stack">
      <p>
        You are logged in as <strong className="break">{email}</strong>.
        {invite.email && invite.email.toLowerCase() !== email.toLowerCase() && (
          <> The admin meant this link for {invite.email}.</>
        )}
      </p>
      <ErrorMessage error={join.error} title="Could not join" />
      <ErrorMessage error={switchAccount.error} title="Could not log out" />
      <Button className="form__submit" pending={join.isPending} onClick={() => join.mutate({})}>
        Join {invite.projectName}
      </Button>
      <p className="muted auth__switch">
        Not you, or joining with another account?{' '}
        <button
          type="button"
          className="link-button"
          disabled={switchAccount.isPending}
          onClick={() => switchAccount.mutate()}
        >
          Log out
        </button>
      </p>
    </div>
  );
}

const FIELDS = ['email', 'password'] as const;

function NewOrExistingAccount({ token, invite }: { token: string; invite: InvitePreview }) {
  const [mode, setMode] = useState<'create' | 'login'>('create');
  if (mode === 'login') {
    return (
      <div className="stack">
        <p>Log in, then join {invite.projectName} with your account.</p>
        <LoginForm initialEmail={invite.email ?? ''} />
        <p className="muted auth__switch">
          New to Promptlog?{' '}
          <button type="button" className="link-button" onClick={() => setMode('create')}>
            Create an account instead
          </button>
        </p>
      </div>
    );
  }
  return <CreateAccount token={token} invite={invite} onLogin={() => setMode('login')} />;
}

function CreateAccount({ token, invite, onLogin }: { token: string; invite: InvitePreview; onLogin: () => void }) {
  const [form, setForm] = useState<NewAccountForm>({ email: invite.email ?? '', password: '' });
  const [clientErrors, setClientErrors] = useState<FieldErrors<keyof NewAccountForm>>({});
  const accept = useAccept(token);
  const server = fieldErrors(accept.error, FIELDS);
  const errors = mergeFieldErrors(clientErrors, server.byField);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateNewAccount(form);
    setClientErrors(found);
    if (hasErrors(found)) {
      accept.reset();
      focusFirstInvalid(event.currentTarget, found);
      return;
    }
    accept.mutate({ email: form.email.trim(), password: form.password });
  };

  return (
    <div className="stack">
      <p className="auth__switch">
        Already have a Promptlog account?{' '}
        <button type="button" className="link-button" onClick={onLogin}>
          Log in first
        </button>{' '}
        and join with it.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Create your account">
        <ErrorMessage error={accept.error} issues={server.other} />
        <CredentialFields form={form} onChange={setForm} errors={errors} purpose="new-account" />
        <Button type="submit" className="form__submit" pending={accept.isPending}>
          Create account and join
        </Button>
      </form>
    </div>
  );
}
