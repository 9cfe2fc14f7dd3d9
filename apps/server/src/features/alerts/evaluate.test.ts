import { alertDeliveries, alertEvents, alertRules, type DatabaseHandle } from '@promptlog/db';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestProject, type TestProject, useTestApp } from '../../test/harness';
import { type RuleRow, windowsOf } from './evaluate';
import {
  addTestRule,
  type Calls,
  calls,
  countCalls,
  evaluateProject,
  inCurrent,
  inPrevious,
  now,
} from './test-helpers';

let handle: DatabaseHandle;

useTestApp((opened) => {
  ({ handle } = opened);
});

const { current } = windowsOf(1, now);
const ingest = (project: TestProject, groups: Calls[]) => countCalls(handle, project, groups);
const addRule = (project: TestProject, rule: Partial<RuleRow>) => addTestRule(handle, project, rule);
const evaluate = (project: TestProject, at = now) => evaluateProject(handle, project, at);

const eventsOf = (project: TestProject, ruleId: string) =>
  handle.db
    .select()
    .from(alertEvents)
    .where(and(eq(alertEvents.projectId, project.projectId), eq(alertEvents.ruleId, ruleId)))
    .orderBy(alertEvents.id);

describe('alert evaluation from the rollups', () => {
  it('fires once while the condition holds, with its numbers and a Logs link, then resolves', async () => {
    const project = await createTestProject(handle);
    const ruleId = await addRule(project, { threshold: 0.2, promptId: 'summarize' });
    await ingest(project, [...calls(10, { status: 'success' }), ...calls(10, { status: 'error' })]);

    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 0 });
    const [event, ...more] = await eventsOf(project, ruleId);
    expect(more).toEqual([]);
    expect(event?.resolvedAt).toBeNull();
    expect(event?.subject).toBe('prompt summarize');
    expect(event?.numbers).toMatchObject({
      measure: 'error_rate',
      condition: 'above_threshold',
      current: { calls: 20, value: 0.5 },
      threshold: 0.2,
      from: current.from.toISOString(),
    });
    const link = new URL(event?.link ?? '', 'http://promptlog.invalid');
    expect(link.pathname).toBe('/prompts/summarize');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      range: 'custom',
      from: current.from.toISOString(),
      to: now.toISOString(),
      status: 'error',
    });

    // 10 errors in 50 calls is 20%, no longer above the threshold.
    await ingest(project, calls(30, { status: 'success' }));
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 1 });
    const [resolved] = await eventsOf(project, ruleId);
    expect(resolved?.resolvedAt).not.toBeNull();
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 0 });

    // Firing again is a new event; the resolved one stays as history.
    await ingest(project, calls(50, { status: 'error' }));
    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    expect(await eventsOf(project, ruleId)).toHaveLength(2);
  });

  it('waits for the minimum number of calls, and a turned-off rule resolves its alerts', async () => {
    const project = await createTestProject(handle);
    const ruleId = await addRule(project, { threshold: 0.1, minCalls: 30 });
    await ingest(project, calls(29, { status: 'error' }));
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 0 });
    await ingest(project, calls(1, { status: 'error' }));
    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    const [event] = await eventsOf(project, ruleId);
    expect(event?.subject).toBe('all calls');
    expect(event?.link).toBe('/dashboard');

    await handle.db
      .update(alertRules)
      .set({ enabled: false })
      .where(and(eq(alertRules.projectId, project.projectId), eq(alertRules.id, ruleId)));
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 1 });
  });

  it('fires the built-in refusal rule when a new version refuses significantly more, linking to its refusals', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      ...calls(97, { promptVersion: 1 }),
      ...calls(3, { promptVersion: 1, refusal: true }),
      ...calls(40, { promptVersion: 2 }),
      ...calls(10, { promptVersion: 2, refusal: true }),
    ]);
    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    const [rule] = await handle.db
      .select()
      .from(alertRules)
      .where(and(eq(alertRules.projectId, project.projectId), eq(alertRules.builtin, 'new_version_refusal_rate')));
    const [event] = await eventsOf(project, rule?.id ?? '');
    expect(event?.numbers).toMatchObject({
      measure: 'refusal_rate',
      current: { label: 'version 2', calls: 50, value: 0.2 },
      baseline: { label: 'version 1', calls: 100, value: 0.03 },
    });
    const link = new URL(event?.link ?? '', 'http://x');
    expect([link.searchParams.get('version'), link.searchParams.get('signal')]).toEqual(['2', 'refusal']);
  });

  it('reads the JSON-invalid rate over the calls whose JSON was checked', async () => {
    const project = await createTestProject(handle);
    const ruleId = await addRule(project, { measure: 'json_invalid_rate', threshold: 0.4, promptId: 'summarize' });
    // 6 invalid of 10 checked (60%), among 100 calls (6%).
    await ingest(project, [...calls(90, {}), ...calls(4, { json: 'valid' }), ...calls(6, { json: 'invalid' })]);
    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    const [event] = await eventsOf(project, ruleId);
    expect(event?.numbers).toMatchObject({ measure: 'json_invalid_rate', current: { calls: 100, value: 0.6 } });
    expect(new URL(event?.link ?? '', 'http://x').searchParams.get('signal')).toBe('json_invalid');
  });

  it('creates the built-in rule and fires it when a new version errs significantly more than the one before', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      ...calls(98, { promptVersion: 1, status: 'success' }),
      ...calls(2, { promptVersion: 1, status: 'error' }),
      // Half of version 2's calls fail, but 30 calls are fewer than the built-in rule waits for.
      ...calls(15, { promptVersion: 2, status: 'success' }),
      ...calls(15, { promptVersion: 2, status: 'error' }),
    ]);
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 0 });
    const [builtin, refusals, ...others] = await handle.db
      .select()
      .from(alertRules)
      .where(eq(alertRules.projectId, project.projectId))
      .orderBy(alertRules.builtin);
    expect(others).toEqual([]);
    expect(refusals).toMatchObject({ builtin: 'new_version_refusal_rate', measure: 'refusal_rate', enabled: true });
    expect(builtin).toMatchObject({
      builtin: 'new_version_error_rate',
      enabled: true,
      measure: 'error_rate',
      condition: 'worse_than_previous_version',
    });

    await ingest(project, calls(20, { promptVersion: 2, status: 'success' }));
    // 15 errors in 50 calls against 2 in 100: significant.
    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    const [event] = await eventsOf(project, builtin?.id ?? '');
    expect(event?.subject).toBe('prompt summarize · version 2');
    expect(event?.numbers).toMatchObject({
      current: { label: 'version 2', calls: 50, value: 0.3 },
      baseline: { label: 'version 1', calls: 100, value: 0.02 },
    });
    const numbers = event?.numbers as { ci: [number, number]; pValue: number };
    expect(numbers.pValue).toBeLessThan(0.01);
    expect(numbers.ci[0]).toBeGreaterThan(0);
    expect(new URL(event?.link ?? '', 'http://x').searchParams.get('version')).toBe('2');
  });

  it('does not call a new version worse when its error rate is within the noise', async () => {
    const project = await createTestProject(handle);
    await ingest(project, [
      ...calls(95, { promptVersion: 1, status: 'success' }),
      ...calls(5, { promptVersion: 1, status: 'error' }),
      ...calls(92, { promptVersion: 2, status: 'success' }),
      ...calls(8, { promptVersion: 2, status: 'error' }),
    ]);
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 0 });
  });

  it('compares p95 latency with the previous window from the histograms', async () => {
    const project = await createTestProject(handle);
    const ruleId = await addRule(project, {
      measure: 'p95_latency',
      condition: 'worse_than_previous_window',
      minCalls: 50,
    });
    // The same spread of latencies in both windows (100 ms to 397 ms): no change to find.
    const spread = (startedAt: string) =>
      Array.from({ length: 100 }, (_, i) => ({ count: 1, latencyMs: 100 + 3 * i, startedAt }));
    await ingest(project, [...spread(inPrevious), ...spread(inCurrent)]);
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 0 });
    await ingest(project, calls(40, { latencyMs: 2000 }));
    expect(await evaluate(project)).toEqual({ fired: 1, resolved: 0 });
    const [event] = await eventsOf(project, ruleId);
    expect(event?.numbers).toMatchObject({
      current: { label: 'last 1 h', calls: 140 },
      baseline: { label: 'the 1 h before', calls: 100 },
    });
    const numbers = event?.numbers as { current: { value: number }; baseline: { value: number } };
    expect(numbers.current.value).toBeGreaterThan(1500);
    expect(numbers.baseline.value).toBeLessThan(450);
  });

  it('queues a webhook delivery for a firing and its resolution, none for a rule without a webhook', async () => {
    const project = await createTestProject(handle);
    const ruleId = await addRule(project, {
      threshold: 0.5,
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookSecret: 'whsec_test',
    });
    await addRule(project, { threshold: 0.5 });
    await ingest(project, calls(20, { status: 'error' }));
    expect(await evaluate(project)).toEqual({ fired: 2, resolved: 0 });
    await ingest(project, calls(40, { status: 'success' }));
    expect(await evaluate(project)).toEqual({ fired: 0, resolved: 2 });
    const deliveries = await handle.db
      .select()
      .from(alertDeliveries)
      .where(eq(alertDeliveries.projectId, project.projectId))
      .orderBy(alertDeliveries.id);
    expect(deliveries.map((d) => [d.ruleId, d.kind, d.state])).toEqual([
      [ruleId, 'fired', 'pending'],
      [ruleId, 'resolved', 'pending'],
    ]);
    expect(JSON.parse(deliveries[0]?.body ?? '{}')).toMatchObject({
      type: 'alert.fired',
      projectId: project.projectId,
      alert: { ruleId, subject: 'all calls', numbers: { current: { calls: 20, value: 1 } } },
    });
  });
});
