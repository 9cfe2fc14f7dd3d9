import type { VersionSamples } from '@promptlog/contracts';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  addTestMember,
  createTestProject,
  logBatch,
  logIn,
  saveSettings,
  type TestProject,
  useTestApp,
} from '../../test/harness';
import { createApiKey } from '../api-keys/service';
import { inputsHash } from './inputs-hash';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const OPENAI_KEY = `sk-proj-${'4fG7hJ2kL9mN3pQ6rS8tV1wX5yZ0aB'}`;
const at = (day: number, minute = 0) => new Date(Date.UTC(2026, 10, day, 9, minute)).toISOString();
/** The same instant as the API writes times, to the microsecond. */
const seen = (day: number, minute = 0) => at(day, minute).replace('Z', '000Z');

function execution(version: number, startedAt: string, rest: Record<string, unknown> = {}) {
  return {
    id: uuidv7(Date.parse(startedAt)),
    promptId: 'support',
    promptVersion: version,
    status: 'success',
    source: { type: 'api' },
    model: 'gpt-4o',
    startedAt,
    latencyMs: 400,
    output: `v${version} answer`,
    ...rest,
  };
}

async function samples(project: TestProject, query = 'a=1&b=2'): Promise<VersionSamples> {
  const response = await app.inject({ url: `/api/v1/prompts/support/compare/samples?${query}`, headers: project.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('inputs_hash at ingestion', () => {
  it('stores the hash of the canonical inputs on the hot row, and null without inputs', async () => {
    const project = await createTestProject(handle);
    const inputs = { question: 'Where is my order?', customer: { id: 7, tier: 'gold' } };
    await logBatch(app, project, [
      execution(1, at(1), { inputs }),
      execution(1, at(2)),
      execution(1, at(3), { inputs: {} }),
    ]);
    const rows = await handle.query<{ inputs_hash: string | null }>(
      'select inputs_hash from executions where project_id = $1 order by started_at',
      [project.projectId],
    );
    expect(rows.map((row) => row.inputs_hash)).toEqual([inputsHash(inputs), null, null]);
  });
});

describe('GET /api/v1/prompts/:promptId/compare/samples', () => {
  it('pairs the latest call of each version per inputs, whatever their key order, with outputs and signals', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [
      execution(1, at(1), { inputs: { order: 'A-1', lang: 'en' }, output: 'old answer, overtaken' }),
      execution(1, at(2), { inputs: { order: 'A-1', lang: 'en' }, output: 'Your order A-1 ships today.' }),
      execution(2, at(3), {
        inputs: { lang: 'en', order: 'A-1' },
        output: 'I cannot help with that.',
        latencyMs: 900,
        costUsd: '0.0125',
      }),
      // Different inputs on each side: no pair.
      execution(1, at(4), { inputs: { order: 'B-2', lang: 'en' } }),
      execution(2, at(4), { inputs: { order: 'B-2', lang: 'fr' } }),
      // An error on one side, a JSON answer on the other.
      execution(1, at(5), { inputs: { order: 'C-3' }, output: { route: 'billing' } }),
      execution(2, at(5, 30), {
        inputs: { order: 'C-3' },
        status: 'error',
        output: undefined,
        error: { type: 'provider', message: 'Bad gateway' },
      }),
      // No inputs, and a pending call: neither is read.
      execution(1, at(6)),
      execution(2, at(6)),
      execution(2, at(7), { inputs: { order: 'A-1', lang: 'en' }, status: 'pending', output: undefined }),
    ]);

    const result = await samples(project);
    expect(result.scanned).toEqual({ a: 4, b: 3 });
    expect(result.scanLimit).toBe(2000);
    expect(result.pairs.map((pair) => pair.inputsHash)).toEqual([
      inputsHash({ order: 'C-3' }),
      inputsHash({ order: 'A-1', lang: 'en' }),
    ]);
    const [failed, refused] = result.pairs;
    // The inputs as A's call sent them (B's keys came in another order).
    expect(refused?.inputs).toEqual({ text: '{"order":"A-1","lang":"en"}', truncated: false });
    expect(refused?.a).toMatchObject({
      startedAt: seen(2),
      status: 'success',
      payload: 'stored',
      output: { text: 'Your order A-1 ships today.', truncated: false },
      signals: [],
      errorMessage: null,
    });
    expect(refused?.b).toEqual({
      id: expect.any(String),
      startedAt: seen(3),
      status: 'success',
      model: 'gpt-4o',
      latencyMs: 900,
      costUsd: '0.0125',
      signals: ['refusal'],
      errorType: null,
      payload: 'stored',
      output: { text: 'I cannot help with that.', truncated: false },
      errorMessage: null,
    });
    expect(failed?.a.output).toEqual({ text: '{"route":"billing"}', truncated: false });
    expect(failed?.b).toMatchObject({
      status: 'error',
      errorType: 'provider',
      output: null,
      errorMessage: 'Bad gateway',
    });

    // The other way round, the sides swap.
    const swapped = await samples(project, 'a=2&b=1');
    expect(swapped.pairs[1]?.a.output?.text).toBe('I cannot help with that.');
    expect(swapped.scanned).toEqual({ a: 3, b: 4 });
  });

  it('answers at most 20 pairs, newest first, and cuts long outputs', async () => {
    const project = await createTestProject(handle);
    const long = 'x'.repeat(2500);
    await logBatch(
      app,
      project,
      Array.from({ length: 25 }, (_, i) => [
        execution(1, at(1, i), { inputs: { n: i }, output: long }),
        execution(2, at(2, i), { inputs: { n: i } }),
      ]).flat(),
    );
    const result = await samples(project);
    expect(result.pairs).toHaveLength(20);
    expect(result.pairs.map((pair) => pair.b.startedAt)).toEqual(Array.from({ length: 20 }, (_, i) => seen(2, 24 - i)));
    expect(result.pairs[0]?.a.output).toEqual({ text: 'x'.repeat(2000), truncated: true });
    expect(result.scanned).toEqual({ a: 25, b: 25 });

    const window = await samples(project, `a=1&b=2&from=${at(1, 0)}&to=${at(1, 10)}`);
    expect(window.pairs).toEqual([]);
    expect(window.scanned).toEqual({ a: 10, b: 0 });
  });

  it('hashes inputs after redaction: two that differ only in a redacted secret match, and the secret is never shown', async () => {
    const project = await createTestProject(handle);
    await saveSettings(app, project, { redaction: { builtins: ['api_key'], custom: [] } });
    await logBatch(app, project, [
      execution(1, at(1), { inputs: { question: 'Why?', key: OPENAI_KEY } }),
      execution(2, at(2), { inputs: { key: `sk-proj-${'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq'}`, question: 'Why?' } }),
    ]);
    const result = await samples(project);
    expect(result.pairs).toHaveLength(1);
    expect(result.pairs[0]?.inputsHash).toBe(inputsHash({ question: 'Why?', key: '[REDACTED:api_key]' }));
    expect(JSON.stringify(result)).not.toContain(OPENAI_KEY);
    expect(result.pairs[0]?.inputs?.text).toContain('[REDACTED:api_key]');
  });

  it('pairs calls whose payload the policy did not keep, hashed alike, and says their output was not kept', async () => {
    const project = await createTestProject(handle);
    await saveSettings(app, project, { redaction: { builtins: ['api_key'], custom: [] } });
    await logBatch(app, project, [execution(1, at(1), { inputs: { q: 'Hi', key: OPENAI_KEY } })]);
    await saveSettings(app, project, { payloadPolicy: 'metadata_only' });
    await logBatch(app, project, [
      execution(2, at(2), { inputs: { key: OPENAI_KEY, q: 'Hi' } }),
      execution(1, at(3), { inputs: { q: 'Bye' } }),
      execution(2, at(4), { inputs: { q: 'Bye' } }),
    ]);

    const [neither, one] = (await samples(project)).pairs;
    expect(neither?.inputs).toBeNull();
    expect(neither?.a).toMatchObject({ payload: 'omitted_by_policy', output: null, latencyMs: 400 });
    expect(neither?.b).toMatchObject({ payload: 'omitted_by_policy', output: null });
    expect(one?.inputs?.text).toBe('{"q":"Hi","key":"[REDACTED:api_key]"}');
    expect(one?.a).toMatchObject({ payload: 'stored', output: { text: 'v1 answer', truncated: false } });
    expect(one?.b).toMatchObject({ payload: 'omitted_by_policy', output: null });
  });

  it('answers whoever may read the prompt’s logs, and refuses the others as the logs do', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [execution(1, at(1)), execution(1, at(1), { promptId: 'other' })]);
    const as = async (member: { email: string; password: string }, promptId = 'support') => {
      const session = await logIn(app, member.email, member.password);
      return app.inject({
        url: `/api/v1/prompts/${promptId}/compare/samples?projectId=${project.projectId}&a=1&b=2`,
        cookies: session.cookies,
      });
    };

    const granted = await addTestMember(handle, project.projectId, 'viewer', ['support']);
    expect((await as(granted)).statusCode).toBe(200);
    expect((await as(granted, 'other')).statusCode).toBe(403);
    const ungranted = await as(await addTestMember(handle, project.projectId, 'viewer'));
    expect(ungranted.statusCode).toBe(403);
    expect(ungranted.json().error.message).toMatch(/Viewers see analytics, not logs/);
    expect((await as(await addTestMember(handle, project.projectId, 'editor'))).statusCode).toBe(200);
    expect((await as(await createTestProject(handle))).statusCode).toBe(404);
    const { key: ingestOnly } = await createApiKey(handle.db, project.projectId, {
      label: 'ingest',
      scopes: ['ingest'],
    });
    const refused = await app.inject({
      url: '/api/v1/prompts/support/compare/samples?a=1&b=2',
      headers: { authorization: `Bearer ${ingestOnly}` },
    });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/prompts/support/compare/samples?a=1&b=2' })).statusCode).toBe(401);
  });

  it('answers bad input with a 400 naming the field, and a prompt never seen with a 404', async () => {
    const project = await createTestProject(handle);
    await logBatch(app, project, [execution(1, at(1))]);
    const get = (query: string, promptId = 'support') =>
      app.inject({ url: `/api/v1/prompts/${promptId}/compare/samples?${query}`, headers: project.auth });
    const paths = async (query: string) => {
      const response = await get(query);
      expect(response.statusCode, response.body).toBe(400);
      return response.json().error.issues.map((issue: { path: string }) => issue.path);
    };

    expect(await paths('b=2')).toEqual(['a']);
    expect(await paths('a=1')).toEqual(['b']);
    expect(await paths('a=1&b=1')).toEqual(['b']);
    expect(await paths('a=zero&b=2')).toEqual(['a']);
    expect(await paths(`a=1&b=2&from=${at(2)}&to=${at(1)}`)).toEqual(['from']);
    const unknown = await get('a=1&b=2', 'never-logged');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    expect(await samples(project)).toEqual({ pairs: [], scanned: { a: 0, b: 0 }, scanLimit: 2000 });
  });
});
