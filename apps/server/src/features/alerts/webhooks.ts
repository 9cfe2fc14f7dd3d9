import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { alertDeliveries, type alertEvents, type Database, type DatabaseHandle } from '@promptlog/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';

export const SIGNATURE_HEADER = 'x-promptlog-signature';
/** Attempts before a delivery is given up as failed: the first and five retries, over about two hours. */
export const MAX_ATTEMPTS = 6;
const BACKOFF_BASE_MS = 60_000;
const DELIVERIES_PER_WALK = 20;

/** A new webhook secret; receivers verify X-Promptlog-Signature with it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** The secret as shown after creation: only enough to recognise it. */
export function maskSecret(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

/** `sha256=<hex>` of the HMAC-SHA256 of the raw body, keyed with the rule's secret. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does, in constant time (docs/alerts.md shows it in a few languages). */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  const expected = Buffer.from(signatureOf(secret, body));
  const given = Buffer.from(header ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The delay before attempt `attempts + 1`: a minute, then three times longer each time. */
export function backoffMs(attempts: number): number {
  return BACKOFF_BASE_MS * 3 ** Math.max(0, attempts - 1);
}

type EventRow = typeof alertEvents.$inferSelect;

/** The documented JSON body (docs/alerts.md), fixed when the delivery is queued so every retry sends the same bytes. */
export function webhookBody(
  deliveryId: string,
  kind: 'fired' | 'resolved' | 'test',
  projectId: string,
  event: Pick<
    EventRow,
    'id' | 'ruleId' | 'ruleName' | 'subject' | 'firedAt' | 'resolvedAt' | 'numbers' | 'link'
  > | null,
  { rule, publicUrl }: { rule?: { id: string; name: string }; publicUrl?: string | undefined } = {},
): string {
  return JSON.stringify({
    type: `alert.${kind}`,
    deliveryId,
    projectId,
    alert: event && {
      id: event.id,
      ruleId: event.ruleId,
      ruleName: event.ruleName,
      subject: event.subject,
      firedAt: event.firedAt,
      resolvedAt: event.resolvedAt,
      numbers: event.numbers,
      link: event.link,
      url: publicUrl ? `${publicUrl.replace(/\/+$/, '')}${event.link}` : null,
    },
    ...(rule && { rule: { id: rule.id, name: rule.name } }),
  });
}

export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

/** One POST of a delivery, bounded by `timeoutMs`; redirects are not followed (a 3xx is an answer to record). */
export async function send(
  url: string,
  secret: string,
  deliveryId: string,
  kind: string,
  body: string,
  timeoutMs: number,
): Promise<AttemptResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Promptlog-Alerts',
        'x-promptlog-event': `alert.${kind}`,
        'x-promptlog-delivery': deliveryId,
        [SIGNATURE_HEADER]: signatureOf(secret, body),
      },
    });
    await response.body?.cancel().catch(() => undefined);
    return {
      statusCode: response.status,
      error: response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : String(error);
    return { statusCode: null, error: reason.slice(0, 500) };
  }
}

/** Writes an attempt's outcome: delivered on a 2xx, else retried with backoff until MAX_ATTEMPTS (tests: once). */
export async function recordAttempt(
  db: Database,
  delivery: { projectId: string; id: string; attempts: number; kind: string },
  result: AttemptResult,
  now: Date,
): Promise<void> {
  const ok = result.error === null;
  const retry = !ok && delivery.kind !== 'test' && delivery.attempts < MAX_ATTEMPTS;
  await db
    .update(alertDeliveries)
    .set({
      state: ok ? 'delivered' : retry ? 'pending' : 'failed',
      statusCode: result.statusCode,
      error: result.error,
      lastAttemptAt: now.toISOString(),
      nextAttemptAt: retry ? new Date(now.getTime() + backoffMs(delivery.attempts)).toISOString() : null,
    })
    .where(and(eq(alertDeliveries.projectId, delivery.projectId), eq(alertDeliveries.id, delivery.id)));
}

const ClaimedDelivery = z.object({
  project_id: z.string(),
  id: z.string(),
  kind: z.string(),
  body: z.string(),
  attempts: z.number(),
  webhook_url: z.string().nullable(),
  webhook_secret: z.string().nullable(),
});

/**
 * Sends the deliveries due at `now`, a batch at a time and in parallel. Each is claimed by moving its due time past
 * the timeout (a lease): another process skips it, and one that died mid-attempt is retried when the lease ends. No
 * transaction stays open while a receiver answers.
 */
export async function deliverDueWebhooks(
  handle: DatabaseHandle,
  { now = new Date(), timeoutMs, projectId }: { now?: Date; timeoutMs: number; projectId?: string },
): Promise<number> {
  const lease = new Date(now.getTime() + 2 * timeoutMs + 1000).toISOString();
  const onlyProject = projectId === undefined ? sql`` : sql` and project_id = ${projectId}`;
  const claimed = await handle.query(
    sql`
    with due as (
      select project_id, id from alert_deliveries
      where state = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz${onlyProject}
      order by next_attempt_at limit ${DELIVERIES_PER_WALK}
      for update skip locked
    )
    update alert_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${lease}::timestamptz
    from due, alert_rules r
    where d.project_id = due.project_id and d.id = due.id and r.project_id = d.project_id and r.id = d.rule_id
    returning d.project_id, d.id, d.kind, d.body, d.attempts, r.webhook_url, r.webhook_secret`,
    ClaimedDelivery,
  );
  await Promise.all(
    claimed.map(async (delivery) => {
      const target = {
        projectId: delivery.project_id,
        id: delivery.id,
        attempts: delivery.attempts,
        kind: delivery.kind,
      };
      if (delivery.webhook_url === null || delivery.webhook_secret === null) {
        await recordAttempt(
          handle.db,
          { ...target, attempts: MAX_ATTEMPTS },
          { statusCode: null, error: 'the rule has no webhook any more' },
          now,
        );
        return;
      }
      const outcome = await send(
        delivery.webhook_url,
        delivery.webhook_secret,
        delivery.id,
        delivery.kind,
        delivery.body,
        timeoutMs,
      );
      await recordAttempt(handle.db, target, outcome, now);
    }),
  );
  return claimed.length;
}
