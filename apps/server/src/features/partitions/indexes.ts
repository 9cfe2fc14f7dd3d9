import type { DatabaseHandle } from '@promptlog/db';
import { z } from 'zod';

/**
 * Held while indexes are built on partitions, so two server processes never build the same one. (Creating and
 * dropping partitions has a lock of its own: an index build can take minutes on a large month.)
 */
export const PARTITION_INDEXES_LOCK = 8412006;

/**
 * A partition that lacks its share of an index of its partitioned table. A migration adds an index to executions as
 * `create index … on only executions`, which takes no time and locks no partition; the server then builds it on each
 * partition with CREATE INDEX CONCURRENTLY (reads and writes go on) and attaches it, and PostgreSQL marks the
 * table's index valid once every partition has it. Partitions created later get it from the table.
 */
export const PendingIndex = z.object({
  /** The partitioned table's index, e.g. executions_prompt_latency_idx. */
  index: z.string(),
  table: z.string(),
  partition: z.string(),
  /** pg_get_indexdef of the table's index: `CREATE INDEX … ON ONLY public.executions USING …`. */
  definition: z.string(),
  /** The partition's estimated row count (0 before it was first analysed). */
  rows: z.number(),
});
export type PendingIndex = z.infer<typeof PendingIndex>;

export async function findPendingIndexes(handle: DatabaseHandle): Promise<PendingIndex[]> {
  return handle.query(
    `select table_index.relname as index, tab.relname as table, part.relname as partition,
       pg_get_indexdef(x.indexrelid) as definition, greatest(part.reltuples, 0)::float8 as rows
     from pg_index x
     join pg_class table_index on table_index.oid = x.indexrelid
     join pg_class tab on tab.oid = x.indrelid and tab.relkind = 'p'
     join pg_namespace ns on ns.oid = tab.relnamespace and ns.nspname = current_schema()
     join pg_inherits inh on inh.inhparent = tab.oid
     join pg_class part on part.oid = inh.inhrelid
     where not x.indisvalid
       and not exists (
         select 1 from pg_inherits attached join pg_index child on child.indexrelid = attached.inhrelid
         where attached.inhparent = x.indexrelid and child.indrelid = part.oid
       )
     order by part.reltuples, table_index.relname, part.relname`,
    [],
    PendingIndex,
  );
}

/** executions_prompt_latency_idx on executions_y2026m12 → executions_y2026m12_prompt_latency_idx. */
export function partitionIndexName({ index, table, partition }: PendingIndex): string {
  const suffix = index.startsWith(`${table}_`) ? index.slice(table.length + 1) : index;
  return `${partition}_${suffix}`.slice(0, 63);
}

const INDEX_DEFINITION = /^CREATE (UNIQUE )?INDEX \S+ ON ONLY (?:(\S+)\.)?\S+ (USING [\s\S]+)$/;

/** The statement that builds a table's index on one partition without blocking its reads and writes. */
export function partitionIndexStatement(pending: PendingIndex, name: string): string {
  const match = INDEX_DEFINITION.exec(pending.definition);
  if (!match) throw new Error(`Cannot read the definition of index ${pending.index}: ${pending.definition}`);
  const [, unique = '', schema, rest] = match;
  const target = schema ? `${schema}.${pending.partition}` : pending.partition;
  return `CREATE ${unique}INDEX CONCURRENTLY ${name} ON ${target} ${rest}`;
}

const IndexValidity = z.object({ valid: z.boolean() });

export interface IndexBuildLog {
  info(details: object, message: string): void;
}

/**
 * Builds every pending partition index, smallest partition first, and attaches it; stops between two builds when
 * `signal` aborts. A build cut short (a crash, a restart) leaves an invalid index behind, which the next run drops
 * and builds again; a finished one that was not attached yet is attached. Null when another process is building.
 */
export async function buildPendingIndexes(
  handle: DatabaseHandle,
  { log, signal }: { log?: IndexBuildLog; signal?: AbortSignal } = {},
): Promise<string[] | null> {
  return handle.withAdvisoryLock(PARTITION_INDEXES_LOCK, async () => {
    const built: string[] = [];
    for (const pending of await findPendingIndexes(handle)) {
      if (signal?.aborted) break;
      const name = partitionIndexName(pending);
      const [existing] = await handle.query(
        `select x.indisvalid as valid from pg_index x join pg_class c on c.oid = x.indexrelid
         where c.relname = $1 and c.relnamespace = (select oid from pg_namespace where nspname = current_schema())`,
        [name],
        IndexValidity,
      );
      if (existing && !existing.valid) await handle.query(`drop index concurrently if exists ${name}`);
      if (!existing?.valid) {
        const started = Date.now();
        log?.info({ index: name, rows: Math.round(pending.rows) }, 'building an index on a partition');
        await handle.query(partitionIndexStatement(pending, name));
        log?.info({ index: name, ms: Date.now() - started }, 'built an index on a partition');
      }
      await handle.query(`alter index ${pending.index} attach partition ${name}`);
      built.push(name);
    }
    return built;
  });
}
