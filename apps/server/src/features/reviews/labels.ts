import { MAX_REVIEW_LABELS, ReviewLabel, type ReviewLabelColor, type ReviewLabelList } from '@promptlog/contracts';
import type { QueryRunner } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, postgresErrorCode } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';

export interface LabelInput {
  name: string;
  color: ReviewLabelColor;
}

export type LabelChange = Partial<LabelInput>;

const byName = sql`order by lower(name), name, id`;

/** The project's review labels, by name. */
export async function listLabels(handle: QueryRunner, projectId: string, canManage: boolean): Promise<ReviewLabelList> {
  const items = await handle.query(
    sql`select id, name, color from review_labels where project_id = ${projectId} ${byName}`,
    ReviewLabel,
  );
  return { items, canManage };
}

/** The labels of the project among `ids`; an id that is not one is a 400 naming its place in the request. */
export async function labelsById(handle: QueryRunner, projectId: string, ids: string[]): Promise<ReviewLabel[]> {
  if (ids.length === 0) return [];
  const found = await handle.query(
    sql`select id, name, color from review_labels
        where project_id = ${projectId} and id = any(${sql.param(ids)}::uuid[]) ${byName}`,
    ReviewLabel,
  );
  const known = new Set(found.map((label) => label.id));
  const unknown = ids.flatMap((id, index) => (known.has(id) ? [] : [{ path: `labels.${index}`, id }]));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `${unknown.length === 1 ? 'A label is' : `${unknown.length} labels are`} not among this project's review labels`,
      unknown.map(({ path }) => ({ path, message: 'is not a review label of this project; it may have been deleted' })),
    );
  }
  return found;
}

/** Creates a label and records it, in one transaction; a name taken (in any case) is a 409. */
export async function createLabel(
  handle: QueryRunner,
  projectId: string,
  input: LabelInput,
  actor: AuditActor,
): Promise<ReviewLabel> {
  const id = uuidv7();
  return explainingConflicts(input.name, () =>
    handle.transaction(async (tx) => {
      const [held] = await tx.query(
        sql`select count(*)::int as labels from review_labels where project_id = ${projectId}`,
        z.object({ labels: z.number() }),
      );
      if ((held?.labels ?? 0) >= MAX_REVIEW_LABELS) {
        throw new AppError(
          'conflict',
          `This project already has ${MAX_REVIEW_LABELS} review labels, the most it may have; delete one first`,
        );
      }
      await tx.query(
        sql`insert into review_labels (project_id, id, name, color, created_by)
            values (${projectId}, ${id}, ${input.name}, ${input.color}, ${actingUserId(actor)})`,
      );
      await recordAudit(tx.db, projectId, {
        action: 'review_label.created',
        actor,
        target: input.name,
        details: { labelId: id, color: input.color },
      });
      return { id, ...input };
    }),
  );
}

/** Renames or recolours a label and records what changed; asking for what it already is changes nothing. */
export async function updateLabel(
  handle: QueryRunner,
  projectId: string,
  id: string,
  change: LabelChange,
  actor: AuditActor,
): Promise<ReviewLabel> {
  return handle.transaction(async (tx) => {
    const label = await lockLabel(tx, projectId, id);
    const next = { name: change.name ?? label.name, color: change.color ?? label.color };
    const changed = (['name', 'color'] as const).filter((key) => next[key] !== label[key]);
    if (changed.length === 0) return label;
    await explainingConflicts(next.name, () =>
      tx.query(
        sql`update review_labels set name = ${next.name}, color = ${next.color}, updated_at = now()
            where project_id = ${projectId} and id = ${id}`,
      ),
    );
    await recordAudit(tx.db, projectId, {
      action: 'review_label.updated',
      actor,
      target: next.name,
      details: {
        labelId: id,
        from: Object.fromEntries(changed.map((key) => [key, label[key]])),
        to: Object.fromEntries(changed.map((key) => [key, next[key]])),
      },
    });
    return { id, ...next };
  });
}

/**
 * Deletes a label, taking it off every review, and records how many reviews had it. A review left with no rating,
 * note or label is no review any more, and goes too.
 */
export async function deleteLabel(
  handle: QueryRunner,
  projectId: string,
  id: string,
  actor: AuditActor,
): Promise<void> {
  await handle.transaction(async (tx) => {
    const label = await lockLabel(tx, projectId, id);
    const [usage] = await tx.query(
      sql`select count(*)::int as reviews from execution_review_labels
          where project_id = ${projectId} and label_id = ${id}`,
      z.object({ reviews: z.number() }),
    );
    await tx.query(
      sql`delete from execution_reviews r
          where r.project_id = ${projectId} and r.rating is null and r.note = ''
            and exists (select 1 from execution_review_labels l
                        where l.project_id = r.project_id and l.execution_id = r.execution_id and l.label_id = ${id})
            and not exists (select 1 from execution_review_labels l
                            where l.project_id = r.project_id and l.execution_id = r.execution_id and l.label_id <> ${id})`,
    );
    await tx.query(sql`delete from review_labels where project_id = ${projectId} and id = ${id}`);
    await recordAudit(tx.db, projectId, {
      action: 'review_label.deleted',
      actor,
      target: label.name,
      details: { labelId: id, color: label.color, reviews: usage?.reviews ?? 0 },
    });
  });
}

async function lockLabel(tx: QueryRunner, projectId: string, id: string): Promise<ReviewLabel> {
  const [label] = await tx.query(
    sql`select id, name, color from review_labels where project_id = ${projectId} and id = ${id} for update`,
    ReviewLabel,
  );
  if (!label) throw new AppError('not_found', `No review label ${id} in this project`);
  return label;
}

async function explainingConflicts<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (postgresErrorCode(error) !== '23505') throw error;
    throw new AppError('conflict', `A review label named “${name}” already exists; choose another name`, [
      { path: 'name', message: 'is already the name of a review label (names ignore case)' },
    ]);
  }
}
