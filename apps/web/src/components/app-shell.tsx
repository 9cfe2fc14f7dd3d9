import type { ProjectSummary } from '@promptlog/contracts';
import type { ReactNode } from 'react';
import { Link, useLocation } from '../lib/router';
import { Button } from './button';
import { ErrorMessage } from './error-message';
import { SelectMenu } from './select-menu';
import { ThemeToggle } from './theme-toggle';

type AppShellProps = {
  projects: readonly ProjectSummary[];
  /** The project the app is showing; null for a user in no project. */
  project: ProjectSummary | null;
  onSwitchProject: (projectId: string) => void;
  /** Admins see the Settings link; others would only find the "admin role" message there. */
  isAdmin: boolean;
  /** The alerts bell of the current project, if any. */
  bell?: ReactNode;
  userEmail: string;
  onLogout: () => void;
  logoutPending: boolean;
  logoutError: unknown;
  children: ReactNode;
};

const NAV = [
  { to: '/', label: 'Prompts', current: (path: string) => path === '/' || path.startsWith('/prompts/') },
  {
    to: '/conversations',
    label: 'Conversations',
    current: (path: string) => path === '/conversations' || path.startsWith('/conversations/'),
  },
  { to: '/review', label: 'Review', current: (path: string) => path === '/review' || path.startsWith('/review/') },
  { to: '/dashboard', label: 'Dashboard', current: (path: string) => path === '/dashboard' },
  { to: '/settings', label: 'Settings', current: (path: string) => path === '/settings', adminOnly: true },
];

export function AppShell({
  projects,
  project,
  onSwitchProject,
  isAdmin,
  bell,
  userEmail,
  onLogout,
  logoutPending,
  logoutError,
  children,
}: AppShellProps) {
  const { pathname } = useLocation();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell__header">
        <div className="shell__bar">
          <Link to="/" className="wordmark shell__wordmark">
            <span className="wordmark__mark" aria-hidden="true" />
            Promptlog
          </Link>
          {project !== null && (
            <>
              <span className="shell__divider" aria-hidden="true">
                /
              </span>
              {projects.length > 1 ? (
                <SelectMenu
                  label="Project"
                  className="shell__switcher"
                  options={projects.map((option) => ({ value: option.id, label: option.name, detail: option.role }))}
                  value={project.id}
                  onChange={onSwitchProject}
                />
              ) : (
                <p className="shell__project" title={project.name}>
                  <span className="visually-hidden">Current project: </span>
                  {project.name}
                </p>
              )}
            </>
          )}
          <Link
            to="/projects/new"
            className="shell__new-project"
            title="New project"
            aria-current={pathname === '/projects/new' ? 'page' : undefined}
          >
            <span aria-hidden="true">+</span>
            <span className="shell__new-project-label">New project</span>
          </Link>
          <nav aria-label="Main" className="shell__nav">
            {NAV.filter((item) => isAdmin || !item.adminOnly).map((item) => (
              <Link key={item.to} to={item.to} aria-current={item.current(pathname) ? 'page' : undefined}>
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="shell__account">
            {bell}
            <ThemeToggle />
            <Link
              to="/account"
              className="shell__account-link"
              title={`Your account: ${userEmail}`}
              aria-current={pathname === '/account' ? 'page' : undefined}
            >
              <span className="shell__account-label">Account</span>
              <span className="shell__email">{userEmail}</span>
            </Link>
            <Button variant="secondary" size="sm" onClick={onLogout} pending={logoutPending}>
              Log out
            </Button>
          </div>
        </div>
        {Boolean(logoutError) && (
          <div className="shell__notice">
            <ErrorMessage error={logoutError} title="Could not log out" />
          </div>
        )}
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
