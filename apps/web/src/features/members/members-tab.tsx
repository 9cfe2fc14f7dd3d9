import type { Member, ProjectRole } from '@promptlog/contracts';
import { PROJECT_ROLES, ROLE_DESCRIPTIONS } from '@promptlog/contracts/rules';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DataTable } from '../../components/data-table';
import { ErrorMessage, RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { useSearchParams } from '../../lib/router';
import { authKeys } from '../auth/api';
import { useSession } from '../auth/session';
import { InvitesSection } from '../invites/invites-section';
import { memberKeys, membersQuery, removeMember, updateMemberRole } from './api';
import { memberColumns } from './columns';
import { type MemberActions, MemberActionsProvider } from './member-actions';
import { PromptAccessDrawer } from './prompt-access-drawer';

const getRowId = (member: Member) => member.userId;

export function MembersTab({ projectId }: { projectId: string }) {
  const { user, project } = useSession();
  const queryClient = useQueryClient();
  const query = useQuery(membersQuery(projectId));
  const [search, setSearch] = useSearchParams();
  const openMemberId = search.get('member');
  const [removing, setRemoving] = useState<Member | null>(null);
  const headingId = useId();
  const rolesId = useId();

  const refresh = (userId: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: memberKeys.list(projectId) }),
      // Your own role decides what the app shows you, Settings included.
      userId === user.id ? queryClient.invalidateQueries({ queryKey: authKeys.me() }) : undefined,
    ]);

  const roleChange = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: ProjectRole }) =>
      updateMemberRole(projectId, member.userId, role),
    onSuccess: (_updated, { member }) => refresh(member.userId),
  });
  const removal = useMutation({
    mutationFn: (member: Member) => removeMember(projectId, member.userId),
    onSuccess: (_result, member) => {
      setRemoving(null);
      refresh(member.userId);
    },
  });

  const actions: MemberActions = {
    currentUserId: user.id,
    roleDescriptionId: (role) => `${rolesId}-${role}`,
    changeRole: (member, role) => roleChange.mutate({ member, role }),
    changingRoleOf: roleChange.isPending ? (roleChange.variables?.member.userId ?? null) : null,
    openAccess: (member) => setSearch({ member: member.userId }),
    askRemove: (member) => {
      removal.reset();
      setRemoving(member);
    },
  };

  const openMember = openMemberId ? query.data?.items.find((member) => member.userId === openMemberId) : undefined;

  return (
    <div className="settings-tab">
      <section className="stack" aria-labelledby={headingId}>
        <div className="section-header">
          <h2 id={headingId} className="section-title">
            Members
          </h2>
          <p className="muted">Everyone who can log in to {project?.name ?? 'this project'}, and what they may see.</p>
        </div>
        <dl className="roles" aria-label="Roles">
          {PROJECT_ROLES.map((role) => (
            <div key={role} className="roles__item">
              <dt className="role-tag">{role}</dt>
              <dd id={actions.roleDescriptionId(role)}>{ROLE_DESCRIPTIONS[role]}</dd>
            </div>
          ))}
        </dl>
        <ErrorMessage
          error={roleChange.error}
          title={roleChange.variables ? `Could not change the role of ${roleChange.variables.member.email}` : undefined}
        />
        {query.isPending ? (
          <Loading label="Loading members…" />
        ) : query.isError ? (
          <RetryableError error={query.error} title="Could not load the members" onRetry={() => query.refetch()} />
        ) : (
          <MemberActionsProvider value={actions}>
            <DataTable
              label="Members"
              columns={memberColumns}
              data={query.data.items}
              getRowId={getRowId}
              activeRowId={openMemberId}
              rowHeight={52}
              maxHeight="min(60vh, 40rem)"
            />
          </MemberActionsProvider>
        )}
      </section>

      <InvitesSection projectId={projectId} />

      {openMemberId && query.data && (
        <PromptAccessDrawer
          projectId={projectId}
          member={openMember}
          onClose={() => setSearch({ member: null })}
          onChanged={() => refresh(openMemberId)}
        />
      )}

      {removing && removing.userId === user.id && (
        <ConfirmDialog
          title={`Leave ${project?.name ?? 'this project'}?`}
          confirmLabel="Leave the project"
          pending={removal.isPending}
          error={removal.error}
          onConfirm={() => removal.mutate(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            You will lose access to {project?.name ?? 'the project'} at once: its prompts, logs and settings are no
            longer yours to see. You stay logged in, with your account and your other projects; to come back, ask one of
            its admins to invite you again.
          </p>
        </ConfirmDialog>
      )}
      {removing && removing.userId !== user.id && (
        <ConfirmDialog
          title={`Remove ${removing.email}?`}
          confirmLabel="Remove member"
          pending={removal.isPending}
          error={removal.error}
          onConfirm={() => removal.mutate(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            {removing.email} will lose access to {project?.name ?? 'the project'} at once: their sessions stay logged
            in, but every request to this project is refused. Their account remains; an admin can invite them again.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
