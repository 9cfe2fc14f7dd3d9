import { type ExecutionReview, ReviewLabel, ReviewRating, type ReviewState } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../errors';
import { isoUtc } from '../../lib/iso-time';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import { labelsById } from './labels';

/** What a review request asks for, as parsed by the route: the whole review as it should be afterwards. */
export interface ReviewInput {
  rating: ReviewRating | null;
  note: string;
  labels: string[];
}

/** The execution a review is about: where it lives and whose logs it belongs to. */
export interface ReviewTarget {
  projectId: string;
  executionId: string;
  promptId: string;
}

/** Decides, once the execution's project and prompt are known, whether the caller may go on; throws if not. */
export type Authorize = (target: ReviewTarget) => { canReview: boolean };

const TargetRow = z.object({ projectId: z.string(), executionId: z.string(), promptId: z.string() });

/** The execution among the caller's projects; another project's, or none, is not found. */
async function findTarget(handle: QueryRunner, projectIds: string[], id: string): Promise<ReviewTarget> {
  const [target] = await handle.query(
    sql`select project_id as "projectId", id as "executionId", prompt_id as "promptId" from executions
        where project_id = any(${sql.param(projectIds)}::uuid[]) and id = ${id} limit 1`,
    TargetRow,
  );
  if (!target) throw new AppError('not_found', `No execution ${id} in your projects`);
  return target;
}

const ReviewRow = z.object({
  executionId: z.string(),
  rating: ReviewRating.nullable(),
  note: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string(),
});
const ReviewLabelRow = ReviewLabel.extend({ executionId: z.string() });

/** The reviews of some executions of one project, with their labels by name; an execution without one is absent. */
export async function reviewsOf(
  handle: QueryRunner,
  projectId: string,
  executionIds: string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, ExecutionReview>> {
  if (executionIds.length === 0) return new Map();
  const ids = sql.param(executionIds);
  const reviews = await handle.query(
    sql`select r.execution_id as "executionId", r.rating, r.note, u.email as "reviewedBy",
          ${isoUtc(sql`r.reviewed_at`)} as "reviewedAt"
        from execution_reviews r left join users u on u.id = r.reviewed_by
        where r.project_id = ${projectId} and r.execution_id = any(${ids}::uuid[])
        ${options.lock ? sql`for update of r` : sql``}`,
    ReviewRow,
  );
  const labels = await handle.query(
    sql`select l.execution_id as "executionId", d.id, d.name, d.color
        from execution_review_labels l join review_labels d on d.project_id = l.project_id and d.id = l.label_id
        where l.project_id = ${projectId} and l.execution_id = any(${ids}::uuid[])
        order by lower(d.name), d.name, d.id`,
    ReviewLabelRow,
  );
  const byExecution = new Map<string, ExecutionReview>();
  for (const { executionId, ...review } of reviews) byExecution.set(executionId, { ...review, labels: [] });
  for (const { executionId, ...label } of labels) byExecution.get(executionId)?.labels.push(label);
  return byExecution;
}

/** One execution's review and whether the caller may change it. */
export async function getReview(
  handle: QueryRunner,
  projectIds: string[],
  id: string,
  authorize: Authorize,
): Promise<ReviewState> {
  const target = await findTarget(handle, projectIds, id);
  const { canReview } = authorize(target);
  const review = (await reviewsOf(handle, target.projectId, [id])).get(id) ?? null;
  return { executionId: id, review, canReview };
}

type Recorded = { rating: ReviewRating | null; note: string; labels: string[] };

function recorded(review: ExecutionReview | undefined): Recorded {
  return { rating: review?.rating ?? null, note: review?.note ?? '', labels: review?.labels.map((l) => l.name) ?? [] };
}

/**
 * Sets an execution's review (rating, note, labels) as the request says, and records what changed, in one
 * transaction: `review.saved`, or `review.cleared` when nothing is left (the review is then deleted, so the
 * execution reads as not reviewed). The reviewer and time are kept; asking for what it already is changes nothing.
 */
export async function saveReview(
  handle: QueryRunner,
  projectIds: string[],
  id: string,
  input: ReviewInput,
  actor: AuditActor,
  authorize: Authorize,
): Promise<ReviewState> {
  const target = await findTarget(handle, projectIds, id);
  const { canReview } = authorize(target);
  const { projectId } = target;
  return handle.transaction(async (tx) => {
    const labels = await labelsById(tx, projectId, input.labels);
    const before = (await reviewsOf(tx, projectId, [id], { lock: true })).get(id);
    const after: Recorded = {
      rating: input.rating,
      note: input.note,
      labels: labels.map((label) => label.name),
    };
    const was = recorded(before);
    const changed = (['rating', 'note', 'labels'] as const).filter(
      (key) => JSON.stringify(was[key]) !== JSON.stringify(after[key]),
    );
    if (changed.length === 0) return { executionId: id, review: before ?? null, canReview };

    const empty = after.rating === null && after.note === '' && labels.length === 0;
    if (empty) {
      await tx.query(sql`delete from execution_reviews where project_id = ${projectId} and execution_id = ${id}`);
    } else {
      await tx.query(
        sql`insert into execution_reviews
              (project_id, execution_id, prompt_id, started_at, rating, note, reviewed_by, reviewed_at)
            select project_id, id, prompt_id, started_at, ${after.rating}, ${after.note}, ${actingUserId(actor)}, now()
            from executions where project_id = ${projectId} and id = ${id}
            on conflict (project_id, execution_id) do update set rating = excluded.rating, note = excluded.note,
              reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`,
      );
      const labelIds = sql.param(labels.map((label) => label.id));
      await tx.query(
        sql`delete from execution_review_labels
            where project_id = ${projectId} and execution_id = ${id} and label_id <> all(${labelIds}::uuid[])`,
      );
      await tx.query(
        sql`insert into execution_review_labels (project_id, execution_id, label_id)
            select ${projectId}, ${id}, unnest(${labelIds}::uuid[]) on conflict do nothing`,
      );
    }
    await recordAudit(tx.db, projectId, {
      action: empty ? 'review.cleared' : 'review.saved',
      actor,
      target: target.promptId,
      details: {
        executionId: id,
        from: Object.fromEntries(changed.map((key) => [key, was[key]])),
        to: Object.fromEntries(changed.map((key) => [key, after[key]])),
      },
    });
    const review = (await reviewsOf(tx, projectId, [id])).get(id) ?? null;
    return { executionId: id, review, canReview };
  });
}
