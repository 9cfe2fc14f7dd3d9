import type { AuditAction } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { uuidv7 } from '../../lib/ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLAIN = /^[\w .@-]+$/;

/**
 * For rollback tests: while `work` runs, every audit write of one project fails as a database error would. The
 * trigger is scoped to that project, so other test files sharing the database keep writing theirs.
 */
export async function withFailingAudit<T>(
  handle: DatabaseHandle,
  projectId: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!UUID.test(projectId)) throw new Error(`not a project id: ${projectId}`);
  return withFailingAuditWhere(handle, `new.project_id = '${projectId}'`, work);
}

/**
 * Like withFailingAudit, for a change whose project does not exist yet (a new project, the first-run setup): the
 * audit writes of one action about one target fail. Give a target no other test uses.
 */
export async function withFailingAuditOf<T>(
  handle: DatabaseHandle,
  event: { action: AuditAction; target: string },
  work: () => Promise<T>,
): Promise<T> {
  if (!PLAIN.test(event.action) || !PLAIN.test(event.target)) throw new Error(`not a plain event: ${event.target}`);
  return withFailingAuditWhere(handle, `new.action = '${event.action}' and new.target = '${event.target}'`, work);
}

async function withFailingAuditWhere<T>(handle: DatabaseHandle, when: string, work: () => Promise<T>): Promise<T> {
  const name = `fail_audit_${uuidv7().replaceAll('-', '')}`;
  await handle.db.execute(
    sql.raw(`create function ${name}() returns trigger language plpgsql as $$
      begin raise exception 'audit write refused by a test'; end $$`),
  );
  await handle.db.execute(
    sql.raw(
      `create trigger ${name} before insert on audit_events for each row when (${when}) execute function ${name}()`,
    ),
  );
  try {
    return await work();
  } finally {
    await handle.db.execute(sql.raw(`drop trigger ${name} on audit_events`));
    await handle.db.execute(sql.raw(`drop function ${name}()`));
  }
}

const AuditActionRow = z.object({ action: z.string() });

/** The project's audit actions, newest first. */
export async function auditActions(handle: DatabaseHandle, projectId: string): Promise<string[]> {
  const rows = await handle.query(
    'select action from audit_events where project_id = $1 order by id desc',
    [projectId],
    AuditActionRow,
  );
  return rows.map((row) => row.action);
}

/** What the error handler answers for a database failure that is not the client's doing. */
export const SERVER_ERROR = {
  error: { code: 'internal', message: 'Something went wrong on the server; it has been logged' },
};
