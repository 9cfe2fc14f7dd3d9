import { SavedView, type SavedViewList } from '@promptlog/contracts';
import { type Database, type QueryRunner, savedViews } from '@promptlog/db';
import { and, count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, postgresErrorCode } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { isoUtcText } from '../../lib/iso-time';
import { assertCanReadLogsOf } from '../access/policy';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import {
  assertCanCreateViews,
  assertCanEditView,
  canCreateViews,
  canEditView,
  canSeeView,
  type ViewsAccess,
} from './policy';

/** How many views one prompt (or the project-wide set) may hold, so a Logs tab's list stays short. */
export const MAX_VIEWS_PER_PROMPT = 100;

/** A view as parsed by the route: the state in its canonical form. */
export interface ViewInput {
  name: string;
  promptId: string | null;
  state: string;
}

export interface ViewChange {
  name?: string;
  state?: string;
}

const ViewRow = SavedView.omit({ canEdit: true }).extend({ createdById: z.string().nullable() });
type ViewRow = z.infer<typeof ViewRow>;

const SELECT_VIEWS = `
select v.id, v.prompt_id as "promptId", v.name, v.state, v.created_by as "createdById", u.email as "createdBy",
  ${isoUtcText('v.created_at')} as "createdAt", ${isoUtcText('v.updated_at')} as "updatedAt"
from saved_views v left join users u on u.id = v.created_by
where v.project_id = $1`;

function toView({ createdById, ...row }: ViewRow, access: ViewsAccess): SavedView {
  return { ...row, canEdit: canEditView(access, { createdById }) };
}

/**
 * The views the caller may see, by name: with `promptId`, that prompt's and the project-wide ones; without, the
 * project-wide ones and those of every prompt whose logs the caller may read.
 */
export async function listViews(
  handle: QueryRunner,
  access: ViewsAccess,
  promptId: string | undefined,
): Promise<SavedViewList> {
  if (promptId !== undefined) assertCanReadLogsOf(access.logs, promptId);
  const prompts = promptId !== undefined ? [promptId] : access.logs.all ? null : access.logs.promptIds;
  const rows = await handle.query(
    `${SELECT_VIEWS} and (v.prompt_id is null or $2::text[] is null or v.prompt_id = any($2::text[]))
     order by lower(v.name), v.name, v.prompt_id nulls first, v.id`,
    [access.projectId, prompts],
    ViewRow,
  );
  return { items: rows.map((row) => toView(row, access)), canCreate: canCreateViews(access) };
}

async function getView(handle: QueryRunner, access: ViewsAccess, id: string): Promise<SavedView> {
  const [row] = await handle.query(`${SELECT_VIEWS} and v.id = $2`, [access.projectId, id], ViewRow);
  if (!row || !canSeeView(access, row)) throw new AppError('not_found', `No view ${id} in this project`);
  return toView(row, access);
}

/** Saves a view and records it, in one transaction; a name taken for the same prompt is a 409. */
export async function createView(
  handle: QueryRunner,
  access: ViewsAccess,
  input: ViewInput,
  actor: AuditActor,
): Promise<SavedView> {
  assertCanCreateViews(access);
  if (input.promptId !== null) assertCanReadLogsOf(access.logs, input.promptId);
  const { projectId } = access;
  const id = uuidv7();
  return explainingConstraints(input, () =>
    handle.transaction(async (tx) => {
      const samePrompt =
        input.promptId === null ? isNull(savedViews.promptId) : eq(savedViews.promptId, input.promptId);
      const [held] = await tx.db
        .select({ views: count() })
        .from(savedViews)
        .where(and(eq(savedViews.projectId, projectId), samePrompt));
      if ((held?.views ?? 0) >= MAX_VIEWS_PER_PROMPT) {
        throw new AppError(
          'conflict',
          `${input.promptId === null ? 'The project-wide views' : `Prompt ${input.promptId}`} already has ${MAX_VIEWS_PER_PROMPT} saved views, the most it may have; delete one first`,
        );
      }
      await tx.db.insert(savedViews).values({ projectId, id, ...input, createdBy: actingUserId(actor) });
      await recordAudit(tx.db, projectId, {
        action: 'view.created',
        actor,
        target: input.name,
        details: { viewId: id, promptId: input.promptId, state: input.state },
      });
      return getView(tx, access, id);
    }),
  );
}

/**
 * Renames a view or replaces its state, and records it: `view.renamed` for a new name alone, `view.updated` with
 * what changed from what when its state changes. Asking for what it already is changes and records nothing.
 */
export async function updateView(
  handle: QueryRunner,
  access: ViewsAccess,
  id: string,
  change: ViewChange,
  actor: AuditActor,
): Promise<SavedView> {
  const { projectId } = access;
  return handle.transaction(async (tx) => {
    const view = await lockView(tx.db, access, id);
    const name = change.name ?? view.name;
    const state = change.state ?? view.state;
    if (name === view.name && state === view.state) return getView(tx, access, id);
    await explainingConstraints({ name, promptId: view.promptId }, () =>
      tx.db
        .update(savedViews)
        .set({ name, state, updatedAt: new Date() })
        .where(and(eq(savedViews.projectId, projectId), eq(savedViews.id, id))),
    );
    const from: Record<string, string> = {};
    const to: Record<string, string> = {};
    if (name !== view.name) [from.name, to.name] = [view.name, name];
    if (state !== view.state) [from.state, to.state] = [view.state, state];
    await recordAudit(tx.db, projectId, {
      action: state === view.state ? 'view.renamed' : 'view.updated',
      actor,
      target: name,
      details:
        state === view.state
          ? { viewId: id, promptId: view.promptId, from: view.name, to: name }
          : { viewId: id, promptId: view.promptId, from, to },
    });
    return getView(tx, access, id);
  });
}

/** Deletes a view and records it, with the state it had, in one transaction. */
export async function deleteView(
  handle: QueryRunner,
  access: ViewsAccess,
  id: string,
  actor: AuditActor,
): Promise<void> {
  const { projectId } = access;
  await handle.db.transaction(async (tx) => {
    const view = await lockView(tx, access, id);
    await tx.delete(savedViews).where(and(eq(savedViews.projectId, projectId), eq(savedViews.id, id)));
    await recordAudit(tx, projectId, {
      action: 'view.deleted',
      actor,
      target: view.name,
      details: { viewId: id, promptId: view.promptId, state: view.state },
    });
  });
}

/** The view, locked for the rest of the transaction, once the caller is known to see it and to be allowed to edit it. */
async function lockView(tx: Database, access: ViewsAccess, id: string) {
  const [view] = await tx
    .select({
      name: savedViews.name,
      promptId: savedViews.promptId,
      state: savedViews.state,
      createdById: savedViews.createdBy,
    })
    .from(savedViews)
    .where(and(eq(savedViews.projectId, access.projectId), eq(savedViews.id, id)))
    .for('update');
  if (!view || !canSeeView(access, view)) throw new AppError('not_found', `No view ${id} in this project`);
  assertCanEditView(access, view);
  return view;
}

/** The two constraints a client can run into, said in words that name the field. */
async function explainingConstraints<T>(
  view: { name: string; promptId: string | null },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = postgresErrorCode(error);
    if (code === '23505') {
      const scope = view.promptId === null ? 'among the project-wide views' : `for prompt ${view.promptId}`;
      throw new AppError('conflict', `A view named “${view.name}” already exists ${scope}; choose another name`, [
        { path: 'name', message: `is already the name of a view ${scope}` },
      ]);
    }
    if (code === '23503') {
      throw new AppError('not_found', `No prompt ${view.promptId} in this project`, [
        { path: 'promptId', message: 'is not a prompt of this project: no execution has named it' },
      ]);
    }
    throw error;
  }
}
