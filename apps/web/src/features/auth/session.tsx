import type { Me, ProjectSummary } from '@promptlog/contracts';
import { createContext, type ReactNode, useContext } from 'react';

export type Session = {
  user: Me['user'];
  projects: ProjectSummary[];
  /** The project the app is showing; null when the user belongs to none. */
  project: ProjectSummary | null;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const session: Session = { user: me.user, projects: me.projects, project: me.projects[0] ?? null };
  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
