import type { AlertMeasure, AlertNumbers } from '@promptlog/contracts';
import { ALERT_MEASURE_INFO } from '@promptlog/contracts/rules';
import {
  alertDeliveries,
  alertEvents,
  alertRules,
  type Database,
  type DatabaseHandle,
  projects,
  type QueryRunner,
  type RowParser,
} from '@promptlog/db';
import { and, eq, isNull, notExists, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { uuidv7 } from '../../lib/ids';
import { aggregatesOf, MEASURES, type Sums } from './measures';
import { webhookBody } from './webhooks';

export type RuleRow = typeof alertRules.$inferSelect;

/** Held for a whole evaluation on PostgreSQL, so one process evaluates at a time. */
export const ALERTS_LOCK = 8412007;

/** The rules every project has, created by the evaluator (so also for projects made before alerts existed). */
export const BUILTIN_RULES = [
  {
    builtin: 'new_version_error_rate',
    name: 'New prompt version has a higher error rate',
    measure: 'error_rate',
    condition: 'worse_than_previous_version',
    windowHours: 168,
    minCalls: 50,
  },
  {
    builtin: 'new_version_refusal_rate',
    name: 'New prompt version refuses more often',
    measure: 'refusal_rate',
    condition: 'worse_than_previous_version',
    windowHours: 168,
    minCalls: 50,
  },
] as const;

/** A subject the rule's condition holds for now, with the numbers that say so. */
export interface Firing {
  subject: string;
  promptId: string | null;
  numbers: AlertNumbers;
  link: string;
}

const HOUR = 3_600_000;

/** The hours a rule reads: the current one and `windowHours` before it; the previous window the same span before. */
export function windowsOf(windowHours: number, now: Date) {
  const hour = Math.floor(now.getTime() / HOUR) * HOUR;
  const currentFrom = new Date(hour - windowHours * HOUR);
  return {
    current: { from: currentFrom, to: new Date(hour + HOUR) },
    previous: { from: new Date(hour - 2 * windowHours * HOUR), to: currentFrom },
  };
}

function scopeConditions(rule: RuleRow): SQL[] {
  const conditions = [sql`project_id = ${rule.projectId}`];
  if (rule.promptId !== null) conditions.push(sql`prompt_id = ${rule.promptId}`);
  if (rule.promptVersion !== null) conditions.push(sql`prompt_version = ${rule.promptVersion}`);
  if (rule.sourceType !== null) conditions.push(sql`source_type = ${rule.sourceType}`);
  if (rule.model !== null) conditions.push(sql`model = ${rule.model}`);
  return conditions;
}

/** A slice's aggregates (`calls` a float8, the rest as each measure's SQL gives them) and the columns grouped by. */
const SumsRow = z.object({ calls: z.number() }).catchall(z.union([z.number(), z.string(), z.null()]));

/** The catch-all parses the group columns too; zod types it as an index signature, which TypeScript cannot relate to G. */
function sumsRow<G extends string>(): RowParser<Sums & Record<G, string | number>> {
  return SumsRow as unknown as RowParser<Sums & Record<G, string | number>>;
}

/** The rule's measure summed from the hourly rollups over [from, to), grouped by `groups` (never raw executions). */
async function selectSums<G extends string>(
  runner: QueryRunner,
  rule: RuleRow,
  from: Date,
  to: Date,
  groups: Record<G, SQL> = {} as Record<G, SQL>,
  extra: SQL[] = [],
): Promise<(Sums & Record<G, string | number>)[]> {
  const entries = Object.entries(groups) as [G, SQL][];
  const keys = entries.map(([alias, expression]) => sql`${expression} as ${sql.identifier(alias)}`);
  const where = [
    ...scopeConditions(rule),
    sql`hour >= ${from.toISOString()}::timestamptz`,
    sql`hour < ${to.toISOString()}::timestamptz`,
    ...extra,
  ];
  const select = sql.join([...keys, aggregatesOf(rule.measure as AlertMeasure)], sql`, `);
  // By position: a parameter bound twice is two parameters, which PostgreSQL would not see as the same expression.
  const groupBy = entries.length ? sql.raw(` group by ${entries.map((_, i) => i + 1).join(', ')}`) : sql``;
  return runner.query(
    sql`select ${select} from execution_rollups_hourly where ${sql.join(where, sql` and `)}${groupBy}`,
    sumsRow<G>(),
  );
}

function describeScope(rule: RuleRow, version: number | null = rule.promptVersion): string {
  const parts = [
    rule.promptId !== null ? `prompt ${rule.promptId}` : null,
    version !== null ? `version ${version}` : null,
    rule.sourceType !== null ? `source ${rule.sourceType}` : null,
    rule.model !== null ? `model ${rule.model}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'all calls';
}

/** The list's `signal` filter showing the calls a signal rate counts. */
const SIGNAL_OF_MEASURE: Record<string, string> = {
  refusal_rate: 'refusal',
  truncation_rate: 'truncated',
  json_invalid_rate: 'json_invalid',
};

/** The Logs tab of the prompt, filtered to the calls the alert is about; the dashboard when no prompt is named. */
export function logsLink(
  measure: string,
  scope: { promptId: string | null; version: number | null; source: string | null; model: string | null },
  from: Date,
  to: Date,
): string {
  if (scope.promptId === null) return '/dashboard';
  const params = new URLSearchParams();
  params.set('range', 'custom');
  params.set('from', from.toISOString());
  params.set('to', to.toISOString());
  if (measure === 'error_rate') params.set('status', 'error');
  const signal = SIGNAL_OF_MEASURE[measure];
  if (signal !== undefined) params.set('signal', signal);
  if (scope.version !== null) params.set('version', String(scope.version));
  if (scope.source !== null) params.set('source', scope.source);
  if (scope.model !== null) params.set('model', scope.model);
  params.sort();
  return `/prompts/${encodeURIComponent(scope.promptId)}?${params}`;
}

function numbersOf(
  rule: RuleRow,
  current: { label: string; sums: Sums },
  baseline: { label: string; sums: Sums } | null,
  window: { from: Date; to: Date },
): AlertNumbers {
  const measure = MEASURES[rule.measure as AlertMeasure];
  const comparison = baseline && measure.worse ? measure.worse(current.sums, baseline.sums) : null;
  const value = measure.value(current.sums);
  const baselineValue = baseline ? measure.value(baseline.sums) : null;
  // For latency the test compares shares above the baseline's p95 bucket; the difference shown is in milliseconds.
  const sameUnit = ALERT_MEASURE_INFO[rule.measure as AlertMeasure].unit !== 'ms';
  return {
    measure: rule.measure as AlertMeasure,
    condition: rule.condition,
    current: { label: current.label, calls: current.sums.calls, value },
    baseline: baseline ? { label: baseline.label, calls: baseline.sums.calls, value: baselineValue } : null,
    threshold: rule.condition === 'above_threshold' ? rule.threshold : null,
    difference:
      baseline && value !== null && baselineValue !== null
        ? value - baselineValue
        : rule.condition === 'above_threshold' && value !== null && rule.threshold !== null
          ? value - rule.threshold
          : null,
    ci: comparison && sameUnit ? comparison.ci : null,
    pValue: comparison ? comparison.pValue : null,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
  };
}

function isWorse(rule: RuleRow, current: Sums, baseline: Sums): boolean {
  if (current.calls < rule.minCalls || baseline.calls < rule.minCalls) return false;
  return MEASURES[rule.measure as AlertMeasure].worse?.(current, baseline)?.worse === true;
}

/** What the rule's condition holds for now, read from the rollups. */
export async function firingsOf(runner: QueryRunner, rule: RuleRow, now: Date): Promise<Firing[]> {
  const measure = MEASURES[rule.measure as AlertMeasure];
  const { current, previous } = windowsOf(rule.windowHours, now);
  const scope = { promptId: rule.promptId, version: rule.promptVersion, source: rule.sourceType, model: rule.model };
  const shown = { from: current.from, to: now };

  if (rule.condition === 'above_threshold') {
    const [sums] = await selectSums(runner, rule, current.from, current.to);
    const value = sums ? measure.value(sums) : null;
    if (!sums || sums.calls < rule.minCalls || value === null || rule.threshold === null || value <= rule.threshold) {
      return [];
    }
    const numbers = numbersOf(rule, { label: `last ${rule.windowHours} h`, sums }, null, shown);
    return [
      {
        subject: describeScope(rule),
        promptId: rule.promptId,
        numbers,
        link: logsLink(rule.measure, scope, current.from, now),
      },
    ];
  }

  if (rule.condition === 'worse_than_previous_window') {
    const rows = await selectSums(runner, rule, previous.from, current.to, {
      side: sql`case when hour >= ${current.from.toISOString()}::timestamptz then 'current' else 'baseline' end`,
    });
    const now_ = rows.find((row) => row.side === 'current');
    const before = rows.find((row) => row.side === 'baseline');
    if (!now_ || !before || !isWorse(rule, now_, before)) return [];
    const numbers = numbersOf(
      rule,
      { label: `last ${rule.windowHours} h`, sums: now_ },
      { label: `the ${rule.windowHours} h before`, sums: before },
      shown,
    );
    return [
      {
        subject: describeScope(rule),
        promptId: rule.promptId,
        numbers,
        link: logsLink(rule.measure, scope, current.from, now),
      },
    ];
  }

  // The newest version of each prompt in scope against the version before it, both over the rule's window.
  const rows = await selectSums(
    runner,
    rule,
    current.from,
    current.to,
    { prompt: sql`prompt_id`, version: sql`prompt_version` },
    [sql`prompt_version > 0`],
  );
  const byPrompt = new Map<string, (Sums & { version: number })[]>();
  for (const row of rows) {
    const list = byPrompt.get(String(row.prompt)) ?? [];
    list.push({ ...row, version: Number(row.version) });
    byPrompt.set(String(row.prompt), list);
  }
  const firings: Firing[] = [];
  for (const [promptId, versions] of byPrompt) {
    const [newest, before] = versions.sort((a, b) => b.version - a.version);
    if (!newest || !before || !isWorse(rule, newest, before)) continue;
    const numbers = numbersOf(
      rule,
      { label: `version ${newest.version}`, sums: newest },
      { label: `version ${before.version}`, sums: before },
      shown,
    );
    firings.push({
      subject: describeScope({ ...rule, promptId }, newest.version),
      promptId,
      numbers,
      link: logsLink(rule.measure, { ...scope, promptId, version: newest.version }, current.from, now),
    });
  }
  return firings;
}

/** Creates the built-in rules a project lacks; a project made meanwhile gets them on the next run. */
export async function ensureBuiltinRules(db: Database, projectId?: string): Promise<void> {
  for (const rule of BUILTIN_RULES) {
    const missing = await db
      .select({ id: projects.id })
      .from(projects)
      .where(
        and(
          projectId === undefined ? undefined : eq(projects.id, projectId),
          notExists(
            db
              .select({ one: sql`1` })
              .from(alertRules)
              .where(and(eq(alertRules.projectId, projects.id), eq(alertRules.builtin, rule.builtin))),
          ),
        ),
      );
    if (missing.length === 0) continue;
    await db
      .insert(alertRules)
      .values(missing.map(({ id }) => ({ projectId: id, id: uuidv7(), ...rule })))
      .onConflictDoNothing();
  }
}

export interface EvaluationReport {
  fired: number;
  resolved: number;
  /** Rules whose evaluation failed this time, and why; absent when none did. */
  failed?: { ruleId: string; error: unknown }[];
}

/**
 * Records what changed for one rule in one transaction: a firing not yet open is inserted (the open-event unique index
 * makes it once, also against another evaluator), an open one no longer firing is resolved; each queues its webhook.
 */
async function record(
  db: Database,
  rule: RuleRow,
  firings: Firing[],
  now: Date,
  publicUrl: string | undefined,
): Promise<EvaluationReport> {
  return db.transaction(async (tx) => {
    const report = { fired: 0, resolved: 0 };
    const open = await tx
      .select({ id: alertEvents.id, subject: alertEvents.subject })
      .from(alertEvents)
      .where(
        and(eq(alertEvents.projectId, rule.projectId), eq(alertEvents.ruleId, rule.id), isNull(alertEvents.resolvedAt)),
      );
    const openSubjects = new Set(open.map((event) => event.subject));
    const firingSubjects = new Set(firings.map((firing) => firing.subject));
    const enqueue = async (kind: 'fired' | 'resolved', eventId: string) => {
      if (rule.webhookUrl === null) return;
      const [event] = await tx
        .select()
        .from(alertEvents)
        .where(and(eq(alertEvents.projectId, rule.projectId), eq(alertEvents.id, eventId)));
      if (!event) return;
      const id = uuidv7();
      await tx.insert(alertDeliveries).values({
        projectId: rule.projectId,
        id,
        ruleId: rule.id,
        eventId,
        kind,
        body: webhookBody(id, kind, rule.projectId, event, { publicUrl }),
        nextAttemptAt: now.toISOString(),
      });
    };
    for (const firing of firings) {
      if (openSubjects.has(firing.subject)) continue;
      const inserted = await tx
        .insert(alertEvents)
        .values({
          projectId: rule.projectId,
          id: uuidv7(),
          ruleId: rule.id,
          ruleName: rule.name,
          subject: firing.subject,
          measure: rule.measure,
          firedAt: now.toISOString(),
          numbers: firing.numbers,
          link: firing.link,
        })
        .onConflictDoNothing()
        .returning({ id: alertEvents.id });
      for (const { id } of inserted) {
        report.fired++;
        await enqueue('fired', id);
      }
    }
    for (const event of open) {
      if (firingSubjects.has(event.subject)) continue;
      const resolved = await tx
        .update(alertEvents)
        .set({ resolvedAt: now.toISOString() })
        .where(
          and(eq(alertEvents.projectId, rule.projectId), eq(alertEvents.id, event.id), isNull(alertEvents.resolvedAt)),
        )
        .returning({ id: alertEvents.id });
      for (const { id } of resolved) {
        report.resolved++;
        await enqueue('resolved', id);
      }
    }
    return report;
  });
}

/**
 * One evaluation of every project's rules at `now`, from the rollups. A turned-off rule fires nothing, so its open
 * alerts resolve. Null when another process is evaluating (on PostgreSQL).
 */
export async function evaluateAlerts(
  handle: DatabaseHandle,
  { now = new Date(), projectId, publicUrl }: { now?: Date; projectId?: string; publicUrl?: string | undefined } = {},
): Promise<EvaluationReport | null> {
  return handle.withAdvisoryLock(ALERTS_LOCK, async () => {
    await ensureBuiltinRules(handle.db, projectId);
    const rules = await handle.db
      .select()
      .from(alertRules)
      .where(projectId === undefined ? undefined : eq(alertRules.projectId, projectId))
      .orderBy(alertRules.projectId, alertRules.id);
    const report: EvaluationReport = { fired: 0, resolved: 0 };
    for (const rule of rules) {
      // One rule that cannot be evaluated must not silence the others.
      try {
        const firings = rule.enabled ? await firingsOf(handle, rule, now) : [];
        const changed = await record(handle.db, rule, firings, now, publicUrl);
        report.fired += changed.fired;
        report.resolved += changed.resolved;
      } catch (error) {
        report.failed = [...(report.failed ?? []), { ruleId: rule.id, error }];
      }
    }
    return report;
  });
}
