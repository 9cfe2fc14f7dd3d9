import type { ExecutionStatus } from '@promptlog/contracts';

export function StatusBadge({ status, title }: { status: ExecutionStatus; title?: string }) {
  return (
    <span className={`badge badge--${status}`} title={title ?? (status === 'pending' ? 'In progress' : undefined)}>
      {status === 'pending' ? (
        <span className="spinner badge__spinner" aria-hidden="true" />
      ) : (
        <span className="badge__dot" aria-hidden="true" />
      )}
      {status}
    </span>
  );
}
