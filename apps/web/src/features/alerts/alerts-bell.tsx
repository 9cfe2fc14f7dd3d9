import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from '../../lib/router';
import { unreadAlertsQuery } from './api';

/** The header's bell: a link to the Alerts page that says how many alerts the user has not read (polled). */
export function AlertsBell({ projectId }: { projectId: string }) {
  const { pathname } = useLocation();
  const query = useQuery(unreadAlertsQuery(projectId));
  const unread = query.data?.unreadCount ?? 0;
  const shown = unread >= 100 ? '99+' : String(unread);
  const label = unread === 0 ? 'Alerts' : `Alerts, ${unread >= 100 ? '100 or more' : unread} unread`;
  return (
    <Link
      to="/alerts"
      className="alerts-bell"
      aria-label={label}
      title={label}
      aria-current={pathname === '/alerts' ? 'page' : undefined}
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
          d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0"
        />
      </svg>
      {unread > 0 && (
        <span className="alerts-bell__count" aria-hidden="true">
          {shown}
        </span>
      )}
    </Link>
  );
}
