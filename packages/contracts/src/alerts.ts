import { z } from 'zod';
import { PromptReference, StorableText } from './common';
import { ProjectQuery } from './executions-query';
import { ALERT_CONDITIONS, ALERT_MEASURES, SOURCE_TYPES } from './rules';

export const AlertMeasure = z.enum(ALERT_MEASURES);
export type AlertMeasure = z.infer<typeof AlertMeasure>;
export const AlertCondition = z.enum(ALERT_CONDITIONS);
export type AlertCondition = z.infer<typeof AlertCondition>;

export const ALERT_RULE_NAME_MAX_LENGTH = 100;
export const ALERT_WINDOW_HOURS = { min: 1, max: 720 } as const;
export const ALERT_MIN_CALLS = { min: 1, max: 1_000_000 } as const;

export const AlertScope = z.object({
  promptId: PromptReference.nullable().default(null).describe('Only this prompt; null for every prompt'),
  version: z.number().int().min(1).nullable().default(null).describe('Only this prompt version; null for any'),
  source: z.enum(SOURCE_TYPES).nullable().default(null).describe('Only calls from this source; null for any'),
  model: StorableText.min(1).max(200).nullable().default(null).describe('Only this model; null for any'),
});
export type AlertScope = z.output<typeof AlertScope>;

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000, 'must have at most 2000 characters');

const RuleFields = {
  name: StorableText.trim()
    .min(1, 'must not be empty')
    .max(ALERT_RULE_NAME_MAX_LENGTH, `must have at most ${ALERT_RULE_NAME_MAX_LENGTH} characters`),
  measure: AlertMeasure,
  scope: AlertScope,
  windowHours: z
    .number()
    .int('must be a whole number of hours')
    .min(ALERT_WINDOW_HOURS.min, `must be at least ${ALERT_WINDOW_HOURS.min} hour`)
    .max(ALERT_WINDOW_HOURS.max, `must be at most ${ALERT_WINDOW_HOURS.max} hours`)
    .describe('The hours read: the current hour and the windowHours before it'),
  minCalls: z
    .number()
    .int('must be a whole number')
    .min(ALERT_MIN_CALLS.min, `must be at least ${ALERT_MIN_CALLS.min}`)
    .max(ALERT_MIN_CALLS.max, `must be at most ${ALERT_MIN_CALLS.max}`)
    .describe('Calls each side needs before the rule is judged'),
  condition: AlertCondition,
  threshold: z
    .number()
    .min(0, 'must not be negative')
    .nullable()
    .describe('For above_threshold: a rate as 0–1, milliseconds, USD per call or calls'),
  enabled: z.boolean(),
  webhookUrl: WebhookUrl.nullable().describe(
    'POSTed a signed JSON body when an alert fires or resolves; null for none',
  ),
};

type RuleShape = {
  measure: AlertMeasure;
  condition: AlertCondition;
  threshold: number | null;
  scope: { version: number | null; promptId: string | null };
};

/** The rules a rule's fields must keep together, shared by creation and by a change (checked on the result). */
export function alertRuleIssues(rule: RuleShape): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (rule.condition === 'above_threshold' && rule.threshold === null) {
    issues.push({ path: 'threshold', message: 'is required for the condition above_threshold' });
  }
  if (rule.condition !== 'above_threshold' && rule.measure === 'calls') {
    issues.push({ path: 'condition', message: 'calls can only be compared with a threshold' });
  }
  if (rule.condition === 'worse_than_previous_version' && rule.scope.version !== null) {
    issues.push({
      path: 'scope.version',
      message: 'must be empty when comparing with the previous version: the newest version is compared',
    });
  }
  if (rule.measure === 'error_rate' && rule.threshold !== null && rule.threshold > 1) {
    issues.push({ path: 'threshold', message: 'is a rate: between 0 and 1' });
  }
  if (rule.scope.version !== null && rule.scope.promptId === null) {
    issues.push({ path: 'scope.promptId', message: 'is required with a version: versions belong to a prompt' });
  }
  return issues;
}

export const CreateAlertRuleRequest = z
  .object({
    ...RuleFields,
    scope: AlertScope.default({ promptId: null, version: null, source: null, model: null }),
    windowHours: RuleFields.windowHours.default(1),
    minCalls: RuleFields.minCalls.default(50),
    threshold: RuleFields.threshold.default(null),
    enabled: RuleFields.enabled.default(true),
    webhookUrl: RuleFields.webhookUrl.default(null),
  })
  .superRefine((rule, context) => {
    for (const issue of alertRuleIssues(rule)) {
      context.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
    }
  });
export type CreateAlertRuleRequest = z.input<typeof CreateAlertRuleRequest>;
export type AlertRuleInput = z.output<typeof CreateAlertRuleRequest>;

export const UpdateAlertRuleRequest = z
  .object({
    ...RuleFields,
    rotateSecret: z.boolean().describe('A new webhook secret, shown once in the answer; the old one stops signing'),
  })
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'send at least one field to change');
export type UpdateAlertRuleRequest = z.input<typeof UpdateAlertRuleRequest>;
export type AlertRuleChange = z.output<typeof UpdateAlertRuleRequest>;

export const AlertRuleIdParams = z.object({ id: z.uuid() });

export const AlertRule = z.object({
  id: z.uuid(),
  name: z.string(),
  measure: AlertMeasure,
  scope: z.object({
    promptId: z.string().nullable(),
    version: z.number().int().nullable(),
    source: z.string().nullable(),
    model: z.string().nullable(),
  }),
  windowHours: z.number().int(),
  minCalls: z.number().int(),
  condition: AlertCondition,
  threshold: z.number().nullable(),
  builtin: z.string().nullable().describe('Set on the rules every project has; they can be edited or turned off'),
  enabled: z.boolean(),
  webhook: z
    .object({ url: z.string(), secretHint: z.string().describe('The secret masked: its last four characters') })
    .nullable(),
  openAlerts: z.number().int().describe('Alerts of this rule that fired and have not resolved'),
  createdBy: z.string().nullable().describe('Email of the member who created it; null for a built-in'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const SavedAlertRule = AlertRule.extend({
  webhookSecret: z
    .string()
    .nullable()
    .describe('Shown once, when a webhook is added or its secret rotated: verifies X-Promptlog-Signature'),
});
export type SavedAlertRule = z.infer<typeof SavedAlertRule>;

export const AlertRuleList = z.object({
  items: z.array(AlertRule).describe('Built-in rules first, then by name'),
  canManage: z.boolean().describe('Whether the caller may create, change and delete rules: admins'),
});
export type AlertRuleList = z.infer<typeof AlertRuleList>;

const Side = z.object({
  label: z.string().describe('"current window", "previous window", "version 3"…'),
  calls: z.number(),
  value: z.number().nullable(),
});

export const AlertNumbers = z.object({
  measure: AlertMeasure,
  condition: AlertCondition,
  current: Side,
  baseline: Side.nullable(),
  threshold: z.number().nullable(),
  difference: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable().describe('95% interval of the difference (current − baseline)'),
  pValue: z.number().nullable().describe('One-sided: the chance of a difference this worse if nothing changed'),
  from: z.string(),
  to: z.string(),
});
export type AlertNumbers = z.infer<typeof AlertNumbers>;

export const AlertEvent = z.object({
  id: z.uuid(),
  ruleId: z.uuid(),
  ruleName: z.string(),
  subject: z.string().describe('What fired: the rule scope, or one prompt (and version) of it'),
  firedAt: z.string(),
  resolvedAt: z.string().nullable(),
  numbers: AlertNumbers,
  link: z.string().describe('The Logs tab (or dashboard) filtered to the calls it is about, a path in this app'),
  unread: z.boolean(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const AlertEventsQuery = ProjectQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type AlertEventsQuery = z.output<typeof AlertEventsQuery>;

export const AlertEventPage = z.object({
  items: z.array(AlertEvent).describe('Newest first'),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int().describe("The caller's unread alerts in the project, at most 100 counted"),
});
export type AlertEventPage = z.infer<typeof AlertEventPage>;

export const MarkAlertsReadRequest = z.object({
  through: z.uuid().describe('Marks this alert and every older one read'),
});
export type MarkAlertsReadRequest = z.infer<typeof MarkAlertsReadRequest>;

export const AlertDelivery = z.object({
  id: z.uuid(),
  eventId: z.uuid().nullable(),
  kind: z.enum(['fired', 'resolved', 'test']),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  statusCode: z.number().int().nullable().describe("The receiver's last answer; null when none came"),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AlertDelivery = z.infer<typeof AlertDelivery>;

export const AlertDeliveryList = z.object({ items: z.array(AlertDelivery).describe('Newest first, the last 50') });
export type AlertDeliveryList = z.infer<typeof AlertDeliveryList>;
