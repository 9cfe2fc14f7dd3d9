import { Button } from '../../components/button';

/** What a viewer sees instead of the logs of a prompt they have not been granted. */
export function LogsUnavailable({ onShowAnalytics }: { onShowAnalytics?: () => void }) {
  return (
    <div className="empty card">
      <h3 className="card__title">You cannot see this prompt’s logs</h3>
      <p>
        Its inputs and outputs are visible to editors and admins; ask an admin for edit access to this prompt. Its
        analytics — calls, cost, latency and errors — are open to you.
      </p>
      {onShowAnalytics && (
        <div className="empty__actions">
          <Button variant="secondary" onClick={onShowAnalytics}>
            Show the analytics
          </Button>
        </div>
      )}
    </div>
  );
}
