import type { DatabaseHandle } from '@promptlog/db';
import { z } from 'zod';

/** Held on PostgreSQL while partitions are created or dropped, so two server processes never race on the DDL. */
export const PARTITIONS_LOCK = 8412005;

const DAY_MS = 86_400_000;

/**
 * How far ahead of the server's clock an execution may start (ingestion refuses later starts with a 400). Months are
 * created through the one holding now + 2 × this, so a server that missed a month of maintenance still has them.
 */
export const MAX_START_AHEAD_MS = 31 * DAY_MS;

/** The two tables partitioned by month of started_at, with each partition's own primary key. */
export const PARTITIONED_TABLES = [
  { table: 'executions', key: 'project_id, id', nullableStart: false },
  { table: 'execution_payloads', key: 'project_id, execution_id', nullableStart: true },
] as const;

/** A partition that DDL waits longer than this to lock is left for the next run instead of stalling queries behind it. */
const LOCK_TIMEOUT_MS = 2_000;

export interface Month {
  year: number;
  /** 1–12 */
  month: number;
}

export function monthOf(date: Date): Month {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

export function nextMonth({ year, month }: Month): Month {
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

export function monthStart({ year, month }: Month): string {
  return new Date(Date.UTC(year, month - 1, 1)).toISOString();
}

/** executions_y2026m12: sorts by time, and says which month it holds. */
export function partitionName(table: string, { year, month }: Month): string {
  return `${table}_y${String(year).padStart(4, '0')}m${String(month).padStart(2, '0')}`;
}

const MONTH_SUFFIX = /_y(\d{4})m(\d{2})$/;

function parseMonth(name: string): Month | null {
  const match = MONTH_SUFFIX.exec(name);
  return match ? { year: Number(match[1]), month: Number(match[2]) } : null;
}

function compareMonths(a: Month, b: Month): number {
  return a.year - b.year || a.month - b.month;
}

/** The default partition's CHECK, named after the first month it excludes: executions_default_before_y2027m01. */
function boundConstraintName(table: string, bound: Month): string {
  return partitionName(`${table}_default_before`, bound);
}

export interface PartitionState {
  /** Every month the table has a partition for, oldest first. */
  months: Month[];
  /** The first month the default partition is proven (by a validated CHECK) to hold nothing of; null before that. */
  defaultBefore: Month | null;
}

const NamedRow = z.object({ name: z.string() });

export async function readPartitionState(handle: DatabaseHandle, table: string): Promise<PartitionState> {
  const partitions = await handle.query(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
     where i.inhparent = $1::regclass`,
    [table],
    NamedRow,
  );
  const months = partitions
    .map((p) => parseMonth(p.name))
    .filter((m): m is Month => m !== null)
    .sort(compareMonths);
  const checks = await handle.query(
    `select conname as name from pg_constraint where conrelid = $1::regclass and contype = 'c' and convalidated`,
    [`${table}_default`],
    NamedRow,
  );
  const bound = checks
    .map((c) => (c.name.startsWith(`${table}_default_before_`) ? parseMonth(c.name) : null))
    .find(Boolean);
  return { months, defaultBefore: bound ?? null };
}

/** Runs DDL in a transaction of its own that gives up, rather than queue every query behind it, if a lock is busy. */
async function runDdl(handle: DatabaseHandle, statements: string[]): Promise<void> {
  const body = statements.map((s) => `execute ${quoteLiteral(s)};`).join('\n');
  await handle.query(`do $ddl$ begin
    perform set_config('lock_timeout', '${LOCK_TIMEOUT_MS}', true);
    ${body}
  end $ddl$`);
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const DefaultPartitionRow = z.object({ latest: z.string().nullable(), empty: z.boolean() });

/**
 * The first month the monthly partitions start from, chosen once: the current month on a new install (its default
 * partition is empty), otherwise the month after anything the default partition holds or may still receive, so the
 * CHECK that proves it can be validated without stopping ingestion.
 */
async function chooseBound(handle: DatabaseHandle, now: Date): Promise<Month> {
  const [row] = await handle.query(
    `select max(started_at)::text as latest, not exists (select 1 from executions_default) as empty from executions_default`,
    [],
    DefaultPartitionRow,
  );
  if (!row || row.empty) return monthOf(now);
  const latestAllowed = new Date(now.getTime() + MAX_START_AHEAD_MS);
  const latest = row.latest && new Date(row.latest) > latestAllowed ? new Date(row.latest) : latestAllowed;
  return nextMonth(monthOf(latest));
}

const ConstraintRow = z.object({ validated: z.boolean() });

/**
 * Proves, with a CHECK validated online (VALIDATE takes no lock that blocks reads or writes), that the default
 * partition holds nothing from `bound` on; PostgreSQL then creates monthly partitions without scanning it.
 */
async function boundDefaultPartition(handle: DatabaseHandle, bound: Month): Promise<void> {
  for (const { table, nullableStart } of PARTITIONED_TABLES) {
    const name = boundConstraintName(table, bound);
    const condition = `${nullableStart ? 'started_at is null or ' : ''}started_at < '${monthStart(bound)}'`;
    const existing = await handle.query(
      `select convalidated as validated from pg_constraint where conrelid = $1::regclass and conname = $2`,
      [`${table}_default`, name],
      ConstraintRow,
    );
    if (existing.length === 0) {
      await runDdl(handle, [`alter table ${table}_default add constraint ${name} check (${condition}) not valid`]);
    }
    if (!existing[0]?.validated) await handle.query(`alter table ${table}_default validate constraint ${name}`);
  }
}

export interface MaintenanceReport {
  /** Partitions created by this run, e.g. executions_y2027m01. */
  created: string[];
}

/**
 * Creates the monthly partitions of executions and execution_payloads from the first month onward through the month
 * holding now + 2 × MAX_START_AHEAD_MS. Safe to run at any time and from several processes (one runs, the others skip).
 */
export async function maintainPartitions(handle: DatabaseHandle, now: Date): Promise<MaintenanceReport | null> {
  return handle.withAdvisoryLock(PARTITIONS_LOCK, async () => {
    const state = await readPartitionState(handle, 'executions');
    const first = state.defaultBefore ?? state.months[0] ?? (await chooseBound(handle, now));
    await boundDefaultPartition(handle, first);
    const last = monthOf(new Date(now.getTime() + 2 * MAX_START_AHEAD_MS));
    const created: string[] = [];
    for (const { table, key } of PARTITIONED_TABLES) {
      const existing = new Set((await readPartitionState(handle, table)).months.map((m) => partitionName(table, m)));
      for (let month = first; compareMonths(month, last) <= 0; month = nextMonth(month)) {
        const name = partitionName(table, month);
        if (existing.has(name)) continue;
        await runDdl(handle, [
          `create table if not exists ${name} partition of ${table} (primary key (${key}))
           for values from ('${monthStart(month)}') to ('${monthStart(nextMonth(month))}')`,
        ]);
        created.push(name);
      }
    }
    return { created };
  });
}

export interface DroppedPartitions {
  /** The months dropped from both tables, e.g. executions_y2026m01 and execution_payloads_y2026m01. */
  dropped: string[];
}

/** Both null when there is no project: aggregates of no rows. */
const LongestRetentionRow = z.object({ longest: z.number().nullable(), forever: z.boolean().nullable() });

/**
 * Drops the months that every project's retention has passed: their rows are gone in one statement instead of one
 * DELETE per row. A month stays while any project keeps executions longer (or forever); the DELETE path of retention
 * then removes that month's expired rows project by project.
 */
export async function dropExpiredPartitions(handle: DatabaseHandle, now: Date): Promise<DroppedPartitions> {
  const [row] = await handle.query(
    `select max(retention_days) as longest, bool_or(retention_days is null) as forever from projects`,
    [],
    LongestRetentionRow,
  );
  if (!row || row.forever || row.longest === null) return { dropped: [] };
  const cutoff = new Date(now.getTime() - row.longest * DAY_MS);
  const dropped: string[] = [];
  const result = await handle.withAdvisoryLock(PARTITIONS_LOCK, async () => {
    const { months } = await readPartitionState(handle, 'executions');
    for (const month of months) {
      if (new Date(monthStart(nextMonth(month))) > cutoff) break;
      const names = PARTITIONED_TABLES.map(({ table }) => partitionName(table, month));
      await runDdl(handle, [
        ...names.map((name) => `drop table if exists ${name}`),
        `delete from execution_id_claims where started_at < '${monthStart(nextMonth(month))}'`,
      ]);
      dropped.push(...names);
    }
    return true;
  });
  return { dropped: result === null ? [] : dropped };
}
