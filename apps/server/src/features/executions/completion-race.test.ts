import type { DatabaseHandle } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestProject, useTestApp } from '../../test/harness';
import { insertDeltas } from '../analytics/rollup-sql';
import { foldRollupDeltas } from '../analytics/rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

// Two connections at once: PostgreSQL only (the embedded database has one).
describe.runIf(process.env.TEST_DATABASE_URL)('completing a pending execution while a re-pricing changes it', () => {
  it('takes back the cost the re-pricing wrote, so the rollups still equal the executions', async () => {
    const project = await createTestProject(handle);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: { promptId: 'race', status: 'pending', source: { type: 'api' }, model: 'm', costUsd: '0.01' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();

    // A re-pricing chunk, as it runs: the row locked, its cost and the deltas changed, not yet committed.
    const literal = (text: string) => text.replaceAll('$1', `'${project.projectId}'`).replaceAll('$2', `'${id}'`);
    let completing: Promise<LightMyRequestResponse> | undefined;
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql.raw(literal('select 1 from executions where project_id = $1 and id = $2 for update')));
      await tx.execute(
        sql.raw(
          literal(`with before as (select * from executions where project_id = $1 and id = $2),
           after as (update executions set cost_usd = 0.05 where project_id = $1 and id = $2 returning *),
           taken_back as (${insertDeltas('$1', 'before', 'before', -1)}),
           counted as (${insertDeltas('$1', 'after', 'after', 1)})
           select 1`),
        ),
      );
      completing = app.inject({
        method: 'PATCH',
        url: `/api/v1/executions/${id}`,
        headers: project.auth,
        payload: { status: 'success' },
      });
      // The completion waits for the re-pricing's lock, which is released when this transaction commits.
      await expect
        .poll(async () => {
          const [row] = await handle.query<{ waiting: number }>(
            `select count(*)::int as waiting from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock' and query like '%completed as (%'`,
          );
          return row?.waiting;
        })
        .toBe(1);
    });
    expect((await completing)?.statusCode).toBe(200);

    await foldRollupDeltas(handle);
    const [sums] = await handle.query<{ stored: string; rolled_up: string }>(
      `select (select trim_scale(sum(cost_usd))::text from executions where project_id = $1) as stored,
         (select trim_scale(sum(cost_usd))::text from execution_rollups_hourly where project_id = $1) as rolled_up`,
      [project.projectId],
    );
    expect(sums).toEqual({ stored: '0.05', rolled_up: '0.05' });
  });
});
