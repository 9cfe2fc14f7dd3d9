import type { SetupResponse } from '@promptlog/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { AppShell } from './components/app-shell';
import { Button } from './components/button';
import { ErrorMessage } from './components/error-message';
import { Loading } from './components/loading';
import { AlertsBell } from './features/alerts/alerts-bell';
import { authStatusQuery, endSession, logout, meQuery } from './features/auth/api';
import { LoginPage } from './features/auth/login-page';
import { SessionProvider, switchProject, useSession } from './features/auth/session';
import { ApiKeyReveal, SetupPage } from './features/auth/setup-page';
import { ConversationPage } from './features/conversations/conversation-page';
import { ConversationsPage } from './features/conversations/conversations-page';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { PromptPage } from './features/prompts/prompt-page';
import { PromptsPage } from './features/prompts/prompts-page';
import { TracePage } from './features/traces/trace-page';
import { useDocumentTitle } from './lib/document-title';
import { Link, navigate, useLocation } from './lib/router';

// Pages for account and project administration load on demand: they are visited rarely, and they are
// what brings the contracts' schemas (and zod) into the browser.
const AccountPage = lazy(() => import('./features/account/account-page').then((m) => ({ default: m.AccountPage })));
const InvitePage = lazy(() => import('./features/invites/invite-page').then((m) => ({ default: m.InvitePage })));
const SettingsPage = lazy(() => import('./features/settings/settings-page').then((m) => ({ default: m.SettingsPage })));
const ReviewQueuePage = lazy(() =>
  import('./features/reviews/review-queue-page').then((m) => ({ default: m.ReviewQueuePage })),
);
const ReviewLabelsPage = lazy(() =>
  import('./features/reviews/labels-page').then((m) => ({ default: m.ReviewLabelsPage })),
);
const AlertsPage = lazy(() => import('./features/alerts/alerts-page').then((m) => ({ default: m.AlertsPage })));
const NewProjectPage = lazy(() =>
  import('./features/projects/new-project-page').then((m) => ({ default: m.NewProjectPage })),
);

/** Decides between first-run setup, login and the app; the app itself is routed by path. */
export function App() {
  const { pathname } = useLocation();
  const inviteToken = /^\/invite\/([^/]+)\/?$/.exec(pathname)?.[1];
  const status = useQuery(authStatusQuery());
  const me = useQuery(meQuery());
  // Held here, not in the setup page: the key must stay on screen even after the auth queries flip.
  const [setupResult, setSetupResult] = useState<SetupResponse | null>(null);

  if (setupResult) {
    return (
      <ApiKeyReveal
        result={setupResult}
        onContinue={() => {
          setSetupResult(null);
          navigate('/', { replace: true });
        }}
      />
    );
  }
  // An invite link works logged in or not: the page offers to join, log in first, or create an account.
  if (inviteToken) {
    return (
      <Suspense fallback={<Loading fullPage />}>
        <InvitePage token={safeDecode(inviteToken)} />
      </Suspense>
    );
  }
  if (status.isPending) return <Loading fullPage />;
  if (status.isError) return <FatalError error={status.error} onRetry={() => status.refetch()} />;
  if (status.data.needsSetup) return <SetupPage onCreated={setSetupResult} />;
  if (me.isPending) return <Loading fullPage />;
  if (me.isError) return <FatalError error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data) return <LoginPage />;

  return (
    <SessionProvider me={me.data}>
      <Shell>
        <Suspense fallback={<Loading />}>
          <ProjectRoutes />
        </Suspense>
      </Shell>
    </SessionProvider>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { user, projects, project } = useSession();
  const queryClient = useQueryClient();
  const logoutMutation = useMutation({
    mutationFn: logout,
    onSuccess: () => endSession(queryClient),
  });
  return (
    <AppShell
      projects={projects}
      project={project}
      onSwitchProject={switchProject}
      isAdmin={project?.role === 'admin'}
      bell={project ? <AlertsBell projectId={project.id} /> : null}
      userEmail={user.email}
      onLogout={() => logoutMutation.mutate()}
      logoutPending={logoutMutation.isPending}
      logoutError={logoutMutation.error}
    >
      {children}
    </AppShell>
  );
}

/** Every page starts afresh in another project, so no state of the one before stays on screen. */
function ProjectRoutes() {
  const { project } = useSession();
  return <Routes key={project?.id ?? 'none'} hasProject={project !== null} />;
}

function Routes({ hasProject }: { hasProject: boolean }) {
  const { pathname } = useLocation();
  if (pathname === '/') return <PromptsPage />;
  if (pathname === '/dashboard') return <DashboardPage />;
  if (pathname === '/conversations') return hasProject ? <ConversationsPage /> : <NotFound />;
  if (pathname === '/alerts') return hasProject ? <AlertsPage /> : <NotFound />;
  if (pathname === '/review') return hasProject ? <ReviewQueuePage /> : <NotFound />;
  if (pathname === '/review/labels') return hasProject ? <ReviewLabelsPage /> : <NotFound />;
  if (pathname === '/settings') return <SettingsPage />;
  if (pathname === '/account') return <AccountPage />;
  if (pathname === '/projects/new') return <NewProjectPage />;
  const prompt = /^\/prompts\/(.+)$/.exec(pathname)?.[1];
  if (prompt) return hasProject ? <PromptPage key={prompt} promptId={safeDecode(prompt)} /> : <NotFound />;
  const conversation = /^\/conversations\/(.+)$/.exec(pathname)?.[1];
  if (conversation) {
    return hasProject ? (
      <ConversationPage key={conversation} conversationId={safeDecode(conversation)} />
    ) : (
      <NotFound />
    );
  }
  const trace = /^\/traces\/(.+)$/.exec(pathname)?.[1];
  if (trace) return hasProject ? <TracePage key={trace} traceId={safeDecode(trace)} /> : <NotFound />;
  return <NotFound />;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function NotFound() {
  useDocumentTitle('Page not found');
  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
      </header>
      <p>
        <Link to="/">Go to the project home</Link>
      </p>
    </div>
  );
}

function FatalError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  useDocumentTitle('Cannot reach the server');
  return (
    <main className="auth">
      <div className="auth__panel">
        <ErrorMessage error={error} title="Promptlog could not load" />
        <div className="form__actions">
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </div>
      </div>
    </main>
  );
}
