import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestApp, createTestProject, openIsolatedTestDatabase, type TestProject } from '../../test/harness';
import { applyRetention } from '../retention/service';
import {
  buildPendingIndexes,
  findPendingIndexes,
  type PendingIndex,
  partitionIndexName,
  partitionIndexStatement,
} from './indexes';
import { startPartitionMaintenance } from './job';
import {
  dropExpiredPartitions,
  MAX_START_AHEAD_MS,
  type Month,
  maintainPartitions,
  monthOf,
  nextMonth,
  PARTITIONS_LOCK,
  readPartitionState,
} from './service';

const DAY_MS = 86_400_000;

// Each test opens a database of its own: partitions are shared by every project, so what one test creates or drops
// would show in another's.
let handle: DatabaseHandle | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await app?.close();
  await handle?.close();
  app = undefined;
  handle = undefined;
});

async function open(): Promise<DatabaseHandle> {
  handle = await openIsolatedTestDatabase();
  return handle;
}

async function startApp(db: DatabaseHandle): Promise<FastifyInstance> {
  app = await createTestApp(db);
  return app;
}

function monthsFrom(first: Month, last: Month): Month[] {
  const months = [first];
  while (months.at(-1)?.year !== last.year || months.at(-1)?.month !== last.month) {
    months.push(nextMonth(months.at(-1) as Month));
  }
  return months;
}

function execution(fields: Record<string, unknown> = {}) {
  return {
    promptId: 'reply',
    model: 'acme-llm',
    provider: 'acme',
    source: { type: 'api' },
    status: 'success',
    inputs: { question: 'where?' },
    output: 'here',
    ...fields,
  };
}

async function post(project: TestProject, executions: object[]) {
  const response = await app?.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions },
  });
  return response;
}

/** Which table each of the project's executions and payloads is stored in, by id. */
async function storedIn(db: DatabaseHandle, project: TestProject) {
  const rows = await db.query<{ id: string; execution: string; payload: string | null }>(
    `select e.id, e.tableoid::regclass::text as execution, p.tableoid::regclass::text as payload
     from executions e left join execution_payloads p on p.project_id = e.project_id and p.execution_id = e.id
     where e.project_id = $1`,
    [project.projectId],
  );
  return new Map(rows.map((r) => [r.id, { execution: r.execution, payload: r.payload }]));
}

/** An execution written straight into the table, as an install from before partitioning holds it. */
async function insertLegacyRow(db: DatabaseHandle, project: TestProject, startedAt: Date): Promise<string> {
  const id = uuidv7(startedAt.getTime());
  await db.query(
    `insert into executions (project_id, id, prompt_id, status, source_type, model, started_at, cost_origin)
     values ($1, $2, 'reply', 'success', 'api', 'acme-llm', $3, 'none')`,
    [project.projectId, id, startedAt.toISOString()],
  );
  await db.query(`insert into execution_payloads (project_id, execution_id, output) values ($1, $2, '"old"')`, [
    project.projectId,
    id,
  ]);
  return id;
}

describe('monthly partitions', () => {
  it('are created at start on a new install, from this month through two months ahead, and receive the rows', async () => {
    const db = await open();
    await startApp(db);
    const now = new Date();
    const expected = monthsFrom(monthOf(now), monthOf(new Date(now.getTime() + 2 * MAX_START_AHEAD_MS)));
    for (const table of ['executions', 'execution_payloads']) {
      const state = await readPartitionState(db, table);
      expect(state.months).toEqual(expected);
      expect(state.defaultBefore).toEqual(monthOf(now));
    }

    const project = await createTestProject(db);
    const nextMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 12));
    const later = uuidv7();
    const response = await post(project, [
      execution({ id: uuidv7() }),
      execution({ id: later, startedAt: nextMonthStart.toISOString() }),
    ]);
    expect(response?.statusCode, response?.body).toBe(200);
    const name = (m: Month) => `y${m.year}m${String(m.month).padStart(2, '0')}`;
    const stored = [...(await storedIn(db, project)).entries()];
    expect(stored).toHaveLength(2);
    for (const [id, tables] of stored) {
      const month = id === later ? monthOf(nextMonthStart) : monthOf(now);
      expect(tables).toEqual({ execution: `executions_${name(month)}`, payload: `execution_payloads_${name(month)}` });
    }
  });

  it('are created ahead by a later run and never twice', async () => {
    const db = await open();
    const now = new Date('2031-05-20T10:00:00Z');
    const first = await maintainPartitions(db, now);
    expect(first?.created).toContain('executions_y2031m05');
    expect(first?.created).toContain('execution_payloads_y2031m07');
    expect(first?.created).not.toContain('executions_y2031m08');

    const again = await maintainPartitions(db, now);
    expect(again?.created).toEqual([]);
    const monthLater = await maintainPartitions(db, new Date('2031-06-20T10:00:00Z'));
    expect(monthLater?.created).toEqual(['executions_y2031m08', 'execution_payloads_y2031m08']);
  });

  it('leave an existing install its rows in the default partition and start after the latest one it may receive', async () => {
    const db = await open();
    const project = await createTestProject(db);
    const now = new Date();
    const lastYear = await insertLegacyRow(db, project, new Date(now.getTime() - 365 * DAY_MS));
    const yesterday = await insertLegacyRow(db, project, new Date(now.getTime() - DAY_MS));

    await startApp(db);
    const bound = nextMonth(monthOf(new Date(now.getTime() + MAX_START_AHEAD_MS)));
    const state = await readPartitionState(db, 'executions');
    expect(state.defaultBefore).toEqual(bound);
    expect(state.months[0]).toEqual(bound);

    // Rows up to the bound still go to the default partition, rows after it to their month.
    const soon = uuidv7();
    const afterBound = uuidv7();
    const boundStart = new Date(Date.UTC(bound.year, bound.month - 1, 1));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(boundStart.getTime() - 5 * DAY_MS));
    const response = await post(project, [
      execution({ id: soon }),
      execution({ id: afterBound, startedAt: new Date(boundStart.getTime() + 60_000).toISOString() }),
    ]);
    expect(response?.statusCode, response?.body).toBe(200);
    const stored = await storedIn(db, project);
    expect(stored.get(lastYear)?.execution).toBe('executions_default');
    expect(stored.get(yesterday)?.payload).toBe('execution_payloads_default');
    expect(stored.get(soon)?.execution).toBe('executions_default');
    expect(stored.get(afterBound)?.execution).toMatch(/^executions_y\d{4}m\d{2}$/);

    // Queries span the default partition and the months: the list shows all four, newest first.
    const list = await app?.inject({
      url: '/api/v1/executions?promptId=reply&from=2000-01-01T00:00:00Z&limit=10',
      headers: project.auth,
    });
    expect(list?.statusCode, list?.body).toBe(200);
    expect(list?.json().items.map((item: { id: string }) => item.id)).toEqual([afterBound, soon, yesterday, lastYear]);
    const detail = await app?.inject({ url: `/api/v1/executions/${lastYear}`, headers: project.auth });
    expect(detail?.json().output).toBe('old');

    // A text search finds payloads stored before partitioning (no start of their own) and after it.
    const search = async (q: string) => {
      const found = await app?.inject({
        url: `/api/v1/executions?promptId=reply&from=2000-01-01T00:00:00Z&q=${q}`,
        headers: project.auth,
      });
      expect(found?.statusCode, found?.body).toBe(200);
      return found?.json().items.map((item: { id: string }) => item.id);
    };
    expect(await search('OLD')).toEqual([yesterday, lastYear]);
    expect(await search('here')).toEqual([afterBound, soon]);
  });
});

describe('indexes a migration declares on the partitioned tables', () => {
  const validity = async (db: DatabaseHandle, index: string) => {
    const [row] = await db.query<{ valid: boolean }>(
      `select indisvalid as valid from pg_index where indexrelid = $1::regclass`,
      [index],
    );
    return row?.valid;
  };

  it('are complete on every partition once a new install has started', async () => {
    const db = await open();
    await startApp(db);
    expect(await findPendingIndexes(db)).toEqual([]);
    const invalid = await db.query(
      `select x.indexrelid::regclass::text as index from pg_index x join pg_class c on c.oid = x.indrelid
       where c.relname in ('executions', 'execution_payloads') and not x.indisvalid`,
    );
    expect(invalid).toEqual([]);
  });

  it('are built on the partitions an existing install has, and attached, while its rows stay readable', async () => {
    const db = await open();
    const project = await createTestProject(db);
    const legacy = await insertLegacyRow(db, project, new Date(Date.now() - 365 * DAY_MS));
    await startApp(db);
    expect((await post(project, [execution({ model: 'recent-llm' })]))?.statusCode).toBe(200);
    // As a migration adds one: on the table only, so every existing partition lacks it.
    await db.query('create index executions_model_probe_idx on only executions (project_id, model, id)');
    const partitions = (await readPartitionState(db, 'executions')).months.length + 1;
    const pending = await findPendingIndexes(db);
    expect(pending).toHaveLength(partitions);
    expect(await validity(db, 'executions_model_probe_idx')).toBe(false);

    // A build cut short earlier left an invalid index of the name the first partition's will have: rebuilt.
    const first = pending[0] as PendingIndex;
    const leftover = partitionIndexName(first);
    await db.query(`create index ${leftover} on ${first.partition} (project_id)`);
    await db.query(`update pg_index set indisvalid = false where indexrelid = '${leftover}'::regclass`);

    const built = await buildPendingIndexes(db);
    expect(built).toHaveLength(partitions);
    expect(built).toContain('executions_default_model_probe_idx');
    expect(await findPendingIndexes(db)).toEqual([]);
    expect(await validity(db, 'executions_model_probe_idx')).toBe(true);
    const [definition] = await db.query<{ definition: string }>('select pg_get_indexdef($1::regclass) as definition', [
      leftover,
    ]);
    expect(definition?.definition).toContain('(project_id, model, id)');

    // A month created afterwards gets it from the table.
    const report = await maintainPartitions(db, new Date(Date.now() + 120 * DAY_MS));
    expect(report?.created.length).toBeGreaterThan(0);
    expect(await findPendingIndexes(db)).toEqual([]);

    const read = await app?.inject({ url: `/api/v1/executions/${legacy}`, headers: project.auth });
    expect(read?.statusCode).toBe(200);
  });

  it('turns an index definition into a concurrent build on one partition', () => {
    const pending: PendingIndex = {
      index: 'executions_conversation_idx',
      table: 'executions',
      partition: 'executions_y2026m12',
      definition:
        'CREATE INDEX executions_conversation_idx ON ONLY public.executions USING btree (project_id, conversation_id) WHERE (conversation_id IS NOT NULL)',
      rows: 10,
    };
    const name = partitionIndexName(pending);
    expect(name).toBe('executions_y2026m12_conversation_idx');
    expect(partitionIndexStatement(pending, name)).toBe(
      'CREATE INDEX CONCURRENTLY executions_y2026m12_conversation_idx ON public.executions_y2026m12 USING btree (project_id, conversation_id) WHERE (conversation_id IS NOT NULL)',
    );
  });
});

describe('an id retried across the turn of a month', () => {
  it('is stored once when the server gave it its start time', async () => {
    const db = await open();
    const december = new Date('2031-12-31T23:59:59.400Z');
    await maintainPartitions(db, december);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(december);
    await startApp(db);
    const project = await createTestProject(db);
    const id = uuidv7();

    const first = await post(project, [execution({ id })]);
    expect(first?.json().results[0].status).toBe('created');
    vi.setSystemTime(new Date('2032-01-01T00:00:00.300Z'));
    const retry = await post(project, [execution({ id })]);
    expect(retry?.json().results[0].status).toBe('duplicate');
    const single = await app?.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: execution({ id }),
    });
    expect(single?.statusCode, single?.body).toBe(200);

    const stored = await storedIn(db, project);
    expect([...stored.values()]).toEqual([
      { execution: 'executions_y2031m12', payload: 'execution_payloads_y2031m12' },
    ]);
  });

  it('is stored once when the client sent the start time, since every retry carries the same one', async () => {
    const db = await open();
    await maintainPartitions(db, new Date('2031-12-31T23:59:59Z'));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2032-01-01T00:00:01Z'));
    await startApp(db);
    const project = await createTestProject(db);
    const sent = execution({ id: uuidv7(), startedAt: '2031-12-31T23:59:58Z', latencyMs: 2500 });
    expect((await post(project, [sent]))?.json().results[0].status).toBe('created');
    expect((await post(project, [sent]))?.json().results[0].status).toBe('duplicate');
    expect((await storedIn(db, project)).size).toBe(1);
  });
});

describe('a start too far ahead of the server clock', () => {
  it('is refused with a 400 that names the field, before a month without a partition could be reached', async () => {
    const db = await open();
    await startApp(db);
    const project = await createTestProject(db);
    const farAhead = new Date(Date.now() + MAX_START_AHEAD_MS + DAY_MS).toISOString();
    const response = await app?.inject({
      method: 'POST',
      url: '/api/v1/executions',
      headers: project.auth,
      payload: execution({ startedAt: farAhead }),
    });
    expect(response?.statusCode).toBe(400);
    expect(response?.json().error.issues).toEqual([
      expect.objectContaining({ path: 'startedAt', message: expect.stringContaining("check the client's clock") }),
    ]);
    const withEnd = await post(project, [execution({ endedAt: farAhead })]);
    expect(withEnd?.json().results[0].error.issues[0].path).toBe('executions.0.endedAt');
  });
});

describe('retention', () => {
  async function projectWithRetention(db: DatabaseHandle, days: number | null): Promise<TestProject> {
    const project = await createTestProject(db);
    await db.query('update projects set retention_days = $2 where id = $1', [project.projectId, days]);
    return project;
  }

  it('drops a month every project has expired, and deletes the rest of what is due row by row', async () => {
    const db = await open();
    await maintainPartitions(db, new Date('2031-01-10T00:00:00Z'));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-03-30T00:00:00Z'));
    await startApp(db);
    const short = await projectWithRetention(db, 30);
    const long = await projectWithRetention(db, 60);
    const at = (startedAt: string) => execution({ id: uuidv7(), startedAt, latencyMs: 10 });
    await post(short, [at('2031-01-15T00:00:00Z'), at('2031-02-10T00:00:00Z'), at('2031-03-20T00:00:00Z')]);
    await post(long, [at('2031-01-15T00:00:00Z'), at('2031-03-20T00:00:00Z')]);

    // On February 10 the longest retention (60 days) reaches back to December: nothing is due.
    const early = await applyRetention(db, { now: new Date('2031-02-10T00:00:00Z'), pauseMs: 0 });
    expect(early.droppedPartitions).toEqual([]);
    expect(early.projects.map((p) => p.executions)).toEqual([0, 0]);

    // On April 5 both projects have passed January (60 days back is February 4): the month goes in one statement.
    // The short project's February execution is due too, and goes row by row.
    const report = await applyRetention(db, { now: new Date('2031-04-05T00:00:00Z'), pauseMs: 0 });
    expect(report.droppedPartitions).toEqual(['executions_y2031m01', 'execution_payloads_y2031m01']);
    expect(report.projects.find((p) => p.projectId === short.projectId)?.executions).toBe(1);
    expect(report.projects.find((p) => p.projectId === long.projectId)?.executions).toBe(0);
    expect((await readPartitionState(db, 'executions')).months[0]).toEqual({ year: 2031, month: 2 });
    const left = await db.query<{ n: number }>(
      `select count(*)::int as n from executions where project_id = any($1::uuid[])`,
      [[short.projectId, long.projectId]],
    );
    expect(left[0]?.n).toBe(2);
  });

  it('drops no month while a project keeps its executions forever', async () => {
    const db = await open();
    await maintainPartitions(db, new Date('2031-01-10T00:00:00Z'));
    await projectWithRetention(db, 30);
    await projectWithRetention(db, null);
    const result = await dropExpiredPartitions(db, new Date('2031-06-01T00:00:00Z'));
    expect(result.dropped).toEqual([]);
    expect((await readPartitionState(db, 'executions')).months[0]).toEqual({ year: 2031, month: 1 });
  });
});

// Advisory locks exist only between processes on PostgreSQL; the embedded database has one process.
describe.runIf(process.env.TEST_DATABASE_URL)(
  'a server starting while another process maintains the partitions',
  () => {
    it('waits for it, then finds this month created, before it takes requests', async () => {
      const db = await open();
      const other = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
      expect(other).toHaveLength(1);
      // Another process holds the lock: a connection of the pool, held in a transaction-less session lock.
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holding = db.withAdvisoryLock(PARTITIONS_LOCK, () => released);
      let started = false;
      const log = { info: () => undefined, warn: () => undefined };
      const starting = startPartitionMaintenance(db, { intervalMs: 0, log }).then((stop) => {
        started = true;
        return stop;
      });
      // Give the starting run a turn to find the lock taken; it must still be waiting.
      await db.query('select 1');
      expect(started).toBe(false);
      expect((await readPartitionState(db, 'executions')).months).toEqual([]);
      release();
      await holding;
      const stop = await starting;
      await stop();
      expect((await readPartitionState(db, 'executions')).months[0]).toEqual(monthOf(new Date()));
    });
  },
);
