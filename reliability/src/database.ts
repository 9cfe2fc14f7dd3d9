import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../packages/db/src/client';
import { canonicalJson } from './ingest-load';

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database on the suite's PostgreSQL instance for one check; returns its URL. */
export async function createDatabase(instanceUrl: string, name: string): Promise<string> {
  await withClient(instanceUrl, (client) =>
    client.query(`drop database if exists ${name}`).then(() => client.query(`create database ${name}`)),
  );
  return instanceUrl.replace(/\/postgres$/, `/${name}`);
}

export interface StoredState {
  /** Acknowledged ids with a stored execution. */
  storedOfAcknowledged: number;
  /** Executions stored under one id more than once (none, as long as the primary key holds). */
  duplicateIds: number;
  /** An execution without its payload row, or a payload without its execution. */
  partialExecutions: number;
  /** Stored executions whose inputs differ from what was sent with their id. */
  alteredInputs: number;
  totalStored: number;
}

/** Where a server's data is: a PostgreSQL database, or the embedded database's folder (read once the server is gone). */
export type DataLocation = { databaseUrl: string } | { dataDir: string };

async function openData(location: DataLocation): Promise<DatabaseHandle> {
  return 'databaseUrl' in location
    ? openDatabase({ kind: 'postgres', url: location.databaseUrl, poolSize: 1 })
    : openDatabase({ kind: 'embedded', dataDir: location.dataDir });
}

/** What the database holds for the records a load sent. */
export async function storedState(
  location: DataLocation,
  acknowledged: ReadonlySet<string>,
  sentInputs: ReadonlyMap<string, string>,
): Promise<StoredState> {
  const handle = await openData(location);
  try {
    const rows = await handle.query<{ id: string; inputs: unknown }>(
      `select e.id::text as id, p.inputs from executions e left join execution_payloads p
         on p.project_id = e.project_id and p.execution_id = e.id`,
    );
    const [counts] = await handle.query<{ duplicates: number; without_payload: number; orphan_payloads: number }>(
      `select
         (select count(*) - count(distinct id) from executions)::int as duplicates,
         (select count(*) from executions e where not exists (select 1 from execution_payloads p
            where p.project_id = e.project_id and p.execution_id = e.id))::int as without_payload,
         (select count(*) from execution_payloads p where not exists (select 1 from executions e
            where e.project_id = p.project_id and e.id = p.execution_id))::int as orphan_payloads`,
    );
    const stored = new Map(rows.map((row) => [row.id, row.inputs]));
    let storedOfAcknowledged = 0;
    for (const id of acknowledged) if (stored.has(id)) storedOfAcknowledged++;
    let alteredInputs = 0;
    for (const [id, inputs] of stored) {
      const sent = sentInputs.get(id);
      if (sent !== undefined && canonicalJson(inputs) !== sent) alteredInputs++;
    }
    return {
      storedOfAcknowledged,
      duplicateIds: counts?.duplicates ?? 0,
      partialExecutions: (counts?.without_payload ?? 0) + (counts?.orphan_payloads ?? 0),
      alteredInputs,
      totalStored: stored.size,
    };
  } finally {
    await handle.close();
  }
}
