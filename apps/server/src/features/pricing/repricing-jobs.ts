import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { RepricingJob } from '@promptlog/contracts';
import { type Database, type DatabaseHandle, type RepricingPattern, repricingJobs } from '@promptlog/db';
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { AppError, postgresErrorMessage } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { startRepeatingJob } from '../../lib/repeating-job';
import { countCovered, currentCustomPrices, REPRICE_CHUNK_SIZE, repriceChunk } from './custom-prices';

export interface RepricingTuning {
  /** Executions walked per chunk, each chunk its own transaction. */
  chunkSize?: number;
  /** Failed attempts of one chunk in a row before the job is `failed`. */
  maxAttempts?: number;
  /** The wait after the first failure, doubled after each further one (at most MAX_RETRY_DELAY_MS). */
  retryDelayMs?: number;
  /** Only this project's jobs (tests); every project's otherwise. */
  projectId?: string;
}

export interface RepricingLog {
  warn(details: object, message: string): void;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_RETRY_DELAY_MS = 2_000;
const MAX_RETRY_DELAY_MS = 300_000;
const MAX_REASON_LENGTH = 500;
const RECENT_JOBS = 20;
const PENDING = ['queued', 'running'] as const;

type JobRow = typeof repricingJobs.$inferSelect;

/** Queues the re-pricing of a price change; pass the change's transaction, so the job commits with it. */
export async function enqueueRepricing(
  db: Database,
  projectId: string,
  job: {
    priceId: string;
    action: JobRow['action'];
    model: string;
    patterns: RepricingPattern[];
    createdBy: string | null;
  },
): Promise<RepricingJob> {
  const [row] = await db
    .insert(repricingJobs)
    .values({ projectId, id: uuidv7(), ...job })
    .returning();
  if (!row) throw new Error('insert … returning produced no row');
  return toRepricingJob(row);
}

/** The project's most recent re-pricings, newest first. */
export async function listRepricingJobs(db: Database, projectId: string): Promise<RepricingJob[]> {
  const rows = await db
    .select()
    .from(repricingJobs)
    .where(eq(repricingJobs.projectId, projectId))
    .orderBy(desc(repricingJobs.createdAt), desc(repricingJobs.id))
    .limit(RECENT_JOBS);
  return rows.map(toRepricingJob);
}

export async function getRepricingJob(db: Database, projectId: string, id: string): Promise<RepricingJob> {
  const [row] = await db
    .select()
    .from(repricingJobs)
    .where(and(eq(repricingJobs.projectId, projectId), eq(repricingJobs.id, id)));
  if (!row) throw new AppError('not_found', `No re-pricing ${id} in this project`);
  return toRepricingJob(row);
}

/** Puts a failed job back in the queue, to resume where it stopped; returns it with the reason it had failed. */
export async function requeueRepricingJob(
  db: Database,
  projectId: string,
  id: string,
): Promise<{ job: RepricingJob; reason: string | null }> {
  const [before] = await db
    .select()
    .from(repricingJobs)
    .where(and(eq(repricingJobs.projectId, projectId), eq(repricingJobs.id, id)))
    .for('update');
  if (!before) throw new AppError('not_found', `No re-pricing ${id} in this project`);
  if (before.state !== 'failed') {
    throw new AppError('conflict', `The re-pricing is ${before.state}; only a failed one can be retried`);
  }
  const [row] = await db
    .update(repricingJobs)
    .set({ state: 'queued', attempts: 0, error: null, retryAt: null, finishedAt: null, updatedAt: sql`now()` })
    .where(and(eq(repricingJobs.projectId, projectId), eq(repricingJobs.id, id)))
    .returning();
  if (!row) throw new Error('update … returning produced no row');
  return { job: toRepricingJob(row), reason: before.error };
}

export type ChunkOutcome = 'walked' | 'failed' | 'idle';

/**
 * Walks one chunk of the next job due, in one transaction that also moves the job's cursor and counts, so a crash
 * loses nothing and repeats nothing. The job row stays locked (`for update skip locked`) until it commits, so one
 * worker at a time, in any process, walks a job; a project's jobs go in the order they were created, each chunk
 * resolving against the prices current at that moment. A failed chunk is rolled back and retried later.
 */
export async function runRepricingChunk(handle: DatabaseHandle, tuning: RepricingTuning = {}): Promise<ChunkOutcome> {
  const chunkSize = tuning.chunkSize ?? REPRICE_CHUNK_SIZE;
  let picked: JobRow | undefined;
  try {
    return await handle.db.transaction(async (tx) => {
      picked = await pickDueJob(tx, tuning.projectId);
      if (!picked) return 'idle';
      const job = picked;
      const total = job.total ?? (await countCovered(tx, job.projectId, job.patterns));
      const prices = await currentCustomPrices(tx, job.projectId);
      const chunk = await repriceChunk(tx, job.projectId, job.patterns, job.cursor, prices, chunkSize);
      const finished = chunk.walked < chunkSize;
      await tx
        .update(repricingJobs)
        .set({
          state: finished ? 'done' : 'running',
          total,
          cursor: chunk.lastId ?? job.cursor,
          processed: sql`${repricingJobs.processed} + ${chunk.walked}`,
          repriced: sql`${repricingJobs.repriced} + ${chunk.repriced}`,
          attempts: 0,
          error: null,
          retryAt: null,
          updatedAt: sql`now()`,
          finishedAt: finished ? sql`now()` : null,
        })
        .where(and(eq(repricingJobs.projectId, job.projectId), eq(repricingJobs.id, job.id)));
      return 'walked';
    });
  } catch (error) {
    if (!picked) throw error;
    await recordFailure(handle.db, picked, error, tuning);
    return 'failed';
  }
}

/** Runs chunks until no job is due (tests and the worker): how many chunks were walked or failed. */
export async function runDueRepricing(
  handle: DatabaseHandle,
  tuning: RepricingTuning = {},
  signal?: AbortSignal,
): Promise<number> {
  let chunks = 0;
  while (!signal?.aborted && (await runRepricingChunk(handle, tuning)) !== 'idle') {
    chunks++;
    await yieldToRequests();
  }
  return chunks;
}

/**
 * Walks due re-pricings every `intervalMs`, chunk after chunk, until none is due. The returned function stops it
 * between two chunks and waits for the one under way: the job keeps its cursor and resumes at the next start.
 */
export function startRepricingWorker(
  handle: DatabaseHandle,
  { intervalMs, log, ...tuning }: RepricingTuning & { intervalMs: number; log: RepricingLog },
): () => Promise<void> {
  return startRepeatingJob(intervalMs, (signal) =>
    runDueRepricing(handle, tuning, signal)
      .then(() => undefined)
      .catch((error) => log.warn({ err: error }, 're-pricing executions failed')),
  );
}

/** The oldest due job of a project with no earlier job still to walk, locked; jobs other workers hold are skipped. */
async function pickDueJob(tx: Database, projectId: string | undefined): Promise<JobRow | undefined> {
  const [row] = await tx
    .select()
    .from(repricingJobs)
    .where(
      and(
        projectId === undefined ? undefined : eq(repricingJobs.projectId, projectId),
        inArray(repricingJobs.state, [...PENDING]),
        or(isNull(repricingJobs.retryAt), lte(repricingJobs.retryAt, sql`now()`)),
        sql`not exists (
          select 1 from repricing_jobs earlier
          where earlier.project_id = ${repricingJobs.projectId} and earlier.state in ('queued', 'running')
            and (earlier.created_at, earlier.id) < (${repricingJobs.createdAt}, ${repricingJobs.id}))`,
      ),
    )
    .orderBy(asc(repricingJobs.createdAt), asc(repricingJobs.id))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** Counts a failed attempt and its reason; the job waits longer after each, and fails after `maxAttempts`. */
async function recordFailure(db: Database, job: JobRow, error: unknown, tuning: RepricingTuning): Promise<void> {
  const attempts = job.attempts + 1;
  const failed = attempts >= (tuning.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const delayMs = Math.min((tuning.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
  await db
    .update(repricingJobs)
    .set({
      attempts,
      error: postgresErrorMessage(error).slice(0, MAX_REASON_LENGTH),
      state: failed ? 'failed' : job.state,
      retryAt: failed ? null : sql`now() + ${`${delayMs} milliseconds`}::interval`,
      finishedAt: failed ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(repricingJobs.projectId, job.projectId), eq(repricingJobs.id, job.id)));
}

function toRepricingJob(row: JobRow): RepricingJob {
  return {
    id: row.id,
    state: row.state,
    priceId: row.priceId,
    action: row.action,
    model: row.model,
    total: row.total,
    processed: row.processed,
    repriced: row.repriced,
    error: row.error,
    createdAt: isoTimestamp(row.createdAt),
    updatedAt: isoTimestamp(row.updatedAt),
    finishedAt: row.finishedAt === null ? null : isoTimestamp(row.finishedAt),
  };
}

function isoTimestamp(postgresTimestamp: string): string {
  return new Date(postgresTimestamp).toISOString();
}
