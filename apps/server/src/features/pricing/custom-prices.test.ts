import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, executions, projects } from '@promptlog/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness';
import type { AuditActor } from '../audit/service';
import { changeCustomPrice, removeCustomPrice, setCustomPrice } from '../prices/service';
import { countRepricing, listCustomPrices, loadCustomPrices } from './custom-prices';
import { toPlainDecimal } from './decimal';
import { getRepricingJob } from './repricing-jobs';
import { finishRepricing } from './test-repricing';

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase();
});

afterAll(async () => {
  await handle?.close();
});

async function createProject(): Promise<string> {
  const id = randomUUID();
  await handle.db.insert(projects).values({ id, name: `pricing ${id}` });
  return id;
}

type ExecutionSeed = Partial<typeof executions.$inferInsert> & { model: string; startedAt: string };

async function insertExecution(projectId: string, seed: ExecutionSeed): Promise<string> {
  const id = randomUUID();
  await handle.db.insert(executions).values(executionRow(projectId, id, seed));
  return id;
}

function executionRow(projectId: string, id: string, seed: ExecutionSeed): typeof executions.$inferInsert {
  return {
    projectId,
    id,
    promptId: 'pricing-test',
    status: 'success',
    sourceType: 'api',
    inputTokens: 1000,
    outputTokens: 500,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costOrigin: 'none',
    ...seed,
  };
}

async function storedCost(projectId: string, id: string) {
  const [row] = await handle.db
    .select({ costUsd: executions.costUsd, costOrigin: executions.costOrigin, costPriceRef: executions.costPriceRef })
    .from(executions)
    .where(and(eq(executions.projectId, projectId), eq(executions.id, id)));
  // Postgres pads numeric(30,15) to 15 decimals, PGlite does not: compare the amounts.
  return row && { ...row, costUsd: row.costUsd === null ? null : toPlainDecimal(row.costUsd) };
}

const actor: AuditActor = { kind: 'system', id: null, label: 'pricing test' };

/** A price change through its service verb, its re-pricing walked to the end: the price and how many it re-priced. */
async function repriced(projectId: string, change: Promise<{ repricing: { id: string } }>) {
  const { repricing } = await change;
  expect(await finishRepricing(handle, projectId)).not.toContain('failed');
  return (await getRepricingJob(handle.db, projectId, repricing.id)).repriced;
}

async function createCustomPrice(projectId: string, input: Parameters<typeof setCustomPrice>[2]) {
  const change = setCustomPrice(handle, projectId, input, actor);
  return { price: (await change).price, repricedExecutions: await repriced(projectId, change) };
}

async function updateCustomPrice(projectId: string, id: string, input: Parameters<typeof setCustomPrice>[2]) {
  const change = changeCustomPrice(handle, projectId, id, input, actor);
  return { price: (await change).price, repricedExecutions: await repriced(projectId, change) };
}

async function deleteCustomPrice(projectId: string, id: string) {
  return { repricedExecutions: await repriced(projectId, removeCustomPrice(handle, projectId, id, actor)) };
}

const exactAcme = {
  model: 'acme-large',
  match: 'exact',
  effectiveFrom: '2025-01-01T00:00:00Z',
  inputPerMillion: '2',
  outputPerMillion: '8',
} as const;

describe('custom prices', () => {
  it('re-prices matching executions from the effective date and back when the price is deleted', async () => {
    const projectId = await createProject();
    const covered = await insertExecution(projectId, { model: 'acme-large', startedAt: '2025-02-01T00:00:00Z' });
    const before = await insertExecution(projectId, { model: 'acme-large', startedAt: '2024-12-31T23:59:59Z' });
    const provided = await insertExecution(projectId, {
      model: 'acme-large',
      startedAt: '2025-02-01T00:00:00Z',
      costUsd: '0.5',
      costOrigin: 'provided',
    });
    const otherModel = await insertExecution(projectId, { model: 'acme-large-v2', startedAt: '2025-02-01T00:00:00Z' });

    const created = await createCustomPrice(projectId, exactAcme);

    expect(created.repricedExecutions).toBe(1);
    expect(created.price).toMatchObject({
      model: 'acme-large',
      match: 'exact',
      effectiveFrom: '2025-01-01T00:00:00.000Z',
      inputPerMillion: '2',
      outputPerMillion: '8',
      cacheReadPerMillion: null,
      cacheWritePerMillion: null,
    });
    // 1,000 × 2 + 500 × 8 = 6,000 per million → $0.006
    expect(await storedCost(projectId, covered)).toEqual({
      costUsd: '0.006',
      costOrigin: 'custom',
      costPriceRef: `custom:${created.price.id}`,
    });
    expect(await storedCost(projectId, before)).toEqual({ costUsd: null, costOrigin: 'none', costPriceRef: null });
    expect(await storedCost(projectId, provided)).toEqual({
      costUsd: '0.5',
      costOrigin: 'provided',
      costPriceRef: null,
    });
    expect(await storedCost(projectId, otherModel)).toEqual({ costUsd: null, costOrigin: 'none', costPriceRef: null });

    const deleted = await deleteCustomPrice(projectId, created.price.id);

    expect(deleted.repricedExecutions).toBe(1);
    expect(await storedCost(projectId, covered)).toEqual({ costUsd: null, costOrigin: 'none', costPriceRef: null });
    expect(await listCustomPrices(handle, projectId)).toEqual([]);
  });

  it('falls back to the catalogue when a prefix price over a known model is deleted', async () => {
    const projectId = await createProject();
    const gpt4o = await insertExecution(projectId, {
      model: 'gpt-4o',
      provider: 'openai',
      startedAt: '2025-07-01T00:00:00Z',
    });

    const created = await createCustomPrice(projectId, {
      model: 'gpt-4',
      match: 'prefix',
      effectiveFrom: '1970-01-01T00:00:00Z',
      inputPerMillion: '1',
      outputPerMillion: '1',
    });
    // 1,000 × 1 + 500 × 1 = 1,500 → $0.0015
    expect(await storedCost(projectId, gpt4o)).toMatchObject({ costUsd: '0.0015', costOrigin: 'custom' });

    await deleteCustomPrice(projectId, created.price.id);

    // gpt-4o in the catalogue: 1,000 × 2.5 + 500 × 10 = 7,500 → $0.0075
    expect(await storedCost(projectId, gpt4o)).toEqual({
      costUsd: '0.0075',
      costOrigin: 'catalog',
      costPriceRef: 'catalog:openai/gpt-4o',
    });
  });

  it('leaves executions priced by a more specific custom price alone', async () => {
    const projectId = await createProject();
    const id = await insertExecution(projectId, { model: 'acme-large', startedAt: '2025-02-01T00:00:00Z' });
    const exact = await createCustomPrice(projectId, exactAcme);

    const prefix = await createCustomPrice(projectId, {
      ...exactAcme,
      model: 'acme-',
      match: 'prefix',
      inputPerMillion: '100',
    });

    expect(prefix.repricedExecutions).toBe(0);
    expect(await storedCost(projectId, id)).toMatchObject({
      costUsd: '0.006',
      costPriceRef: `custom:${exact.price.id}`,
    });

    const deleted = await deleteCustomPrice(projectId, exact.price.id);

    // now the prefix price: 1,000 × 100 + 500 × 8 = 104,000 → $0.104
    expect(deleted.repricedExecutions).toBe(1);
    expect(await storedCost(projectId, id)).toMatchObject({
      costUsd: '0.104',
      costPriceRef: `custom:${prefix.price.id}`,
    });
  });

  it('re-prices more executions than fit in one chunk', async () => {
    const projectId = await createProject();
    const rows = Array.from({ length: 2500 }, () =>
      executionRow(projectId, randomUUID(), { model: 'acme-large', startedAt: '2025-02-01T00:00:00Z' }),
    );
    await handle.db.insert(executions).values(rows);

    const created = await createCustomPrice(projectId, exactAcme);

    expect(created.repricedExecutions).toBe(2500);
    const custom = await handle.db
      .select({ id: executions.id })
      .from(executions)
      .where(and(eq(executions.projectId, projectId), eq(executions.costOrigin, 'custom')));
    expect(custom).toHaveLength(2500);
  });

  it('does not touch another project', async () => {
    const projectId = await createProject();
    const otherProjectId = await createProject();
    const other = await insertExecution(otherProjectId, { model: 'acme-large', startedAt: '2025-02-01T00:00:00Z' });

    const created = await createCustomPrice(projectId, exactAcme);

    expect(created.repricedExecutions).toBe(0);
    expect(await storedCost(otherProjectId, other)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect(await loadCustomPrices(handle, otherProjectId)).toEqual([]);
    await expect(deleteCustomPrice(otherProjectId, created.price.id)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('lists a project’s prices with decimal strings and ISO timestamps', async () => {
    const projectId = await createProject();
    await createCustomPrice(projectId, {
      ...exactAcme,
      cacheReadPerMillion: '0.25',
      cacheWritePerMillion: '2.5',
    });

    const [price] = await listCustomPrices(handle, projectId);

    expect(price).toMatchObject({ inputPerMillion: '2', cacheReadPerMillion: '0.25', cacheWritePerMillion: '2.5' });
    expect(price?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('checks at most a bounded number of the executions a price covers, and says when there were more', async () => {
    const projectId = await createProject();
    for (let i = 0; i < 3; i++)
      await insertExecution(projectId, { model: 'acme-large', startedAt: '2025-02-01T00:00:00Z' });
    const count = (maxChecked: number) => countRepricing(handle, projectId, exactAcme, undefined, maxChecked);
    expect(await count(2)).toEqual({ repriced: 2, checked: 2, complete: false });
    expect(await count(3)).toEqual({ repriced: 3, checked: 3, complete: true });
    expect(await count(10)).toEqual({ repriced: 3, checked: 3, complete: true });
  });

  it('counts what a price would re-price with nothing written, and re-prices both patterns of a change', async () => {
    const projectId = await createProject();
    const large = await insertExecution(projectId, {
      model: 'acme-large',
      startedAt: '2025-02-01T00:00:00Z',
      inputTokens: 1_000_000_000,
      outputTokens: 0,
    });
    const small = await insertExecution(projectId, { model: 'acme-small', startedAt: '2025-02-01T00:00:00Z' });
    expect(await countRepricing(handle, projectId, exactAcme)).toEqual({ repriced: 1, checked: 1, complete: true });
    expect(await storedCost(projectId, large)).toMatchObject({ costUsd: null, costOrigin: 'none' });
    expect(await loadCustomPrices(handle, projectId)).toEqual([]);

    // More decimals than numeric(30,12) keeps: stored as 0, so saving it again changes nothing, though
    // 1e9 tokens at the price as typed would cost $0.0000000004.
    const tiny = { ...exactAcme, inputPerMillion: '0.0000000000004', outputPerMillion: '0' };
    const created = await createCustomPrice(projectId, tiny);
    expect(await storedCost(projectId, large)).toMatchObject({ costUsd: '0', costOrigin: 'custom' });
    expect(await countRepricing(handle, projectId, tiny, created.price.id)).toMatchObject({ repriced: 0 });

    const moved = { ...exactAcme, model: 'acme-small' };
    expect(await countRepricing(handle, projectId, moved, created.price.id)).toMatchObject({ repriced: 2 });
    const updated = await updateCustomPrice(projectId, created.price.id, moved);
    expect(updated).toMatchObject({ repricedExecutions: 2, price: { model: 'acme-small' } });
    expect(await storedCost(projectId, large)).toEqual({ costUsd: null, costOrigin: 'none', costPriceRef: null });
    // 1,000 × 2 + 500 × 8 = 6,000 per million
    expect(await storedCost(projectId, small)).toEqual({
      costUsd: '0.006',
      costOrigin: 'custom',
      costPriceRef: `custom:${created.price.id}`,
    });
    await expect(countRepricing(handle, projectId, moved, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateCustomPrice(projectId, randomUUID(), moved)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
