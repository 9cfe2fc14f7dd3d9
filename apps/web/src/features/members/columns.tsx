import type { Member } from '@promptlog/contracts';
import { PROJECT_ROLES, ROLE_DESCRIPTIONS } from '@promptlog/contracts/rules';
import { Button } from '../../components/button';
import type { DataTableColumn } from '../../components/data-table';
import { formatDate, formatDateTime } from '../../lib/format';
import { promptAccessSummary } from './access';
import { useMemberActions } from './member-actions';

type Column = DataTableColumn<Member>;

function EmailCell({ member }: { member: Member }) {
  const { currentUserId } = useMemberActions();
  return (
    <span className="cell-strong" title={member.email}>
      {member.email}
      {member.userId === currentUserId && <span className="muted"> (you)</span>}
    </span>
  );
}

function RoleCell({ member }: { member: Member }) {
  const { changeRole, changingRoleOf, roleDescriptionId } = useMemberActions();
  return (
    <select
      className="field__input field__input--compact"
      aria-label={`Role of ${member.email}`}
      aria-describedby={roleDescriptionId(member.role)}
      value={member.role}
      aria-busy={changingRoleOf === member.userId || undefined}
      onChange={(event) => {
        const role = PROJECT_ROLES.find((candidate) => candidate === event.target.value);
        if (role && role !== member.role && changingRoleOf === null) changeRole(member, role);
      }}
    >
      {PROJECT_ROLES.map((role) => (
        <option key={role} value={role} title={ROLE_DESCRIPTIONS[role]}>
          {role}
        </option>
      ))}
    </select>
  );
}

function AccessCell({ member }: { member: Member }) {
  const { openAccess } = useMemberActions();
  return (
    <span className="cell-with-action">
      <span className="cell-with-action__text" title={member.promptAccess.join(', ') || undefined}>
        {promptAccessSummary(member)}
      </span>
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Manage prompt access of ${member.email}`}
        onClick={() => openAccess(member)}
      >
        Manage
      </Button>
    </span>
  );
}

function RemoveCell({ member }: { member: Member }) {
  const { askRemove, currentUserId } = useMemberActions();
  return (
    <Button variant="ghost" size="sm" className="button--danger-text" onClick={() => askRemove(member)}>
      {member.userId === currentUserId ? 'Leave' : 'Remove'}
      <span className="visually-hidden"> {member.email}</span>
    </Button>
  );
}

export const memberColumns: Column[] = [
  { id: 'email', header: 'Email', meta: { width: '30%' }, cell: ({ row }) => <EmailCell member={row.original} /> },
  { id: 'role', header: 'Role', meta: { width: '9rem' }, cell: ({ row }) => <RoleCell member={row.original} /> },
  {
    id: 'joined',
    header: 'Joined',
    meta: { width: '9rem' },
    cell: ({ row }) => (
      <time dateTime={row.original.joinedAt} title={formatDateTime(row.original.joinedAt)}>
        {formatDate(row.original.joinedAt)}
      </time>
    ),
  },
  {
    id: 'access',
    header: 'Prompt access',
    meta: { width: '30%' },
    cell: ({ row }) => <AccessCell member={row.original} />,
  },
  {
    id: 'remove',
    header: () => <span className="visually-hidden">Actions</span>,
    meta: { width: '8rem', align: 'end' },
    cell: ({ row }) => <RemoveCell member={row.original} />,
  },
];
