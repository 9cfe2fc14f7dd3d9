import {
  type AlertDelivery,
  type AlertDeliveryList,
  type AlertEventPage,
  type AlertEventsQuery,
  type AlertNumbers,
  type AlertRule,
  type AlertRuleChange,
  type AlertRuleInput,
  type AlertRuleList,
  alertRuleIssues,
  type SavedAlertRule,
} from '@promptlog/contracts';
import {
  alertDeliveries,
  alertEvents,
  alertReads,
  alertRules,
  type Database,
  type DatabaseHandle,
  users,
} from '@promptlog/db';
import { and, asc, count, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { AppError } from '../../errors';
import { decodeIdCursor, encodeIdCursor } from '../../lib/id-cursor';
import { uuidv7 } from '../../lib/ids';
import { type AuditActor, actingUserId, recordAudit } from '../audit/service';
import { ensureBuiltinRules, type RuleRow } from './evaluate';
import { maskSecret, newWebhookSecret, recordAttempt, send, webhookBody } from './webhooks';

/** Who is asking about a project's alerts: every member and read key sees them; admins manage the rules. */
export interface AlertsAccess {
  projectId: string;
  /** The logged-in user, whose read state the bell shows; null for an API key. */
  userId: string | null;
  canManage: boolean;
}

const MAX_RULES_PER_PROJECT = 100;
const UNREAD_COUNTED = 100;
const NO_EVENT = '00000000-0000-0000-0000-000000000000';

/** A webhook URL may hold a token (as Slack's do): only admins see it whole, others its origin. */
function webhookOf(rule: RuleRow, canManage: boolean): AlertRule['webhook'] {
  if (rule.webhookUrl === null || rule.webhookSecret === null) return null;
  return {
    url: canManage ? rule.webhookUrl : `${new URL(rule.webhookUrl).origin}/…`,
    secretHint: maskSecret(rule.webhookSecret),
  };
}

function toRule(rule: RuleRow & { createdByEmail: string | null; openAlerts: number }, canManage: boolean): AlertRule {
  return {
    id: rule.id,
    name: rule.name,
    measure: rule.measure as AlertRule['measure'],
    scope: { promptId: rule.promptId, version: rule.promptVersion, source: rule.sourceType, model: rule.model },
    windowHours: rule.windowHours,
    minCalls: rule.minCalls,
    condition: rule.condition,
    threshold: rule.threshold,
    builtin: rule.builtin,
    enabled: rule.enabled,
    webhook: webhookOf(rule, canManage),
    openAlerts: Number(rule.openAlerts),
    createdBy: rule.createdByEmail,
    createdAt: new Date(rule.createdAt).toISOString(),
    updatedAt: new Date(rule.updatedAt).toISOString(),
  };
}

function selectRules(db: Database, projectId: string) {
  const open = db
    .select({ n: count() })
    .from(alertEvents)
    .where(
      and(
        eq(alertEvents.projectId, alertRules.projectId),
        eq(alertEvents.ruleId, alertRules.id),
        isNull(alertEvents.resolvedAt),
      ),
    );
  return db
    .select({ rule: alertRules, createdByEmail: users.email, openAlerts: sql<number>`(${open})` })
    .from(alertRules)
    .leftJoin(users, eq(users.id, alertRules.createdBy))
    .where(eq(alertRules.projectId, projectId))
    .$dynamic();
}

/** The project's rules, the built-in ones first (created here too, should the evaluator not have run yet). */
export async function listRules(handle: DatabaseHandle, access: AlertsAccess): Promise<AlertRuleList> {
  await ensureBuiltinRules(handle.db, access.projectId);
  const rows = await selectRules(handle.db, access.projectId).orderBy(
    sql`${alertRules.builtin} is null`,
    asc(sql`lower(${alertRules.name})`),
    asc(alertRules.id),
  );
  return {
    items: rows.map(({ rule, ...more }) => toRule({ ...rule, ...more }, access.canManage)),
    canManage: access.canManage,
  };
}

async function getRule(db: Database, access: AlertsAccess, id: string): Promise<AlertRule> {
  const [row] = await selectRules(db, access.projectId).where(
    and(eq(alertRules.projectId, access.projectId), eq(alertRules.id, id)),
  );
  if (!row) throw new AppError('not_found', `No alert rule ${id} in this project`);
  return toRule({ ...row.rule, createdByEmail: row.createdByEmail, openAlerts: row.openAlerts }, access.canManage);
}

function assertCanManage(access: AlertsAccess): void {
  if (!access.canManage) throw new AppError('forbidden', 'Managing alert rules needs the admin role in the project');
}

/** What the audit log keeps of a rule: everything but its secret. */
function audited(
  rule: Pick<
    RuleRow,
    | 'name'
    | 'measure'
    | 'condition'
    | 'threshold'
    | 'windowHours'
    | 'minCalls'
    | 'enabled'
    | 'promptId'
    | 'promptVersion'
    | 'sourceType'
    | 'model'
    | 'webhookUrl'
  >,
) {
  return {
    name: rule.name,
    measure: rule.measure,
    condition: rule.condition,
    threshold: rule.threshold,
    windowHours: rule.windowHours,
    minCalls: rule.minCalls,
    enabled: rule.enabled,
    scope: { promptId: rule.promptId, version: rule.promptVersion, source: rule.sourceType, model: rule.model },
    webhookUrl: rule.webhookUrl === null ? null : new URL(rule.webhookUrl).origin,
  };
}

/** Creates a rule and records it, in one transaction; a webhook gets a new secret, answered this once. */
export async function createRule(
  handle: DatabaseHandle,
  access: AlertsAccess,
  input: AlertRuleInput,
  actor: AuditActor,
): Promise<SavedAlertRule> {
  assertCanManage(access);
  const { projectId } = access;
  const id = uuidv7();
  const secret = input.webhookUrl === null ? null : newWebhookSecret();
  const values = {
    projectId,
    id,
    name: input.name,
    measure: input.measure,
    promptId: input.scope.promptId,
    promptVersion: input.scope.version,
    sourceType: input.scope.source,
    model: input.scope.model,
    windowHours: input.windowHours,
    minCalls: input.minCalls,
    condition: input.condition,
    threshold: input.condition === 'above_threshold' ? input.threshold : null,
    enabled: input.enabled,
    webhookUrl: input.webhookUrl,
    webhookSecret: secret,
    createdBy: actingUserId(actor),
  };
  await handle.db.transaction(async (tx) => {
    const [held] = await tx.select({ n: count() }).from(alertRules).where(eq(alertRules.projectId, projectId));
    if ((held?.n ?? 0) >= MAX_RULES_PER_PROJECT) {
      throw new AppError('conflict', `A project may have ${MAX_RULES_PER_PROJECT} alert rules; delete one first`);
    }
    await tx.insert(alertRules).values(values);
    await recordAudit(tx, projectId, {
      action: 'alert_rule.created',
      actor,
      target: input.name,
      details: { ruleId: id, ...audited(values) },
    });
  });
  return { ...(await getRule(handle.db, access, id)), webhookSecret: secret };
}

async function lockRule(tx: Database, access: AlertsAccess, id: string): Promise<RuleRow> {
  const [rule] = await tx
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.projectId, access.projectId), eq(alertRules.id, id)))
    .for('update');
  if (!rule) throw new AppError('not_found', `No alert rule ${id} in this project`);
  return rule;
}

/**
 * Changes a rule and records what changed from what. A new webhook URL on a rule without one, or `rotateSecret`,
 * makes a new secret, answered this once. A built-in rule keeps its measure and condition.
 */
export async function updateRule(
  handle: DatabaseHandle,
  access: AlertsAccess,
  id: string,
  change: AlertRuleChange,
  actor: AuditActor,
): Promise<SavedAlertRule> {
  assertCanManage(access);
  let secret: string | null = null;
  await handle.db.transaction(async (tx) => {
    const rule = await lockRule(tx, access, id);
    if (rule.builtin !== null) {
      for (const field of ['measure', 'condition'] as const) {
        if (change[field] !== undefined && change[field] !== rule[field]) {
          throw new AppError('validation_failed', `The built-in rule “${rule.name}” keeps its ${field}`, [
            { path: field, message: 'cannot change on a built-in rule; add a rule of your own instead' },
          ]);
        }
      }
    }
    const scope = change.scope;
    const next = {
      name: change.name ?? rule.name,
      measure: change.measure ?? rule.measure,
      condition: change.condition ?? rule.condition,
      windowHours: change.windowHours ?? rule.windowHours,
      minCalls: change.minCalls ?? rule.minCalls,
      enabled: change.enabled ?? rule.enabled,
      promptId: scope ? scope.promptId : rule.promptId,
      promptVersion: scope ? scope.version : rule.promptVersion,
      sourceType: scope ? scope.source : rule.sourceType,
      model: scope ? scope.model : rule.model,
      threshold: change.threshold !== undefined ? change.threshold : rule.threshold,
      webhookUrl: change.webhookUrl !== undefined ? change.webhookUrl : rule.webhookUrl,
    };
    if (next.condition !== 'above_threshold') next.threshold = null;
    const issues = alertRuleIssues({
      measure: next.measure as AlertRuleInput['measure'],
      condition: next.condition,
      threshold: next.threshold,
      scope: { promptId: next.promptId, version: next.promptVersion },
    });
    if (issues.length > 0) throw new AppError('validation_failed', 'The rule would not be valid', issues);
    if (next.webhookUrl !== null && (rule.webhookSecret === null || change.rotateSecret)) secret = newWebhookSecret();
    const webhookSecret = next.webhookUrl === null ? null : (secret ?? rule.webhookSecret);
    await tx
      .update(alertRules)
      .set({ ...next, webhookSecret, updatedAt: new Date().toISOString() })
      .where(and(eq(alertRules.projectId, access.projectId), eq(alertRules.id, id)));
    const before = audited(rule);
    const after = audited(next);
    const from: Record<string, unknown> = {};
    const to: Record<string, unknown> = {};
    for (const key of Object.keys(after) as (keyof typeof after)[]) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) [from[key], to[key]] = [before[key], after[key]];
    }
    if (secret !== null && rule.webhookSecret !== null) to.secret = 'rotated';
    if (Object.keys(to).length === 0) return;
    await recordAudit(tx, access.projectId, {
      action: 'alert_rule.updated',
      actor,
      target: next.name,
      details: { ruleId: id, from, to },
    });
  });
  return { ...(await getRule(handle.db, access, id)), webhookSecret: secret };
}

/** Deletes a rule with its alerts and deliveries, and records it; a built-in rule is turned off instead. */
export async function deleteRule(
  handle: DatabaseHandle,
  access: AlertsAccess,
  id: string,
  actor: AuditActor,
): Promise<void> {
  assertCanManage(access);
  await handle.db.transaction(async (tx) => {
    const rule = await lockRule(tx, access, id);
    if (rule.builtin !== null) {
      throw new AppError('conflict', `“${rule.name}” is built in: turn it off instead of deleting it`);
    }
    await tx.delete(alertRules).where(and(eq(alertRules.projectId, access.projectId), eq(alertRules.id, id)));
    await recordAudit(tx, access.projectId, {
      action: 'alert_rule.deleted',
      actor,
      target: rule.name,
      details: { ruleId: id, ...audited(rule) },
    });
  });
}

async function readThroughOf(db: Database, access: AlertsAccess): Promise<string> {
  if (access.userId === null) return NO_EVENT;
  const [mark] = await db
    .select({ readThrough: alertReads.readThrough })
    .from(alertReads)
    .where(and(eq(alertReads.projectId, access.projectId), eq(alertReads.userId, access.userId)));
  return mark?.readThrough ?? NO_EVENT;
}

/** The project's alerts, newest first (keyset on the time-ordered id), each read or not by the caller. */
export async function listEvents(
  handle: DatabaseHandle,
  access: AlertsAccess,
  query: AlertEventsQuery,
): Promise<AlertEventPage> {
  const db = handle.db;
  const readThrough = await readThroughOf(db, access);
  const conditions = [eq(alertEvents.projectId, access.projectId)];
  if (query.cursor) conditions.push(lt(alertEvents.id, decodeIdCursor(query.cursor)));
  const rows = await db
    .select({
      id: alertEvents.id,
      ruleId: alertEvents.ruleId,
      ruleName: alertEvents.ruleName,
      subject: alertEvents.subject,
      firedAt: alertEvents.firedAt,
      resolvedAt: alertEvents.resolvedAt,
      numbers: alertEvents.numbers,
      link: alertEvents.link,
    })
    .from(alertEvents)
    .where(and(...conditions))
    .orderBy(desc(alertEvents.id))
    .limit(query.limit + 1);
  // Unread only counts for a person; an API key has no bell.
  const unread =
    access.userId === null
      ? []
      : await db
          .select({ id: alertEvents.id })
          .from(alertEvents)
          .where(and(eq(alertEvents.projectId, access.projectId), gt(alertEvents.id, readThrough)))
          .limit(UNREAD_COUNTED);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => {
      const numbers = row.numbers as AlertNumbers;
      return {
        ...row,
        firedAt: new Date(row.firedAt).toISOString(),
        resolvedAt: row.resolvedAt === null ? null : new Date(row.resolvedAt).toISOString(),
        numbers,
        unread: access.userId !== null && row.id > readThrough,
      };
    }),
    nextCursor: rows.length > query.limit && last ? encodeIdCursor(last.id) : null,
    unreadCount: unread.length,
  };
}

/** Marks the alert `through` and every older one read for the caller; never moves the mark back. */
export async function markRead(handle: DatabaseHandle, access: AlertsAccess, through: string): Promise<void> {
  if (access.userId === null) throw new AppError('forbidden', 'Read state belongs to a logged-in member');
  const [event] = await handle.db
    .select({ id: alertEvents.id })
    .from(alertEvents)
    .where(and(eq(alertEvents.projectId, access.projectId), eq(alertEvents.id, through)));
  if (!event) {
    throw new AppError('not_found', `No alert ${through} in this project`, [
      { path: 'through', message: 'is not an alert of this project' },
    ]);
  }
  await handle.db
    .insert(alertReads)
    .values({ projectId: access.projectId, userId: access.userId, readThrough: through })
    .onConflictDoUpdate({
      target: [alertReads.projectId, alertReads.userId],
      set: { readThrough: sql`greatest(${alertReads.readThrough}, excluded.read_through)`, updatedAt: sql`now()` },
    });
}

function toDelivery(row: typeof alertDeliveries.$inferSelect): AlertDelivery {
  const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
  return {
    id: row.id,
    eventId: row.eventId,
    kind: row.kind,
    state: row.state,
    attempts: row.attempts,
    statusCode: row.statusCode,
    error: row.error,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** A rule's last 50 webhook deliveries, newest first. */
export async function listDeliveries(
  handle: DatabaseHandle,
  access: AlertsAccess,
  ruleId: string,
): Promise<AlertDeliveryList> {
  assertCanManage(access);
  await getRule(handle.db, access, ruleId);
  const rows = await handle.db
    .select()
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.projectId, access.projectId), eq(alertDeliveries.ruleId, ruleId)))
    .orderBy(desc(alertDeliveries.id))
    .limit(50);
  return { items: rows.map(toDelivery) };
}

/** Sends a test delivery to the rule's webhook now, once, and answers with how it went. */
export async function testRule(
  handle: DatabaseHandle,
  access: AlertsAccess,
  ruleId: string,
  timeoutMs: number,
): Promise<AlertDelivery> {
  assertCanManage(access);
  const [rule] = await handle.db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.projectId, access.projectId), eq(alertRules.id, ruleId)));
  if (!rule) throw new AppError('not_found', `No alert rule ${ruleId} in this project`);
  if (rule.webhookUrl === null || rule.webhookSecret === null) {
    throw new AppError('validation_failed', `The rule “${rule.name}” has no webhook to test`, [
      { path: 'webhookUrl', message: 'is not set: add a webhook URL to the rule first' },
    ]);
  }
  const id = uuidv7();
  const body = webhookBody(id, 'test', access.projectId, null, { rule: { id: rule.id, name: rule.name } });
  await handle.db.insert(alertDeliveries).values({
    projectId: access.projectId,
    id,
    ruleId,
    kind: 'test',
    body,
    attempts: 1,
    nextAttemptAt: null,
  });
  const outcome = await send(rule.webhookUrl, rule.webhookSecret, id, 'test', body, timeoutMs);
  await recordAttempt(handle.db, { projectId: access.projectId, id, attempts: 1, kind: 'test' }, outcome, new Date());
  const [row] = await handle.db
    .select()
    .from(alertDeliveries)
    .where(and(eq(alertDeliveries.projectId, access.projectId), eq(alertDeliveries.id, id)));
  if (!row) throw new Error('the test delivery just written is gone');
  return toDelivery(row);
}
