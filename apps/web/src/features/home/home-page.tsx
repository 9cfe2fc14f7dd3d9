import { CodeBlock } from '../../components/code-block';
import { executionCurlExample } from '../../lib/curl-example';

/** How to log a first execution: the empty state of the Prompts page. */
export function FirstExecutionCard() {
  const curl = executionCurlExample(window.location.origin, '$PROMPTLOG_API_KEY');
  return (
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
  );
}
