import type { CustomPriceInput, CustomPricePreview, CustomPricePreviewRequest } from '@promptlog/contracts';
import type { Database, DatabaseHandle } from '@promptlog/db';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import {
  type CustomPriceChange,
  countRepricing,
  createCustomPrice,
  deleteCustomPrice,
  updateCustomPrice,
} from '../pricing/custom-prices';

/**
 * Adds a custom price, re-prices the executions it now applies to and records it, all in one transaction: the
 * re-pricing's count goes into the audit event, and a failed audit write leaves prices and costs as they were.
 */
export async function setCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  input: CustomPriceInput,
  actor: AuditActor,
): Promise<CustomPriceChange> {
  return handle.db.transaction(async (tx) => {
    const created = await createCustomPrice(
      inTransaction(handle, tx),
      projectId,
      input,
      actingUserId(actor) ?? undefined,
    );
    await recordAudit(tx, projectId, {
      action: 'price.created',
      actor,
      target: input.model,
      details: { ...created.price, repricedExecutions: created.repricedExecutions },
    });
    return created;
  });
}

/** Changes a custom price, re-prices what it covered before and covers now, and records both versions, in one transaction. */
export async function changeCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  id: string,
  input: CustomPriceInput,
  actor: AuditActor,
): Promise<CustomPriceChange> {
  return handle.db.transaction(async (tx) => {
    const { previous, ...changed } = await updateCustomPrice(inTransaction(handle, tx), projectId, id, input);
    await recordAudit(tx, projectId, {
      action: 'price.updated',
      actor,
      target: input.model,
      details: { before: previous, after: changed.price, repricedExecutions: changed.repricedExecutions },
    });
    return changed;
  });
}

/** How many executions saving a price would re-price, without saving it: a read, so no audit event. */
export async function previewCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  { priceId, ...input }: CustomPricePreviewRequest,
): Promise<CustomPricePreview> {
  return { repricedExecutions: await countRepricing(handle, projectId, input, priceId) };
}

/** Removes a custom price, re-prices the executions it covered and records it, in one transaction. */
export async function removeCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  id: string,
  actor: AuditActor,
): Promise<{ repricedExecutions: number }> {
  return handle.db.transaction(async (tx) => {
    const deleted = await deleteCustomPrice(inTransaction(handle, tx), projectId, id);
    await recordAudit(tx, projectId, { action: 'price.deleted', actor, target: id, details: { ...deleted } });
    return deleted;
  });
}

/**
 * The pricing functions open their own transaction on `handle.db`; handed the outer one, Drizzle makes theirs a
 * savepoint, so the price change, its re-pricing and the audit event commit or roll back together.
 */
function inTransaction(handle: DatabaseHandle, tx: Database): DatabaseHandle {
  return { ...handle, db: tx };
}
