import type { AuditAction, AuditEvent, AuditPage, AuditQuery } from '@promptlog/contracts';
import { auditEvents, type Database, type DatabaseHandle } from '@promptlog/db';
import { AppError } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { isoUtcText } from '../../lib/iso-time';

export interface AuditActor {
  kind: 'user' | 'api_key' | 'system';
  id: string | null;
  label: string;
}

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor;
  target?: string | null;
  details?: Record<string, unknown>;
}

/** The user who acted, for a row's `created_by`; null when a key or the system did. */
export function actingUserId(actor: AuditActor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

/** Records one event; pass the transaction of the change itself so the trail and the change commit together. */
export async function recordAudit(db: Database, projectId: string, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    projectId,
    id: uuidv7(),
    action: entry.action,
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    target: entry.target ?? null,
    details: entry.details ?? {},
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodeAuditCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!UUID.test(id)) {
    throw new AppError('validation_failed', 'Invalid cursor', [
      { path: 'cursor', message: 'is not a cursor this API returned; start again without it' },
    ]);
  }
  return id;
}

interface AuditRow {
  id: string;
  at: string;
  action: AuditAction;
  actor_kind: AuditActor['kind'];
  actor_id: string | null;
  actor_label: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** Newest first, keyset-paginated on the time-ordered id. */
export async function listAuditEvents(
  handle: DatabaseHandle,
  projectId: string,
  query: AuditQuery,
): Promise<AuditPage> {
  const params: unknown[] = [projectId];
  const where = ['project_id = $1'];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.action) where.push(`action = any(${param(query.action)}::text[])`);
  if (query.actor) where.push(`lower(actor_label) = ${param(query.actor.toLowerCase())}`);
  if (query.from) where.push(`at >= ${param(query.from)}::timestamptz`);
  if (query.to) where.push(`at < ${param(query.to)}::timestamptz`);
  if (query.cursor) where.push(`id < ${param(decodeAuditCursor(query.cursor))}::uuid`);
  const rows = await handle.query<AuditRow>(
    `select id, ${isoUtcText('at')} as at, action, actor_kind, actor_id,
       actor_label, target, details
     from audit_events where ${where.join(' and ')}
     order by id desc limit ${param(query.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEvent),
    nextCursor: rows.length > query.limit && last ? Buffer.from(last.id).toString('base64url') : null,
  };
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    action: row.action,
    actor: { kind: row.actor_kind, id: row.actor_id, label: row.actor_label },
    target: row.target,
    details: row.details,
  };
}
