import type { Member, ProjectRole } from '@promptlog/contracts';
import { createContext, useContext } from 'react';

/** What the members table's cells may do; provided by the Members tab, which owns the requests. */
export type MemberActions = {
  currentUserId: string;
  /** Prefix of the ids of the role descriptions, which each role select points to. */
  roleDescriptionId: (role: ProjectRole) => string;
  changeRole: (member: Member, role: ProjectRole) => void;
  /** The member whose role change is in flight. */
  changingRoleOf: string | null;
  openAccess: (member: Member) => void;
  askRemove: (member: Member) => void;
};

const MemberActionsContext = createContext<MemberActions | null>(null);

export const MemberActionsProvider = MemberActionsContext.Provider;

export function useMemberActions(): MemberActions {
  const actions = useContext(MemberActionsContext);
  if (!actions) throw new Error('useMemberActions must be used inside <MemberActionsProvider>');
  return actions;
}
