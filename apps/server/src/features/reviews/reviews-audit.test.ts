import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { createTestProject, injectAs, logIn, useTestApp } from '../../test/harness';
import { auditActions, SERVER_ERROR, withFailingAudit } from '../audit/failing-audit';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

/** A project with one execution, its admin logged in, a label "Wrong" and a thumbs-down review carrying it. */
async function projectWithReview() {
  const project = await createTestProject(handle);
  const executionId = uuidv7();
  const logged = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: project.auth,
    payload: { id: executionId, promptId: 'alpha', status: 'success', source: { type: 'api' }, model: 'gpt-4o' },
  });
  expect(logged.statusCode).toBe(201);
  const admin = await logIn(app, project.email, project.password);
  const q = `projectId=${project.projectId}`;
  const label = await injectAs(app, admin, {
    method: 'POST',
    url: `/api/v1/review-labels?${q}`,
    payload: { name: 'Wrong', color: 'red' },
  });
  expect(label.statusCode).toBe(201);
  const labelId = label.json().id as string;
  const reviewed = await injectAs(app, admin, {
    method: 'PUT',
    url: `/api/v1/executions/${executionId}/review`,
    payload: { rating: 'down', note: 'Off topic', labels: [labelId] },
  });
  expect(reviewed.statusCode).toBe(200);
  return { projectId: project.projectId, admin, q, executionId, labelId };
}

async function stored(projectId: string) {
  const reviews = await handle.query<{ rating: string | null; note: string }>(
    'select rating, note from execution_reviews where project_id = $1',
    [projectId],
  );
  const labels = await handle.query<{ name: string; color: string }>(
    'select name, color from review_labels where project_id = $1 order by name',
    [projectId],
  );
  const links = await handle.query<{ label_id: string }>(
    'select label_id from execution_review_labels where project_id = $1',
    [projectId],
  );
  return { reviews, labels, links: links.length };
}

const SETUP = ['review.saved', 'review_label.created'];
const AS_SET_UP = {
  reviews: [{ rating: 'down', note: 'Off topic' }],
  labels: [{ name: 'Wrong', color: 'red' }],
  links: 1,
};

describe('a review change whose audit event cannot be written is rolled back', () => {
  it('saveReview: the rating, note and labels stay as they were, and so does clearing', async () => {
    const { projectId, admin, executionId } = await projectWithReview();
    for (const payload of [
      { rating: 'up', note: 'Fine', labels: [] },
      { rating: null, note: '', labels: [] },
    ]) {
      const failed = await withFailingAudit(handle, projectId, () =>
        injectAs(app, admin, { method: 'PUT', url: `/api/v1/executions/${executionId}/review`, payload }),
      );
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toEqual(SERVER_ERROR);
    }
    expect(await stored(projectId)).toEqual(AS_SET_UP);
    expect(await auditActions(handle, projectId)).toEqual(SETUP);
  });

  it('createLabel: no label is created', async () => {
    const { projectId, admin, q } = await projectWithReview();
    const create = () =>
      injectAs(app, admin, {
        method: 'POST',
        url: `/api/v1/review-labels?${q}`,
        payload: { name: 'Tone', color: 'cyan' },
      });
    const failed = await withFailingAudit(handle, projectId, create);
    expect(failed.statusCode).toBe(500);
    expect(await stored(projectId)).toEqual(AS_SET_UP);
    expect((await create()).statusCode).toBe(201);
    expect((await stored(projectId)).labels).toEqual([
      { name: 'Tone', color: 'cyan' },
      { name: 'Wrong', color: 'red' },
    ]);
  });

  it('updateLabel: the name and colour stay as they were', async () => {
    const { projectId, admin, q, labelId } = await projectWithReview();
    const failed = await withFailingAudit(handle, projectId, () =>
      injectAs(app, admin, {
        method: 'PATCH',
        url: `/api/v1/review-labels/${labelId}?${q}`,
        payload: { name: 'Wrong answer', color: 'purple' },
      }),
    );
    expect(failed.statusCode).toBe(500);
    expect(await stored(projectId)).toEqual(AS_SET_UP);
    expect(await auditActions(handle, projectId)).toEqual(SETUP);
  });

  it('deleteLabel: the label and the reviews carrying it are still there', async () => {
    const { projectId, admin, q, labelId } = await projectWithReview();
    const remove = () => injectAs(app, admin, { method: 'DELETE', url: `/api/v1/review-labels/${labelId}?${q}` });
    const failed = await withFailingAudit(handle, projectId, remove);
    expect(failed.statusCode).toBe(500);
    expect(await stored(projectId)).toEqual(AS_SET_UP);
    expect((await remove()).statusCode).toBe(204);
    expect(await stored(projectId)).toEqual({ ...AS_SET_UP, labels: [], links: 0 });
  });
});
