import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, openIsolatedTestDatabase } from '../../test/harness';
import { SERVER_ERROR, withFailingAuditOf } from '../audit/failing-audit';
import { applyInitialSetup } from '../bootstrap/service';

// Setup is only possible while no user exists, so each test gets a database of its own.
let handle: DatabaseHandle;
let app: FastifyInstance;

beforeEach(async () => {
  handle = await openIsolatedTestDatabase();
  app = await createTestApp(handle);
});
afterEach(async () => {
  await app.close();
  await handle.close();
});

const admin = { email: 'Admin@Example.com', password: 'a long enough password', projectName: 'Support bot' };
const headless = {
  adminEmail: 'ops@example.com',
  adminPassword: 'headless password',
  projectName: 'Headless',
  apiKey: 'pl_headless_key_0123456789',
};

interface Row {
  action: string;
  actor_kind: string;
  actor_label: string;
  target: string;
  details: Record<string, unknown>;
}

/** The whole audit log, oldest first (there is one project). */
async function auditLog(): Promise<Row[]> {
  return handle.query<Row>('select action, actor_kind, actor_label, target, details from audit_events order by id');
}

async function counts() {
  const [row] = await handle.query<{ users: number; projects: number; keys: number }>(
    `select (select count(*) from users)::int as users, (select count(*) from projects)::int as projects,
       (select count(*) from api_keys)::int as keys`,
  );
  return row;
}

describe('the first start in the audit log', () => {
  it('records the admin, the project and the first key made on the setup page, by the new admin', async () => {
    const setup = await app.inject({ method: 'POST', url: '/api/auth/setup', payload: admin });
    expect(setup.statusCode).toBe(201);
    const by = { actor_kind: 'user', actor_label: 'admin@example.com' };
    expect(await auditLog()).toEqual([
      {
        action: 'setup.admin_created',
        ...by,
        target: 'admin@example.com',
        details: { role: 'admin', via: 'first-run setup page' },
      },
      { action: 'project.created', ...by, target: 'Support bot', details: { via: 'first-run setup page' } },
      {
        action: 'api_key.created',
        ...by,
        target: 'Default key',
        details: expect.objectContaining({ scopes: ['ingest', 'read'], expiresAt: null }),
      },
    ]);
    // The admin reads it in the app like any other event.
    const cookies = { promptlog_session: setup.cookies.find((c) => c.name === 'promptlog_session')?.value ?? '' };
    const audit = await app.inject({ url: '/api/v1/audit', cookies });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
      'api_key.created',
      'project.created',
      'setup.admin_created',
    ]);
  });

  it('records the headless first start as made by Promptlog from its PROMPTLOG_INIT_* settings', async () => {
    expect(await applyInitialSetup(handle.db, headless)).toBe('created');
    const by = { actor_kind: 'system', actor_label: 'Promptlog (PROMPTLOG_INIT_* settings)' };
    const via = 'first start from PROMPTLOG_INIT_* settings';
    expect(await auditLog()).toEqual([
      { action: 'setup.admin_created', ...by, target: 'ops@example.com', details: { role: 'admin', via } },
      { action: 'project.created', ...by, target: 'Headless', details: { via } },
      expect.objectContaining({ action: 'api_key.created', ...by, target: 'Default key' }),
    ]);
    expect(await applyInitialSetup(handle.db, headless)).toBe('already-set-up');
    expect(await auditLog()).toHaveLength(3);
  });

  it('leaves nothing behind when the audit cannot be written: setup can simply be tried again', async () => {
    const setup = () => app.inject({ method: 'POST', url: '/api/auth/setup', payload: admin });
    const failed = await withFailingAuditOf(
      handle,
      { action: 'setup.admin_created', target: 'admin@example.com' },
      setup,
    );
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual(SERVER_ERROR);
    expect(await counts()).toEqual({ users: 0, projects: 0, keys: 0 });
    expect((await app.inject({ url: '/api/auth/status' })).json()).toEqual({ needsSetup: true });

    expect((await setup()).statusCode).toBe(201);
    expect(await counts()).toEqual({ users: 1, projects: 1, keys: 1 });
  });

  it('leaves nothing behind from a headless first start whose audit fails', async () => {
    const event = { action: 'api_key.created', target: 'Default key' } as const;
    await expect(withFailingAuditOf(handle, event, () => applyInitialSetup(handle.db, headless))).rejects.toThrow();
    expect(await counts()).toEqual({ users: 0, projects: 0, keys: 0 });
    expect(await applyInitialSetup(handle.db, headless)).toBe('created');
  });
});
