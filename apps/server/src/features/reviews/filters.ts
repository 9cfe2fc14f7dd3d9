import { executions } from '@promptlog/db';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The Logs tab's review filters, as conditions on `executions`. Reviews are few next to executions, so each is a
 * semi-join (or anti-join) on the review tables' primary keys. PostgreSQL may drive it either way: from the
 * executions, probing a review per row, or from the reviews (only those of the listed prompts, when the list names
 * some), each reaching the one month's partition its start is in.
 */
export function reviewedFilter(reviewed: boolean, promptIds: string[] | undefined): SQL {
  const review = reviewOf(promptIds);
  return reviewed ? review : sql`not ${review}`;
}

/** Executions whose review has any of the ratings. */
export function ratingFilter(ratings: string[], promptIds: string[] | undefined): SQL {
  return reviewOf(promptIds, sql` and r.rating = any(${sql.param(ratings)}::text[])`);
}

/** The execution has a review (that also meets `condition`), read by its key, of the listed prompts' reviews only. */
function reviewOf(promptIds: string[] | undefined, condition = sql``): SQL {
  const ofPrompts = promptIds?.length ? sql` and r.prompt_id = any(${sql.param(promptIds)}::text[])` : sql``;
  return sql`exists (select 1 from execution_reviews r
    where r.project_id = ${executions.projectId} and r.execution_id = ${executions.id}
      and r.started_at = ${executions.startedAt}${condition}${ofPrompts})`;
}

/** Executions whose review has any of the labels. */
export function labelFilter(labelIds: string[]): SQL {
  return sql`exists (select 1 from execution_review_labels l
    where l.project_id = ${executions.projectId} and l.execution_id = ${executions.id}
      and l.label_id = any(${sql.param(labelIds)}::uuid[]))`;
}
