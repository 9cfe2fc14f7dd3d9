import { alertRules, type DatabaseHandle, executionRollupDeltas } from '@promptlog/db';
import { sql } from 'drizzle-orm';
import { uuidv7 } from '../../lib/ids';
import type { TestProject } from '../../test/harness';
import { foldRollupDeltas } from '../analytics/rollups';
import { type EvaluationReport, evaluateAlerts, type RuleRow, windowsOf } from './evaluate';

export const now = new Date();
const { previous } = windowsOf(1, now);
/** A start inside the current one-hour window and one inside the previous one, whatever the minute now is. */
export const inCurrent = new Date(now.getTime() - 60_000).toISOString();
export const inPrevious = new Date((previous.from.getTime() + previous.to.getTime()) / 2).toISOString();

export interface Calls {
  count: number;
  status?: 'success' | 'error';
  promptVersion?: number;
  latencyMs?: number;
  startedAt?: string;
  /** Every one of these calls was a refusal. */
  refusal?: boolean;
  /** Every one of these calls had its JSON checked, with this outcome. */
  json?: 'valid' | 'invalid';
}

/**
 * Counts calls into the rollups the way ingestion does, as deltas the roller folds: the evaluator reads only rollups,
 * so these tests write what it reads and leave ingestion to its own tests.
 */
export async function countCalls(handle: DatabaseHandle, project: TestProject, groups: Calls[]) {
  for (const {
    count,
    status = 'success',
    promptVersion = 0,
    latencyMs = 100,
    startedAt = inCurrent,
    ...more
  } of groups) {
    await handle.db.insert(executionRollupDeltas).values({
      projectId: project.projectId,
      hour: sql`date_trunc('hour', ${startedAt}::timestamptz, 'UTC')`,
      promptId: 'summarize',
      promptVersion,
      model: 'gpt-4o',
      provider: 'openai',
      sourceType: 'api',
      status,
      errorType: status === 'error' ? 'provider' : '',
      locationField: '',
      latencyBucket: sql`promptlog_latency_bucket(${latencyMs})`,
      calls: count,
      successCalls: status === 'success' ? count : 0,
      errorCalls: status === 'error' ? count : 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      costUsd: '0',
      pricedCalls: 0,
      thinkingCalls: 0,
      latencyCount: count,
      latencySumMs: count * latencyMs,
      refusalCalls: more.refusal ? count : 0,
      jsonCheckedCalls: more.json ? count : 0,
      jsonInvalidCalls: more.json === 'invalid' ? count : 0,
    });
  }
  await foldRollupDeltas(handle);
}

export function calls(count: number, fields: Omit<Calls, 'count'>): Calls[] {
  return [{ count, ...fields }];
}

export async function addTestRule(
  handle: DatabaseHandle,
  project: TestProject,
  rule: Partial<RuleRow>,
): Promise<string> {
  const id = uuidv7();
  await handle.db.insert(alertRules).values({
    projectId: project.projectId,
    id,
    name: 'Errors',
    measure: 'error_rate',
    windowHours: 1,
    minCalls: 10,
    condition: 'above_threshold',
    ...rule,
  });
  return id;
}

/** One evaluation of the project; another process's evaluation may hold the lock for a moment on a shared database. */
export async function evaluateProject(
  handle: DatabaseHandle,
  project: TestProject,
  at = now,
): Promise<EvaluationReport> {
  for (;;) {
    const report = await evaluateAlerts(handle, { now: at, projectId: project.projectId });
    if (report) return report;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
