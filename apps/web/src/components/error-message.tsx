import type { ErrorIssue } from '@promptlog/contracts';
import { isApiError } from '../lib/api-client';
import { Button } from './button';

type ErrorMessageProps = {
  error: unknown;
  /** Issues not shown beside a form field; listed under the message. */
  issues?: ErrorIssue[];
  title?: string;
  className?: string;
};

export function errorText(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

export function ErrorMessage({ error, issues = [], title, className }: ErrorMessageProps) {
  if (!error) return null;
  return (
    <div role="alert" className={['alert', className ?? ''].filter(Boolean).join(' ')}>
      {title && <p className="alert__title">{title}</p>}
      <p className="alert__message">{errorText(error)}</p>
      {issues.length > 0 && (
        <ul className="alert__issues">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type RetryableErrorProps = {
  error: unknown;
  title: string;
  onRetry: () => void;
  /** 'sm' inside a card or a section of a page. */
  size?: 'md' | 'sm';
};

/** A failed load, said in words, with a button that tries it again. */
export function RetryableError({ error, title, onRetry, size }: RetryableErrorProps) {
  return (
    <div className="stack stack--tight">
      <ErrorMessage error={error} title={title} />
      <div>
        <Button variant="secondary" size={size} onClick={onRetry}>
          Try again
        </Button>
      </div>
    </div>
  );
}
