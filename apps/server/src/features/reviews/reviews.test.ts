import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import {
  addTestMember,
  createTestProject,
  injectAs,
  logIn,
  type TestProject,
  type TestSession,
  useTestApp,
} from '../../test/harness';
import { createApiKey } from '../api-keys/service';

let handle: DatabaseHandle;
let app: FastifyInstance;

useTestApp((opened) => {
  ({ handle, app } = opened);
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute)).toISOString();

/**
 * Six executions of "triage", one a minute (minute 0 the oldest): a clean answer, a refusal, an error, a clean one,
 * an empty answer and a clean one; and one of "other".
 */
const FIXTURE = [
  { status: 'success', output: 'Your order ships on Monday.' },
  { status: 'success', output: "I'm sorry, but I can't help with that request." },
  { status: 'error', error: { type: 'provider', message: 'Upstream error' } },
  { status: 'success', output: 'Two items are on their way.' },
  { status: 'success', output: '' },
  { status: 'success', output: 'Refund issued.' },
];

async function projectWithExecutions(): Promise<{
  project: TestProject;
  admin: TestSession;
  q: string;
  ids: string[];
  otherId: string;
}> {
  const project = await createTestProject(handle);
  const ids = FIXTURE.map((_, minute) => uuidv7(Date.parse(at(minute))));
  const otherId = uuidv7(Date.parse(at(30)));
  const batch = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: {
      executions: [
        ...FIXTURE.map((fields, minute) => ({
          id: ids[minute],
          promptId: 'triage',
          promptVersion: 1 + (minute % 2),
          source: { type: 'api' },
          model: 'gpt-4o',
          startedAt: at(minute),
          inputs: { ticket: `Ticket ${minute}` },
          ...fields,
        })),
        {
          id: otherId,
          promptId: 'other',
          status: 'success',
          source: { type: 'api' },
          model: 'gpt-4o',
          startedAt: at(30),
        },
      ],
    },
  });
  expect(batch.statusCode, batch.body).toBe(200);
  return {
    project,
    admin: await logIn(app, project.email, project.password),
    q: `projectId=${project.projectId}`,
    ids,
    otherId,
  };
}

const createLabel = (session: TestSession, q: string, name: string, color = 'red') =>
  injectAs(app, session, { method: 'POST', url: `/api/v1/review-labels?${q}`, payload: { name, color } });

const review = (session: TestSession, id: string, payload: Record<string, unknown>) =>
  injectAs(app, session, { method: 'PUT', url: `/api/v1/executions/${id}/review`, payload });

async function member(project: TestProject, role: 'viewer' | 'editor' | 'admin', granted: string[] = []) {
  const { email, password } = await addTestMember(handle, project.projectId, role, granted);
  return logIn(app, email, password);
}

async function auditOf(projectId: string) {
  return handle.query<{ action: string; target: string; details: Record<string, unknown> }>(
    `select action, target, details from audit_events
     where project_id = $1 and (action like 'review%') order by id`,
    [projectId],
  );
}

describe('review labels', () => {
  it('creates, lists by name, renames, recolours and deletes labels, each change audited', async () => {
    const { project, admin, q } = await projectWithExecutions();
    const wrong = await createLabel(admin, q, ' Wrong answer ', 'red');
    expect(wrong.statusCode, wrong.body).toBe(201);
    expect(wrong.json()).toEqual({ id: expect.any(String), name: 'Wrong answer', color: 'red' });
    expect((await createLabel(admin, q, 'blocked', 'gray')).statusCode).toBe(201);

    const listed = await injectAs(app, admin, { url: `/api/v1/review-labels?${q}` });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      items: [expect.objectContaining({ name: 'blocked' }), expect.objectContaining({ name: 'Wrong answer' })],
      canManage: true,
    });

    const duplicate = await createLabel(admin, q, 'WRONG ANSWER');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.issues).toEqual([{ path: 'name', message: expect.stringMatching(/ignore case/) }]);
    const badColor = await createLabel(admin, q, 'Fine', 'chartreuse');
    expect(badColor.statusCode).toBe(400);
    expect(badColor.json().error.issues[0].path).toBe('color');

    const id = wrong.json().id;
    const renamed = await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/review-labels/${id}?${q}`,
      payload: { name: 'Wrong', color: 'orange' },
    });
    expect(renamed.json()).toEqual({ id, name: 'Wrong', color: 'orange' });
    // The same again changes and records nothing.
    await injectAs(app, admin, {
      method: 'PATCH',
      url: `/api/v1/review-labels/${id}?${q}`,
      payload: { name: 'Wrong' },
    });
    const removed = await injectAs(app, admin, { method: 'DELETE', url: `/api/v1/review-labels/${id}?${q}` });
    expect(removed.statusCode).toBe(204);
    expect((await injectAs(app, admin, { method: 'DELETE', url: `/api/v1/review-labels/${id}?${q}` })).statusCode).toBe(
      404,
    );

    expect(await auditOf(project.projectId)).toEqual([
      { action: 'review_label.created', target: 'Wrong answer', details: { labelId: id, color: 'red' } },
      { action: 'review_label.created', target: 'blocked', details: expect.any(Object) },
      {
        action: 'review_label.updated',
        target: 'Wrong',
        details: { labelId: id, from: { name: 'Wrong answer', color: 'red' }, to: { name: 'Wrong', color: 'orange' } },
      },
      { action: 'review_label.deleted', target: 'Wrong', details: { labelId: id, color: 'orange', reviews: 0 } },
    ]);
  });
});

describe('reviewing an execution', () => {
  it('saves a rating, a note and labels with who and when, changes them, and clears them', async () => {
    const { project, admin, q, ids } = await projectWithExecutions();
    const id = ids[1] as string;
    const bad = (await createLabel(admin, q, 'Bad refusal', 'red')).json();
    const tone = (await createLabel(admin, q, 'Tone', 'cyan')).json();

    const before = await injectAs(app, admin, { url: `/api/v1/executions/${id}/review` });
    expect(before.json()).toEqual({ executionId: id, review: null, canReview: true });

    const saved = await review(admin, id, {
      rating: 'down',
      note: '  Should have answered.  ',
      labels: [tone.id, bad.id],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      executionId: id,
      canReview: true,
      review: {
        rating: 'down',
        note: 'Should have answered.',
        labels: [bad, tone],
        reviewedBy: project.email,
        reviewedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      },
    });
    expect((await injectAs(app, admin, { url: `/api/v1/executions/${id}/review` })).json()).toEqual(saved.json());

    // The same review again changes nothing, not even who and when.
    const again = await review(admin, id, { rating: 'down', note: 'Should have answered.', labels: [bad.id, tone.id] });
    expect(again.json()).toEqual(saved.json());

    const editor = await member(project, 'editor');
    const changed = await injectAs(app, editor, {
      method: 'PUT',
      url: `/api/v1/executions/${id}/review`,
      payload: { rating: 'up', note: 'Should have answered.', labels: [bad.id] },
    });
    expect(changed.json().review).toMatchObject({ rating: 'up', labels: [bad], reviewedBy: editor.email });

    const cleared = await review(admin, id, { rating: null, note: '', labels: [] });
    expect(cleared.json()).toEqual({ executionId: id, review: null, canReview: true });

    expect(await auditOf(project.projectId)).toEqual([
      expect.objectContaining({ action: 'review_label.created' }),
      expect.objectContaining({ action: 'review_label.created' }),
      {
        action: 'review.saved',
        target: 'triage',
        details: {
          executionId: id,
          from: { rating: null, note: '', labels: [] },
          to: { rating: 'down', note: 'Should have answered.', labels: ['Bad refusal', 'Tone'] },
        },
      },
      {
        action: 'review.saved',
        target: 'triage',
        details: {
          executionId: id,
          from: { rating: 'down', labels: ['Bad refusal', 'Tone'] },
          to: { rating: 'up', labels: ['Bad refusal'] },
        },
      },
      {
        action: 'review.cleared',
        target: 'triage',
        details: {
          executionId: id,
          from: { rating: 'up', note: 'Should have answered.', labels: ['Bad refusal'] },
          to: { rating: null, note: '', labels: [] },
        },
      },
    ]);
  });

  it("refuses another project's label, a missing execution and a note too long, naming the field", async () => {
    const { admin, q, ids } = await projectWithExecutions();
    const elsewhere = await projectWithExecutions();
    const theirs = (await createLabel(elsewhere.admin, elsewhere.q, 'Theirs')).json();
    const ours = (await createLabel(admin, q, 'Ours')).json();

    const foreign = await review(admin, ids[0] as string, { rating: 'up', labels: [ours.id, theirs.id] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.issues).toEqual([
      { path: 'labels.1', message: expect.stringMatching(/not a review label/) },
    ]);

    const long = await review(admin, ids[0] as string, { rating: 'up', note: 'x'.repeat(4001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.issues[0].path).toBe('note');

    expect((await review(admin, uuidv7(), { rating: 'up' })).statusCode).toBe(404);
    // Another project's execution is not found either.
    expect((await review(admin, elsewhere.ids[0] as string, { rating: 'up' })).statusCode).toBe(404);
    expect((await injectAs(app, admin, { url: `/api/v1/executions/${ids[0]}/review` })).json().review).toBeNull();
  });

  it('lets editors and admins review; viewers granted the prompt and read keys only read; keys never write', async () => {
    const { project, admin, q, ids } = await projectWithExecutions();
    const id = ids[0] as string;
    const grantedViewer = await member(project, 'viewer', ['triage']);
    const otherViewer = await member(project, 'viewer', ['other']);
    const readKey = (await createApiKey(handle.db, project.projectId, { label: 'read', scopes: ['read'] })).key;
    expect((await review(admin, id, { rating: 'up' })).statusCode).toBe(200);

    const seen = await injectAs(app, grantedViewer, { url: `/api/v1/executions/${id}/review` });
    expect(seen.json()).toMatchObject({ review: { rating: 'up' }, canReview: false });
    const refused = await review(grantedViewer, id, { rating: 'down' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/editor or admin/);
    expect((await injectAs(app, otherViewer, { url: `/api/v1/executions/${id}/review` })).statusCode).toBe(403);
    expect((await createLabel(grantedViewer, q, 'Mine')).statusCode).toBe(403);
    expect((await injectAs(app, grantedViewer, { url: `/api/v1/review-labels?${q}` })).json().canManage).toBe(false);

    const byKey = await app.inject({
      url: `/api/v1/executions/${id}/review`,
      headers: { authorization: `Bearer ${readKey}` },
    });
    expect(byKey.json()).toMatchObject({ review: { rating: 'up' }, canReview: false });
    const putByKey = await app.inject({
      method: 'PUT',
      url: `/api/v1/executions/${id}/review`,
      headers: { authorization: `Bearer ${readKey}` },
      payload: { rating: 'down' },
    });
    expect(putByKey.statusCode).toBe(401);
  });

  it('takes a deleted label off its reviews, and deletes a review it leaves empty', async () => {
    const { project, admin, q, ids } = await projectWithExecutions();
    const doomed = (await createLabel(admin, q, 'Doomed')).json();
    const kept = (await createLabel(admin, q, 'Kept')).json();
    await review(admin, ids[0] as string, { rating: null, labels: [doomed.id] });
    await review(admin, ids[1] as string, { rating: null, labels: [doomed.id, kept.id] });
    await review(admin, ids[2] as string, { rating: 'down', labels: [doomed.id] });

    expect(
      (await injectAs(app, admin, { method: 'DELETE', url: `/api/v1/review-labels/${doomed.id}?${q}` })).statusCode,
    ).toBe(204);
    const reviewOf = async (id: string | undefined) =>
      (await injectAs(app, admin, { url: `/api/v1/executions/${id}/review` })).json().review;
    expect(await reviewOf(ids[0])).toBeNull();
    expect(await reviewOf(ids[1])).toMatchObject({ rating: null, labels: [kept] });
    expect(await reviewOf(ids[2])).toMatchObject({ rating: 'down', labels: [] });
    const [deleted] = (await auditOf(project.projectId)).filter((event) => event.action === 'review_label.deleted');
    expect(deleted?.details).toEqual({ labelId: doomed.id, color: 'red', reviews: 3 });
  });
});

describe('the Logs list filtered by review', () => {
  async function listed(session: TestSession, query: string) {
    const response = await injectAs(app, session, { url: `/api/v1/executions?promptId=triage&${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: { id: string }[]; nextCursor: string | null };
  }
  /** Every page of a filtered list, `limit` at a time, as minutes of the fixture (newest first). */
  async function allPages(session: TestSession, ids: string[], query: string, limit = 1): Promise<number[]> {
    const minutes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await listed(session, `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      minutes.push(...page.items.map((item) => ids.indexOf(item.id)));
      cursor = page.nextCursor;
    } while (cursor);
    return minutes;
  }

  it('filters by reviewed or not, by any of several labels, and by needing a look, keyset page by page', async () => {
    const { admin, q, ids } = await projectWithExecutions();
    const wrong = (await createLabel(admin, q, 'Wrong')).json();
    const tone = (await createLabel(admin, q, 'Tone')).json();
    const unused = (await createLabel(admin, q, 'Unused')).json();
    await review(admin, ids[0] as string, { rating: 'up' });
    await review(admin, ids[1] as string, { rating: 'down', labels: [wrong.id] });
    await review(admin, ids[3] as string, { rating: null, note: 'Tone is off', labels: [tone.id, wrong.id] });
    await review(admin, ids[5] as string, { rating: null, labels: [tone.id] });

    expect(await allPages(admin, ids, 'reviewed=true')).toEqual([5, 3, 1, 0]);
    expect(await allPages(admin, ids, 'reviewed=false')).toEqual([4, 2]);
    expect(await allPages(admin, ids, `label=${wrong.id}`)).toEqual([3, 1]);
    expect(await allPages(admin, ids, `label=${wrong.id}&label=${tone.id}`, 2)).toEqual([5, 3, 1]);
    expect(await allPages(admin, ids, `label=${unused.id}`)).toEqual([]);
    // Needing a look: the refusal, the error and the empty answer; the queue is those not reviewed yet.
    expect(await allPages(admin, ids, 'flagged=true')).toEqual([4, 2, 1]);
    expect(await allPages(admin, ids, 'flagged=true&reviewed=false')).toEqual([4, 2]);
    // By rating: thumbs down only, or either; a review with a note and labels but no rating has none.
    expect(await allPages(admin, ids, 'rating=down')).toEqual([1]);
    expect(await allPages(admin, ids, 'rating=down&rating=up')).toEqual([1, 0]);
    // With another sort, the filters keep their keyset pages.
    expect(await allPages(admin, ids, 'reviewed=true&sort=time_asc')).toEqual([0, 1, 3, 5]);

    const bad = await injectAs(app, admin, {
      url: `/api/v1/executions?${q}&reviewed=maybe&label=not-an-id&rating=meh`,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.issues.map((issue: { path: string }) => issue.path)
        .sort(),
    ).toEqual(['label', 'rating', 'reviewed']);
  });
});
