import type { ExecutionInput } from '@promptlog/contracts';
import type { DatabaseHandle, QueryRunner } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { type ActiveApiKey, findActiveApiKey } from '../api-keys/service';
import { GROUPED_WRITES, GroupedWrites } from './grouped-writes';
import { ingestExecution } from './service';

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;
let target: ActiveApiKey;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  project = await createTestProject(handle);
  target = (await findActiveApiKey(handle, project.apiKey)) as ActiveApiKey;
});

const limits = { maxRecordBytes: 1_000_000, maxBatchSize: 1_000 };

function execution(promptId: string, id = uuidv7()): ExecutionInput {
  return {
    id,
    promptId,
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o-mini',
    inputs: { question: `question for ${id}` },
    output: `answer for ${id}`,
  };
}

/** The database, counting the ingest statements sent to it and failing those that carry `poisoned` with `code`. */
function countingRunner(poisoned?: { id: string; code: string }): QueryRunner & { statements: number } {
  const runner = {
    statements: 0,
    db: handle.db,
    transaction: handle.transaction,
    query: ((text: unknown, params?: unknown) => {
      if (typeof text === 'string' && text.includes('json_to_recordset($1::json)')) {
        runner.statements += 1;
        const rows = Array.isArray(params) ? String(params[0]) : '';
        if (poisoned && rows.includes(poisoned.id)) {
          return Promise.reject(Object.assign(new Error('value refused'), { code: poisoned.code }));
        }
      }
      return handle.query(text as string, params as unknown[]);
    }) as QueryRunner['query'],
  };
  return runner;
}

async function storedCount(projectId: string, promptId: string): Promise<{ executions: number; payloads: number }> {
  const [row] = await handle.query<{ executions: number; payloads: number }>(
    `select count(*)::int as executions, count(p.execution_id)::int as payloads
     from executions e left join execution_payloads p on p.project_id = e.project_id and p.execution_id = e.id
     where e.project_id = $1 and e.prompt_id = $2`,
    [projectId, promptId],
  );
  return row ?? { executions: 0, payloads: 0 };
}

describe('single executions written together', () => {
  it('writes requests that arrive while a statement runs in the next statement, each answered once stored', async () => {
    const runner = countingRunner();
    const writes = new GroupedWrites(runner, { ...GROUPED_WRITES, maxInFlight: 1 });
    const promptId = `grouped-${uuidv7()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ingestExecution(writes, target, execution(promptId), limits)),
    );
    expect(results.every((result) => result.created)).toBe(true);
    // The first went alone; the 19 that arrived while it ran went together.
    expect(runner.statements).toBe(2);
    expect(await storedCount(project.projectId, promptId)).toEqual({ executions: 20, payloads: 20 });
  });

  it('caps a statement at maxRows and lets projects take turns', async () => {
    const other = await createTestProject(handle);
    const otherTarget = (await findActiveApiKey(handle, other.apiKey)) as ActiveApiKey;
    const runner = countingRunner();
    const writes = new GroupedWrites(runner, { ...GROUPED_WRITES, maxInFlight: 1, maxRows: 5 });
    const promptId = `turns-${uuidv7()}`;
    const results = await Promise.all([
      ...Array.from({ length: 12 }, () => ingestExecution(writes, target, execution(promptId), limits)),
      ...Array.from({ length: 3 }, () => ingestExecution(writes, otherTarget, execution(promptId), limits)),
    ]);
    expect(results.every((result) => result.created)).toBe(true);
    // 1 alone, then 5 + 3 (the other project's turn) + 5 + 1.
    expect(runner.statements).toBe(5);
    expect(await storedCount(project.projectId, promptId)).toEqual({ executions: 12, payloads: 12 });
    expect(await storedCount(other.projectId, promptId)).toEqual({ executions: 3, payloads: 3 });
  });

  it('stores an id sent several times at once once, and answers exactly one of them as created', async () => {
    const writes = new GroupedWrites(handle, { ...GROUPED_WRITES, maxInFlight: 1 });
    const promptId = `repeated-${uuidv7()}`;
    const repeated = execution(promptId);
    const results = await Promise.all([
      ingestExecution(writes, target, execution(promptId), limits),
      ...Array.from({ length: 4 }, () => ingestExecution(writes, target, repeated, limits)),
    ]);
    const ofRepeated = results.filter((result) => result.id === repeated.id);
    expect(ofRepeated.map((result) => result.created).sort()).toEqual([false, false, false, true]);
    expect(await storedCount(project.projectId, promptId)).toEqual({ executions: 2, payloads: 2 });
  });

  it('fails only the request whose value the database refused, and the others are stored', async () => {
    const promptId = `refused-${uuidv7()}`;
    const refused = execution(promptId);
    const runner = countingRunner({ id: refused.id as string, code: '22P02' });
    const writes = new GroupedWrites(runner, { ...GROUPED_WRITES, maxInFlight: 1 });
    const sent = [execution(promptId), execution(promptId), refused, execution(promptId)];
    const settled = await Promise.allSettled(sent.map((input) => ingestExecution(writes, target, input, limits)));
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await storedCount(project.projectId, promptId)).toEqual({ executions: 3, payloads: 3 });
  });

  it('fails every request of a statement the database could not run, and stores none of them', async () => {
    const promptId = `unavailable-${uuidv7()}`;
    const sent = [execution(promptId), execution(promptId), execution(promptId)];
    const runner = countingRunner({ id: sent[1]?.id as string, code: '57P01' });
    const writes = new GroupedWrites(runner, { ...GROUPED_WRITES, maxInFlight: 1 });
    const settled = await Promise.allSettled(sent.map((input) => ingestExecution(writes, target, input, limits)));
    // The first went alone and was stored; the two that waited shared the statement that failed.
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await storedCount(project.projectId, promptId)).toEqual({ executions: 1, payloads: 1 });
  });

  it('answers concurrent POSTs of one id with one 201 and 200s, through the API', async () => {
    const promptId = `api-repeated-${uuidv7()}`;
    const repeated = execution(promptId);
    const post = (body: object) =>
      app.inject({ method: 'POST', url: '/api/v1/executions', headers: project.auth, payload: body });
    const responses = await Promise.all([
      ...Array.from({ length: 5 }, () => post(repeated)),
      ...Array.from({ length: 5 }, () => post(execution(promptId))),
    ]);
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.slice(0, 5).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(statuses.slice(5)).toEqual([201, 201, 201, 201, 201]);
    expect(responses.slice(0, 5).every((response) => response.json().id === repeated.id)).toBe(true);
    expect(await storedCount(project.projectId, promptId)).toEqual({ executions: 6, payloads: 6 });
  });
});
