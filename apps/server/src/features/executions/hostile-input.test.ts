import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const minimal = (fields: Record<string, unknown> = {}) => ({
  promptId: 'support-reply',
  status: 'success',
  source: { type: 'api' },
  model: 'gpt-4o-mini',
  ...fields,
});

/** JSON text of `levels` objects inside each other: {"a":{"a":…1…}}. */
const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;

/** The record as JSON text with `field` set to raw JSON text (deep nesting cannot go through JSON.stringify). */
const withRawField = (record: object, field: string, json: string) =>
  `${JSON.stringify(record).slice(0, -1)},${JSON.stringify(field)}:${json}}`;

function send(project: TestProject, method: 'POST' | 'PATCH', url: string, payload: string | object) {
  return app.inject({
    method,
    url,
    headers: { ...project.auth, 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('nesting', () => {
  it('stores payloads 64 levels deep and refuses deeper ones with a 400 naming the field, up to 100,000 levels', async () => {
    const project = await createTestProject(handle);
    const id = uuidv7();
    const stored = await send(
      project,
      'POST',
      '/api/v1/executions',
      withRawField(minimal({ id }), 'inputs', nested(64)),
    );
    expect(stored.statusCode).toBe(201);
    const read = await app.inject({ url: `/api/v1/executions/${id}`, headers: project.auth });
    expect(read.json().inputs).toEqual(JSON.parse(nested(64)));

    for (const levels of [65, 100_000]) {
      const refused = await send(
        project,
        'POST',
        '/api/v1/executions',
        withRawField(minimal(), 'inputs', nested(levels)),
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.issues).toEqual([
        { path: 'inputs', message: 'nests deeper than 64 levels of arrays and objects' },
      ]);
    }
    const deepArray = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const output = await send(project, 'POST', '/api/v1/executions', withRawField(minimal(), 'output', deepArray));
    expect(output.statusCode).toBe(400);
    expect(output.json().error.issues[0].path).toBe('output');
  });

  it('rejects only the deep item of a batch, and a completion nested too deep', async () => {
    const project = await createTestProject(handle);
    const [good, deep] = [uuidv7(), uuidv7()];
    const batch = `{"executions":[${JSON.stringify(minimal({ id: good }))},${withRawField(minimal({ id: deep }), 'metadata', nested(100_000))}]}`;
    const answer = await send(project, 'POST', '/api/v1/executions/batch', batch);
    expect(answer.statusCode).toBe(200);
    const [first, second] = answer.json().results;
    expect(first).toEqual({ id: good, status: 'created' });
    expect(second).toMatchObject({ id: deep, status: 'rejected', error: { code: 'validation_failed' } });
    expect(second.error.issues).toEqual([
      { path: 'executions.1.metadata', message: 'nests deeper than 64 levels of arrays and objects' },
    ]);

    const pending = uuidv7();
    await send(project, 'POST', '/api/v1/executions', minimal({ id: pending, status: 'pending' }));
    const completion = await send(
      project,
      'PATCH',
      `/api/v1/executions/${pending}`,
      withRawField({ status: 'success' }, 'toolCalls', `[{"round":0,"name":"t","arguments":${nested(5_000)}}]`),
    );
    expect(completion.statusCode).toBe(400);
    expect(completion.json().error.issues).toEqual([
      { path: 'toolCalls', message: 'nests deeper than 64 levels of arrays and objects' },
    ]);
  });
});

describe('values the database cannot hold', () => {
  it('refuses counts past a PostgreSQL integer, naming the field', async () => {
    const project = await createTestProject(handle);
    for (const [fields, path] of [
      [{ trace: { traceId: 't', stepIndex: 2 ** 31 } }, 'trace.stepIndex'],
      [{ latencyMs: 2 ** 31 }, 'latencyMs'],
      [{ usage: { inputTokens: 2 ** 53 } }, 'usage.inputTokens'],
      [{ promptVersion: 2 ** 40 }, 'promptVersion'],
    ] as const) {
      const answer = await send(project, 'POST', '/api/v1/executions', minimal(fields));
      expect(answer.statusCode, path).toBe(400);
      expect(new Set(answer.json().error.issues.map((i: { path: string }) => i.path))).toEqual(new Set([path]));
    }
  });

  it('refuses dates before the year 1, and a start computed to fall before it', async () => {
    const project = await createTestProject(handle);
    const year0 = await send(project, 'POST', '/api/v1/executions', minimal({ startedAt: '0000-06-01T00:00:00Z' }));
    expect(year0.statusCode).toBe(400);
    expect(year0.json().error.issues).toEqual([{ path: 'startedAt', message: 'must be in the year 1 or later (UTC)' }]);
    const shifted = await send(
      project,
      'POST',
      '/api/v1/executions',
      minimal({ startedAt: '0001-01-01T00:30:00+01:00' }),
    );
    expect(shifted.json().error.issues[0].path).toBe('startedAt');

    const derived = await send(
      project,
      'POST',
      '/api/v1/executions',
      minimal({ endedAt: '0001-01-01T00:00:00Z', latencyMs: 1000 }),
    );
    expect(derived.statusCode).toBe(400);
    expect(derived.json().error.issues).toEqual([
      { path: 'latencyMs', message: 'puts the start (endedAt − latencyMs) before the year 1' },
    ]);
  });

  it('refuses an endedAt before receipt when startedAt is absent, instead of storing a negative latency', async () => {
    const project = await createTestProject(handle);
    const endedAt = new Date(Date.now() - 3_600_000).toISOString();
    const answer = await send(project, 'POST', '/api/v1/executions', minimal({ endedAt }));
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.issues).toEqual([
      {
        path: 'endedAt',
        message: 'is before the time the execution was received, which is its start when startedAt is absent',
      },
    ]);
    const withStart = await send(project, 'POST', '/api/v1/executions', minimal({ endedAt, latencyMs: 1200 }));
    expect(withStart.statusCode).toBe(201);
  });

  it('refuses executions longer than a PostgreSQL integer of milliseconds, and a cost too long to be a price', async () => {
    const project = await createTestProject(handle);
    const long = await send(
      project,
      'POST',
      '/api/v1/executions',
      minimal({ startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-03-01T00:00:00Z' }),
    );
    expect(long.statusCode).toBe(400);
    expect(long.json().error.issues[0].path).toBe('endedAt');

    const cost = await send(project, 'POST', '/api/v1/executions', minimal({ costUsd: '9'.repeat(140_000) }));
    expect(cost.statusCode).toBe(400);
    expect(cost.json().error.issues).toEqual([{ path: 'costUsd', message: 'must have at most 40 characters' }]);
  });
});

describe('many bad items', () => {
  it('answers a million bad tool calls with one issue, not a million', async () => {
    const project = await createTestProject(handle);
    const toolCalls = `[${new Array(1_000_000).fill('1').join(',')}]`;
    const answer = await send(project, 'POST', '/api/v1/executions', withRawField(minimal(), 'toolCalls', toolCalls));
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error.issues).toEqual([
      { path: 'toolCalls', message: 'Too big: expected array to have <=1000 items' },
    ]);
  });

  it('stops checking a batch once its items have had 10,000 issues, and says which items were not checked', async () => {
    const project = await createTestProject(handle);
    const bad = withRawField(minimal(), 'toolCalls', `[${new Array(1_000).fill('1').join(',')}]`);
    const good = minimal({ id: uuidv7() });
    const batch = `{"executions":[${new Array(12).fill(bad).join(',')},${JSON.stringify(good)}]}`;
    const answer = await send(project, 'POST', '/api/v1/executions/batch', batch);
    expect(answer.statusCode).toBe(200);
    const results: { status: string; error?: { message: string; issues: unknown[] } }[] = answer.json().results;
    expect(results.slice(0, 10).every((r) => r.status === 'rejected' && r.error?.issues.length === 1_000)).toBe(true);
    for (const unchecked of results.slice(10)) {
      expect(unchecked).toMatchObject({
        status: 'rejected',
        error: { message: 'Not checked: the items before it had 10000 validation issues' },
      });
    }
  });
});
