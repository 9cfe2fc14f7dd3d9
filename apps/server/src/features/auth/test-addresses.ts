import { randomBytes } from 'node:crypto';

/**
 * A client address no other test uses (IPv6 documentation range), for requests that count as failed logins:
 * the throttle's counts live in the shared test database, where 127.0.0.1 would soon reach its limit.
 */
export function distinctClientAddress(): string {
  return `2001:db8:${randomBytes(12)
    .toString('hex')
    .replace(/(.{4})(?!$)/g, '$1:')}`;
}
