import { CodeBlock } from '../../components/code-block';
import { executionCurlExample } from '../../lib/curl-example';
import { useDocumentTitle } from '../../lib/document-title';
import { useSession } from '../auth/session';

export function HomePage() {
  const { project } = useSession();
  useDocumentTitle(project?.name ?? 'Home');
  const curl = executionCurlExample(window.location.origin, '$PROMPTLOG_API_KEY');

  return (
    <div className="page">
      <header className="page__header">
        <p className="eyebrow">Project</p>
        <h1 className="page__title break">{project ? project.name : 'No project yet'}</h1>
        {!project && <p className="muted">You are not a member of any project. Ask an admin to add you to one.</p>}
      </header>

      {project && (
        <section className="card stack" aria-labelledby="first-execution-title">
          <h2 id="first-execution-title" className="card__title">
            Send your first execution
          </h2>
          <p>
            Log every prompt your application runs with one HTTP request. Put the project’s API key in the{' '}
            <code>PROMPTLOG_API_KEY</code> environment variable, then run:
          </p>
          <CodeBlock code={curl} label="curl" />
          <p className="muted">
            Every endpoint and field is described in the <a href="/api/docs">API docs</a>.
          </p>
        </section>
      )}
    </div>
  );
}
