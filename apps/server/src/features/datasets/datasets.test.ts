import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { addTestMember, createTestProject, injectAs, logIn, useTestApp } from '../../test/harness';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 11, minute)).toISOString();

/** Three executions of "triage" (a refusal reviewed thumbs down with a label, an answer, an error) and one of "other". */
async function projectWithReviews() {
  const project = await createTestProject(handle);
  const ids = [0, 1, 2].map((minute) => uuidv7(Date.parse(at(minute))));
  const common = { promptId: 'triage', promptVersion: 2, source: { type: 'api' }, model: 'gpt-4o' };
  const batch = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: [
        {
          ...common,
          id: ids[0],
          startedAt: at(0),
          status: 'success',
          inputs: { ticket: 'Cancel my order' },
          request: { systemPrompt: 'Be helpful.', messages: [{ role: 'user', content: 'Cancel my order' }] },
          output: "I'm sorry, but I can't help with that request.",
        },
        { ...common, id: ids[1], startedAt: at(1), status: 'success', inputs: { ticket: 'Hi' }, output: 'Hello!' },
        {
          ...common,
          id: ids[2],
          startedAt: at(2),
          status: 'error',
          inputs: { ticket: 'Refund' },
          error: { type: 'timeout', message: 'Timed out' },
        },
        {
          id: uuidv7(),
          promptId: 'other',
          status: 'success',
          source: { type: 'api' },
          model: 'gpt-4o',
          startedAt: at(3),
          output: 'Fine.',
        },
      ],
    },
  });
  expect(batch.statusCode, batch.body).toBe(200);
  const admin = await logIn(app, project.email, project.password);
  const q = `projectId=${project.projectId}`;
  const label = await injectAs(app, admin, {
    method: 'POST',
    url: `/api/v1/review-labels?${q}`,
    payload: { name: 'Bad refusal', color: 'red' },
  });
  const reviewed = await injectAs(app, admin, {
    method: 'PUT',
    url: `/api/v1/executions/${ids[0]}/review`,
    payload: { rating: 'down', note: 'Cancelling is allowed', labels: [label.json().id] },
  });
  expect(reviewed.statusCode).toBe(200);
  return { project, admin, q, ids };
}

const lines = (body: string) =>
  body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('dataset export', () => {
  it('streams the filtered executions as JSON Lines with their inputs, messages, output and review', async () => {
    const { project, admin, q, ids } = await projectWithReviews();
    const response = await injectAs(app, admin, { url: `/api/v1/executions/dataset/jsonl?${q}&promptId=triage` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/jsonl; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="promptlog-dataset-.*\.jsonl"/);
    const rows = lines(response.body);
    expect(rows.map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(rows[2]).toEqual({
      id: ids[0],
      promptId: 'triage',
      promptVersion: 2,
      model: 'gpt-4o',
      status: 'success',
      startedAt: expect.stringMatching(/^2026-11-22T11:00:00/),
      inputs: { ticket: 'Cancel my order' },
      systemPrompt: 'Be helpful.',
      messages: [{ role: 'user', content: 'Cancel my order' }],
      output: "I'm sorry, but I can't help with that request.",
      error: null,
      rating: 'down',
      note: 'Cancelling is allowed',
      labels: ['Bad refusal'],
      signals: ['refusal'],
      reviewedBy: project.email,
      reviewedAt: expect.any(String),
    });
    expect(rows[0]).toMatchObject({ status: 'error', error: 'Timed out', rating: null, note: '', labels: [] });
  });

  it('exports the review queue (flagged, not reviewed) as CSV, and records each export in the audit log', async () => {
    const { project, admin, q, ids } = await projectWithReviews();
    const response = await injectAs(app, admin, {
      url: `/api/v1/executions/dataset/csv?${q}&flagged=true&reviewed=false`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = response.body.split('\r\n').filter(Boolean);
    expect(header).toBe(
      '\ufeffid,promptId,promptVersion,model,status,startedAt,inputs,systemPrompt,messages,output,error,rating,note,labels,signals,reviewedBy,reviewedAt',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^${ids[2]},triage,2,gpt-4o,error,`));

    const audit = await handle.query<{ action: string; target: string; details: Record<string, unknown> }>(
      `select action, target, details from audit_events where project_id = $1 and action = 'dataset.exported'`,
      [project.projectId],
    );
    expect(audit).toEqual([
      {
        action: 'dataset.exported',
        target: 'all prompts',
        details: { format: 'csv', filters: expect.objectContaining({ flagged: true, reviewed: false }) },
      },
    ]);
  });

  it('covers only the prompts whose logs the caller reads, and refuses who may read none', async () => {
    const { project, q } = await projectWithReviews();
    const granted = await addTestMember(handle, project.projectId, 'viewer', ['other']);
    const viewer = await logIn(app, granted.email, granted.password);
    const response = await injectAs(app, viewer, { url: `/api/v1/executions/dataset/jsonl?${q}` });
    expect(response.statusCode).toBe(200);
    expect(lines(response.body).map((row) => row.promptId)).toEqual(['other']);
    expect(
      (await injectAs(app, viewer, { url: `/api/v1/executions/dataset/jsonl?${q}&promptId=triage` })).statusCode,
    ).toBe(403);
    expect((await injectAs(app, viewer, { url: `/api/v1/executions/dataset/xlsx?${q}` })).statusCode).toBe(400);
  });
});
