import { AuditAction, type AuditEvent, type AuditPage, type AuditQuery } from '@promptlog/contracts';
import { auditEvents, type Database, type QueryRunner } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { decodeIdCursor, encodeIdCursor } from '../../lib/id-cursor';
import { uuidv7 } from '../../lib/ids';
import { isoUtc } from '../../lib/iso-time';

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

const AuditRow = z.object({
  id: z.string(),
  at: z.string(),
  action: AuditAction,
  actor_kind: z.enum(['user', 'api_key', 'system']),
  actor_id: z.string().nullable(),
  actor_label: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
type AuditRow = z.infer<typeof AuditRow>;

/** Newest first, keyset-paginated on the time-ordered id. */
export async function listAuditEvents(handle: QueryRunner, projectId: string, query: AuditQuery): Promise<AuditPage> {
  const where = [sql`project_id = ${projectId}`];
  if (query.action) where.push(sql`action = any(${sql.param(query.action)}::text[])`);
  if (query.actor) where.push(sql`lower(actor_label) = ${query.actor.toLowerCase()}`);
  if (query.from) where.push(sql`at >= ${query.from}::timestamptz`);
  if (query.to) where.push(sql`at < ${query.to}::timestamptz`);
  if (query.cursor) where.push(sql`id < ${decodeIdCursor(query.cursor)}::uuid`);
  const rows = await handle.query(
    sql`select id, ${isoUtc(sql`at`)} as at, action, actor_kind, actor_id, actor_label, target, details
     from audit_events where ${sql.join(where, sql` and `)}
     order by id desc limit ${query.limit + 1}`,
    AuditRow,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEvent),
    nextCursor: rows.length > query.limit && last ? encodeIdCursor(last.id) : null,
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
