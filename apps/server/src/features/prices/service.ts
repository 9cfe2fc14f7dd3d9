import type {
  CustomPriceCreated,
  CustomPriceDeleted,
  CustomPriceInput,
  CustomPricePreview,
  CustomPricePreviewRequest,
  CustomPriceUpdated,
  RepricingJob,
} from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import { countRepricing, createCustomPrice, deleteCustomPrice, updateCustomPrice } from '../pricing/custom-prices';
import { enqueueRepricing, requeueRepricingJob } from '../pricing/repricing-jobs';

/**
 * Adds a custom price, queues the re-pricing of the executions it now applies to and records both, in one short
 * transaction: the executions are re-priced after it commits, in the background, chunk by chunk.
 */
export async function setCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  input: CustomPriceInput,
  actor: AuditActor,
): Promise<CustomPriceCreated> {
  return handle.db.transaction(async (tx) => {
    const createdBy = actingUserId(actor);
    const { price, patterns } = await createCustomPrice(tx, projectId, input, createdBy ?? undefined);
    const repricing = await enqueueRepricing(tx, projectId, {
      priceId: price.id,
      action: 'created',
      model: price.model,
      patterns,
      createdBy,
    });
    await recordAudit(tx, projectId, {
      action: 'price.created',
      actor,
      target: input.model,
      details: { ...price, repricingId: repricing.id },
    });
    return { price, repricing };
  });
}

/** Changes a custom price, queues the re-pricing of what it covered before and covers now, and records both versions. */
export async function changeCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  id: string,
  input: CustomPriceInput,
  actor: AuditActor,
): Promise<CustomPriceUpdated> {
  return handle.db.transaction(async (tx) => {
    const { previous, price, patterns } = await updateCustomPrice(tx, projectId, id, input);
    const repricing = await enqueueRepricing(tx, projectId, {
      priceId: price.id,
      action: 'updated',
      model: price.model,
      patterns,
      createdBy: actingUserId(actor),
    });
    await recordAudit(tx, projectId, {
      action: 'price.updated',
      actor,
      target: input.model,
      details: { before: previous, after: price, repricingId: repricing.id },
    });
    return { price, repricing };
  });
}

/** How many executions saving a price would re-price, without saving it: a read, so no audit event. */
export async function previewCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  { priceId, ...input }: CustomPricePreviewRequest,
): Promise<CustomPricePreview> {
  const { repriced, checked, complete } = await countRepricing(handle, projectId, input, priceId);
  return { repricedExecutions: repriced, checkedExecutions: checked, complete };
}

/** Removes a custom price, queues the re-pricing of the executions it covered and records both, in one transaction. */
export async function removeCustomPrice(
  handle: DatabaseHandle,
  projectId: string,
  id: string,
  actor: AuditActor,
): Promise<CustomPriceDeleted> {
  return handle.db.transaction(async (tx) => {
    const { price, patterns } = await deleteCustomPrice(tx, projectId, id);
    const repricing = await enqueueRepricing(tx, projectId, {
      priceId: price.id,
      action: 'deleted',
      model: price.model,
      patterns,
      createdBy: actingUserId(actor),
    });
    await recordAudit(tx, projectId, {
      action: 'price.deleted',
      actor,
      target: id,
      details: { price, repricingId: repricing.id },
    });
    return { repricing };
  });
}

/** Puts a failed re-pricing back in the queue, where it resumes from its last chunk, and records who did. */
export async function retryRepricing(
  handle: DatabaseHandle,
  projectId: string,
  id: string,
  actor: AuditActor,
): Promise<RepricingJob> {
  return handle.db.transaction(async (tx) => {
    const { job, reason } = await requeueRepricingJob(tx, projectId, id);
    await recordAudit(tx, projectId, {
      action: 'price.repricing_retried',
      actor,
      target: job.model,
      details: { repricingId: job.id, failedWith: reason, processed: job.processed, repriced: job.repriced },
    });
    return job;
  });
}
