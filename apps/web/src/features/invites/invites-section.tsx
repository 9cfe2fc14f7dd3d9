import type { CreatedInvite, Invite, ProjectRole } from '@promptlog/contracts';
import { PROJECT_ROLES, ROLE_DESCRIPTIONS } from '@promptlog/contracts/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/button';
import { Choice } from '../../components/choice';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { RevealCard } from '../../components/reveal-card';
import { SecretField } from '../../components/secret-field';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { formatDateTime, formatRelativeTime } from '../../lib/format';
import { createInvite, inviteKeys, inviteLink, invitesQuery, revokeInvite } from './api';

export const INVITE_EXPIRY_OPTIONS = [
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 7 * 24, label: '7 days' },
  { hours: 30 * 24, label: '30 days' },
] as const;

/** Creating invite links and the list of those not yet used. */
export function InvitesSection({ projectId }: { projectId: string }) {
  const headingId = useId();
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  return (
    <section className="stack" aria-labelledby={headingId}>
      <div className="section-header">
        <h2 id={headingId} className="section-title">
          Invite someone
        </h2>
        <p className="muted">
          An invite is a link that works once. Whoever opens it joins with the role you choose, with their existing
          account or a new one.
        </p>
      </div>
      {created ? (
        <CreatedInviteCard created={created} onDone={() => setCreated(null)} />
      ) : (
        <InviteForm projectId={projectId} onCreated={setCreated} />
      )}
      <PendingInvites projectId={projectId} />
    </section>
  );
}

const FIELDS = ['role', 'email', 'expiresInHours'] as const;

function InviteForm({ projectId, onCreated }: { projectId: string; onCreated: (created: CreatedInvite) => void }) {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<ProjectRole>('viewer');
  const [email, setEmail] = useState('');
  const [hours, setHours] = useState(72);
  const expiryId = useId();
  const mutation = useMutation({
    mutationFn: () => createInvite(projectId, { role, email: email.trim() || undefined, expiresInHours: hours }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: inviteKeys.list(projectId) });
      onCreated(created);
    },
  });
  const server = fieldErrors(mutation.error, FIELDS);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate();
  };

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-label="New invite">
      <ErrorMessage error={mutation.error} issues={server.other} title="Could not create the invite" />
      <fieldset className="choice-group">
        <legend className="field__label">Role</legend>
        {PROJECT_ROLES.map((option) => (
          <Choice
            key={option}
            type="radio"
            name="invite-role"
            value={option}
            checked={role === option}
            onChange={() => setRole(option)}
            title={option}
            titleClassName="role-tag"
            description={ROLE_DESCRIPTIONS[option]}
          />
        ))}
        {server.byField.role && <p className="field__error">{server.byField.role}</p>}
      </fieldset>
      <div className="form__row">
        <TextField
          label="Email (optional)"
          type="email"
          name="email"
          autoComplete="off"
          hint="A note for admins of whom the link is for; anyone holding the link can use it."
          value={email}
          error={server.byField.email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <div className="field">
          <label className="field__label" htmlFor={expiryId}>
            Link expires after
          </label>
          <select
            id={expiryId}
            className="field__input"
            value={hours}
            onChange={(event) => setHours(Number(event.target.value))}
          >
            {INVITE_EXPIRY_OPTIONS.map((option) => (
              <option key={option.hours} value={option.hours}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form__actions form__actions--start">
        <Button type="submit" pending={mutation.isPending}>
          Create invite link
        </Button>
      </div>
    </form>
  );
}

function CreatedInviteCard({ created, onDone }: { created: CreatedInvite; onDone: () => void }) {
  const link = inviteLink(window.location.origin, created.url);
  return (
    <RevealCard
      title={`Invite link for a new ${created.invite.role}${created.invite.email ? ` (${created.invite.email})` : ''}`}
      onDone={onDone}
    >
      <p>
        Send this link to the person you invite. <strong>It will not be shown again</strong> — copy it now. It works
        once, until {formatDateTime(created.invite.expiresAt)}.
      </p>
      <SecretField label="Invite link" value={link} copyLabel="Copy invite link" />
    </RevealCard>
  );
}

function PendingInvites({ projectId }: { projectId: string }) {
  const query = useQuery(invitesQuery(projectId));
  const headingId = useId();
  return (
    <section className="stack stack--tight" aria-labelledby={headingId}>
      <h3 id={headingId} className="subsection-title">
        Pending invites
      </h3>
      {query.isPending ? (
        <Loading label="Loading invites…" />
      ) : query.isError ? (
        <RetryableError
          size="sm"
          error={query.error}
          title="Could not load the invites"
          onRetry={() => query.refetch()}
        />
      ) : query.data.items.length === 0 ? (
        <p className="muted">No invite is waiting to be used.</p>
      ) : (
        <ul className="item-list" aria-labelledby={headingId}>
          {query.data.items.map((invite) => (
            <PendingInvite key={invite.id} projectId={projectId} invite={invite} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PendingInvite({ projectId, invite }: { projectId: string; invite: Invite }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => revokeInvite(projectId, invite.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inviteKeys.list(projectId) }),
  });
  const who = invite.email ?? 'anyone with the link';
  return (
    <li className="item-list__item">
      <div className="item-list__main">
        <p>
          <span className="role-tag">{invite.role}</span> for <strong className="break">{who}</strong>
        </p>
        <p className="muted item-list__meta">
          Created{' '}
          <time dateTime={invite.createdAt} title={formatDateTime(invite.createdAt)}>
            {formatRelativeTime(invite.createdAt)}
          </time>
          {invite.createdBy ? ` by ${invite.createdBy}` : ''} · expires{' '}
          <time dateTime={invite.expiresAt}>{formatDateTime(invite.expiresAt)}</time>
        </p>
        <ErrorMessage error={revoke.error} title="Could not revoke the invite" />
      </div>
      <Button variant="secondary" size="sm" pending={revoke.isPending} onClick={() => revoke.mutate()}>
        Revoke
        <span className="visually-hidden">
          {' '}
          the {invite.role} invite for {who}
        </span>
      </Button>
    </li>
  );
}
