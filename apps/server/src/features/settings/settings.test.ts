import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, logIn, type TestProject, type TestSession, useTestApp } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

// Secrets are assembled at run time so no key-shaped text sits in the source for scanners to flag.
const ANTHROPIC_KEY = ['sk', 'ant', 'api03', 'Xq7vR2mK9pL4wN8sT1yB6cF3hJ5dG0aE2uI9oP7lZ4xC'].join('-');
const OPENAI_KEY = `sk-proj-${'4fG7hJ2kL9mN3pQ6rS8tV1wX5yZ0aB'}`;
const CARD = ['4111', '1111', '1111', '1111'].join(' ');

let project: TestProject;
let admin: TestSession;

beforeAll(async () => {
  project = await createTestProject(handle);
  admin = await logIn(app, project.email, project.password);
});

function asAdmin(options: InjectOptions) {
  return app.inject({ ...options, cookies: admin.cookies, headers: { ...admin.headers, ...options.headers } });
}

async function ingest(target: TestProject, record: Record<string, unknown>) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: target.auth,
    payload: { promptId: 'governed', status: 'success', source: { type: 'api' }, model: 'gpt-4o', ...record },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function detail(target: TestProject, id: string) {
  const response = await app.inject({ url: `/api/v1/executions/${id}`, headers: target.auth });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('redaction at ingestion', () => {
  it('replaces secrets in every payload field, nested JSON and tool-call arguments, before anything is stored', async () => {
    const id = await ingest(project, {
      inputs: { customer: 'Ada', config: { nested: [{ apiKey: ANTHROPIC_KEY }] } },
      request: {
        systemPrompt: `Use key ${OPENAI_KEY} for lookups.`,
        messages: [
          { role: 'user', content: [{ type: 'text', text: `My card is ${CARD}, thanks` }] },
          { role: 'user', content: 'Fetch postgres://reporter:hunter2-secret@db.internal:5432/sales' },
        ],
      },
      output: { reply: `Called with Authorization: Bearer ${'eyJhbGciOiJIUzI1NiJ9.payload-part.signature1'}` },
      error: { message: `upstream said: invalid key ${OPENAI_KEY}` },
      toolCalls: [
        { round: 1, name: 'charge', arguments: { card: CARD, amount: 12 } },
        { round: 1, name: 'http', arguments: JSON.stringify({ headers: { 'x-api-key': ANTHROPIC_KEY } }) },
      ],
      metadata: { caller: OPENAI_KEY, team: 'billing' },
    });

    const stored = await handle.query<{ text: string }>(
      `select e.metadata::text || p.inputs::text || p.request::text || p.output::text || p.error::text
         || p.tool_calls::text as text
       from executions e join execution_payloads p on p.project_id = e.project_id and p.execution_id = e.id
       where e.project_id = $1 and e.id = $2`,
      [project.projectId, id],
    );
    const text = stored[0]?.text ?? '';
    for (const secret of [ANTHROPIC_KEY, OPENAI_KEY, CARD, 'hunter2-secret', 'eyJhbGciOiJIUzI1NiJ9']) {
      expect(text).not.toContain(secret);
    }

    const record = await detail(project, id);
    expect(record.inputs).toEqual({ customer: 'Ada', config: { nested: [{ apiKey: '[REDACTED:api_key]' }] } });
    expect(record.request.systemPrompt).toBe('Use key [REDACTED:api_key] for lookups.');
    expect(record.request.messages[0].content[0].text).toBe('My card is [REDACTED:card_number], thanks');
    expect(record.request.messages[1].content).toBe(
      'Fetch postgres://reporter:[REDACTED:url_password]@db.internal:5432/sales',
    );
    expect(record.output.reply).toBe('Called with Authorization: Bearer [REDACTED:bearer_token]');
    expect(record.error.message).toBe('upstream said: invalid key [REDACTED:api_key]');
    expect(record.toolCalls[0].arguments).toEqual({ card: '[REDACTED:card_number]', amount: 12 });
    expect(record.toolCalls[1].arguments).toBe('{"headers":{"x-api-key":"[REDACTED:api_key]"}}');
    expect(record.metadata).toEqual({ caller: '[REDACTED:api_key]', team: 'billing' });
    expect(record.redactions).toEqual({ api_key: 5, card_number: 2, url_password: 1, bearer_token: 1 });
    expect(record.payload).toBe('stored');
  });

  it('applies custom rules, can turn a built-in off, and redacts completions of pending executions', async () => {
    const target = await createTestProject(handle);
    const session = await logIn(app, target.email, target.password);
    const saved = await app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      cookies: session.cookies,
      headers: session.headers,
      payload: {
        redaction: {
          builtins: ['api_key'],
          custom: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}', caseInsensitive: true }],
        },
      },
    });
    expect(saved.statusCode).toBe(200);

    const id = await ingest(target, { status: 'pending', inputs: { who: 'emp-123456', card: CARD } });
    const completed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${id}`,
      headers: target.auth,
      payload: { status: 'success', output: `Done for EMP-654321 with ${OPENAI_KEY}` },
    });
    expect(completed.statusCode).toBe(200);
    const record = await detail(target, id);
    expect(record.inputs).toEqual({ who: '[REDACTED:employee_id]', card: CARD });
    expect(record.output).toBe('Done for [REDACTED:employee_id] with [REDACTED:api_key]');
    expect(record.redactions).toEqual({ employee_id: 2, api_key: 1 });
  });

  it('refuses a custom rule that is not linear-time RE2 or matches empty text, naming the field', async () => {
    const response = await asAdmin({
      method: 'PATCH',
      url: '/api/v1/settings',
      payload: {
        redaction: {
          builtins: [],
          custom: [
            { name: 'ok', pattern: 'ticket-[0-9]+' },
            { name: 'backref', pattern: '(a)\\1' },
            { name: 'empty', pattern: 'x*' },
          ],
        },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues).toEqual([
      { path: 'redaction.custom.1.pattern', message: expect.stringMatching(/backreference/) },
      { path: 'redaction.custom.2.pattern', message: expect.stringMatching(/empty string/) },
    ]);
    const unchanged = await asAdmin({ url: '/api/v1/settings' });
    expect(unchanged.json().redaction.custom).toEqual([]);
  });

  it('previews rules on a sample without saving them', async () => {
    const response = await asAdmin({
      method: 'POST',
      url: '/api/v1/settings/redaction-preview',
      payload: {
        redaction: { builtins: ['card_number'], custom: [{ name: 'order', pattern: 'ORD-\\d+' }] },
        text: `Order ORD-991 paid with ${CARD}`,
      },
    });
    expect(response.json()).toEqual({
      text: 'Order [REDACTED:order] paid with [REDACTED:card_number]',
      counts: { order: 1, card_number: 1 },
    });
  });
});

describe('payload policy', () => {
  async function projectWithPolicy(payloadPolicy: string, payloadSampleRate = 0) {
    const target = await createTestProject(handle);
    const session = await logIn(app, target.email, target.password);
    const saved = await app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      cookies: session.cookies,
      headers: session.headers,
      payload: { payloadPolicy, payloadSampleRate },
    });
    expect(saved.statusCode).toBe(200);
    return target;
  }

  it('keeps only metadata, and analytics stay complete', async () => {
    const target = await projectWithPolicy('metadata_only');
    const id = await ingest(target, {
      inputs: { question: 'private' },
      output: 'private answer',
      usage: { inputTokens: 100, outputTokens: 20 },
      latencyMs: 900,
      promptVersion: 2,
    });
    const record = await detail(target, id);
    expect(record.payload).toBe('omitted_by_policy');
    expect(record).not.toHaveProperty('inputs');
    expect(record).not.toHaveProperty('output');
    expect(record).toMatchObject({ model: 'gpt-4o', promptVersion: 2, latencyMs: 900, status: 'success' });
    expect(record.usage).toMatchObject({ inputTokens: 100, outputTokens: 20 });
    expect(record.costUsd).not.toBeNull();
    const payloads = await handle.query('select 1 from execution_payloads where project_id = $1', [target.projectId]);
    expect(payloads).toEqual([]);

    await foldRollupDeltas(handle);
    const summary = await app.inject({ url: '/api/v1/analytics/summary', headers: target.auth });
    expect(summary.json()).toMatchObject({ calls: 1, inputTokens: 100, outputTokens: 20 });
  });

  it('keeps payloads of errors and of the sampled share of the rest, deciding a pending execution at completion', async () => {
    const none = await projectWithPolicy('errors_and_sampled', 0);
    const failed = await ingest(none, { status: 'error', error: { message: 'boom' }, inputs: { q: 'kept' } });
    const succeeded = await ingest(none, { inputs: { q: 'dropped' } });
    expect((await detail(none, failed)).payload).toBe('stored');
    expect((await detail(none, failed)).inputs).toEqual({ q: 'kept' });
    expect((await detail(none, succeeded)).payload).toBe('omitted_by_policy');

    const pending = await ingest(none, { status: 'pending', inputs: { q: 'until we know' } });
    expect((await detail(none, pending)).payload).toBe('stored');
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${pending}`,
      headers: none.auth,
      payload: { status: 'success', output: 'fine' },
    });
    const after = await detail(none, pending);
    expect(after.payload).toBe('omitted_by_policy');
    expect(after).not.toHaveProperty('inputs');

    const all = await projectWithPolicy('errors_and_sampled', 1);
    expect((await detail(all, await ingest(all, { inputs: { q: 'sampled' } }))).payload).toBe('stored');

    // Half the ids are sampled, decided by the id itself, so a retry decides the same way.
    const half = await projectWithPolicy('errors_and_sampled', 0.5);
    const ids = Array.from({ length: 40 }, () => uuidv7());
    for (const id of ids) await ingest(half, { id, inputs: { q: 'maybe' } });
    const kept = await handle.query<{ n: number }>(
      'select count(*)::int as n from execution_payloads where project_id = $1',
      [half.projectId],
    );
    expect(kept[0]?.n).toBeGreaterThan(5);
    expect(kept[0]?.n).toBeLessThan(35);
  });

  it('records each kind of settings change in the audit log with before and after', async () => {
    const target = await createTestProject(handle);
    const session = await logIn(app, target.email, target.password);
    const patch = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'PATCH',
        url: '/api/v1/settings',
        cookies: session.cookies,
        headers: session.headers,
        payload,
      });
    await patch({ retentionDays: 30, rollupRetentionDays: 400 });
    await patch({ payloadPolicy: 'metadata_only' });
    await patch({ redaction: { builtins: ['api_key'], custom: [] } });
    await patch({ retentionDays: 30 });

    const audit = await app.inject({ url: '/api/v1/audit', cookies: session.cookies });
    expect(audit.json().items.map((e: { action: string; details: unknown }) => [e.action, e.details])).toEqual([
      [
        'settings.redaction_changed',
        {
          from: { redaction: { builtins: ['api_key', 'bearer_token', 'url_password', 'card_number'], custom: [] } },
          to: { redaction: { builtins: ['api_key'], custom: [] } },
        },
      ],
      ['settings.payload_policy_changed', { from: { payloadPolicy: 'all' }, to: { payloadPolicy: 'metadata_only' } }],
      [
        'settings.retention_changed',
        {
          from: { retentionDays: null, rollupRetentionDays: null },
          to: { retentionDays: 30, rollupRetentionDays: 400 },
        },
      ],
    ]);
    const me = await app.inject({ url: '/api/auth/me', cookies: session.cookies });
    expect(me.json().projects[0].retentionDays).toBe(30);
  });
});

describe('export', () => {
  it('streams every matching execution with payloads as NDJSON and records the export', async () => {
    const target = await createTestProject(handle);
    const ids = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(await ingest(target, { startedAt: `2026-11-0${i + 1}T10:00:00Z`, inputs: { n: i } }));
    }
    await ingest(target, { promptId: 'elsewhere' });
    const response = await app.inject({
      url: '/api/v1/executions/export?promptId=governed',
      headers: target.auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="promptlog-executions-/);
    const lines = response.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((r) => r.id)).toEqual([...ids].reverse());
    expect(lines.map((r) => r.inputs)).toEqual([{ n: 2 }, { n: 1 }, { n: 0 }]);

    const session = await logIn(app, target.email, target.password);
    const audit = await app.inject({ url: '/api/v1/audit?action=export.made', cookies: session.cookies });
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'api_key', label: 'test' }),
        target: 'governed',
        details: { filters: expect.objectContaining({ promptId: ['governed'] }) },
      }),
    ]);
  });
});
