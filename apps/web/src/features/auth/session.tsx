import type { Me, ProjectSummary } from '@promptlog/contracts';
import { createContext, type ReactNode, useContext, useEffect, useMemo } from 'react';
import { applySearchPatch, hrefWithSearch, navigate, PROJECT_PARAM, useLocation } from '../../lib/router';
import { chooseProject, isStaleChoice, projectHomePath } from './current-project';

export type Session = {
  user: Me['user'];
  projects: ProjectSummary[];
  /** The project the app is showing; null when the user belongs to none. */
  project: ProjectSummary | null;
};

const SessionContext = createContext<Session | null>(null);

// In the URL (?project=<id>), not localStorage: links name prompts of one project, so they must carry it.
export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const { search } = useLocation();
  const requested = search.get(PROJECT_PARAM);
  const project = chooseProject(me.projects, requested);
  const session = useMemo<Session>(
    () => ({ user: me.user, projects: me.projects, project }),
    [me.user, me.projects, project],
  );
  const stale = isStaleChoice(me.projects, requested);
  useEffect(() => {
    if (!stale) return;
    // A project the user has left: show the first one, and stop links from carrying the old id.
    const params = applySearchPatch(new URLSearchParams(window.location.search), { [PROJECT_PARAM]: null });
    navigate(hrefWithSearch(window.location.pathname, params), { replace: true, carry: false });
  }, [stale]);
  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The current project, for views that only render inside one (the routes check for a user in no project). */
export function useProject(): ProjectSummary {
  const { project } = useSession();
  if (!project) throw new Error('useProject needs a current project; the routes render such views only with one');
  return project;
}

/** Shows another project, starting from its Prompts page: prompt ids differ from one project to the next. */
export function switchProject(projectId: string): void {
  navigate(projectHomePath(projectId));
}
