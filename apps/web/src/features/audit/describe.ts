import type { AuditAction, AuditEvent } from '@promptlog/contracts';
import { AUDIT_ACTIONS } from '@promptlog/contracts/rules';
import type { SearchPatch } from '../../lib/router';

/** Each action as the rest of a sentence that starts with who did it. */
export const ACTION_WORDS: Record<AuditAction, string> = {
  'api_key.created': 'created the API key',
  'api_key.revoked': 'revoked the API key',
  'member.invited': 'created an invite for',
  'invite.revoked': 'revoked the invite for',
  'member.joined': 'joined the project',
  'member.role_changed': 'changed the role of',
  'member.removed': 'removed',
  'prompt_access.granted': 'granted prompt access to',
  'prompt_access.revoked': 'revoked prompt access from',
  'settings.retention_changed': 'changed the retention',
  'settings.redaction_changed': 'changed the redaction rules',
  'settings.payload_policy_changed': 'changed the payload policy',
  'settings.renamed': 'renamed the project',
  'price.created': 'added a custom price for',
  'price.updated': 'changed the custom price for',
  'price.deleted': 'deleted a custom price for',
  'price.repricing_retried': 'retried the failed re-pricing of',
  'export.made': 'exported the executions of',
  'view.created': 'saved the view',
  'view.renamed': 'renamed the view',
  'view.updated': 'changed the view',
  'view.deleted': 'deleted the view',
  'alert_rule.created': 'created the alert rule',
  'alert_rule.updated': 'changed the alert rule',
  'alert_rule.deleted': 'deleted the alert rule',
  'review.saved': 'reviewed an execution of',
  'review.cleared': 'cleared the review of an execution of',
  'review_label.created': 'created the review label',
  'review_label.updated': 'changed the review label',
  'review_label.deleted': 'deleted the review label',
  'dataset.exported': 'exported a dataset of',
  'project.created': 'created the project',
  'setup.admin_created': 'created the first admin account',
};

/** The action filter's options: what happened, as a noun phrase. */
export const ACTION_NAMES: Record<AuditAction, string> = {
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'member.invited': 'Member invited',
  'invite.revoked': 'Invite revoked',
  'member.joined': 'Member joined',
  'member.role_changed': 'Role changed',
  'member.removed': 'Member removed',
  'prompt_access.granted': 'Prompt access granted',
  'prompt_access.revoked': 'Prompt access revoked',
  'settings.retention_changed': 'Retention changed',
  'settings.redaction_changed': 'Redaction changed',
  'settings.payload_policy_changed': 'Payload policy changed',
  'settings.renamed': 'Project renamed',
  'price.created': 'Price added',
  'price.updated': 'Price changed',
  'price.deleted': 'Price deleted',
  'price.repricing_retried': 'Re-pricing retried',
  'export.made': 'Export made',
  'view.created': 'View saved',
  'view.renamed': 'View renamed',
  'view.updated': 'View changed',
  'view.deleted': 'View deleted',
  'alert_rule.created': 'Alert rule created',
  'alert_rule.updated': 'Alert rule changed',
  'alert_rule.deleted': 'Alert rule deleted',
  'review.saved': 'Execution reviewed',
  'review.cleared': 'Review cleared',
  'review_label.created': 'Review label created',
  'review_label.updated': 'Review label changed',
  'review_label.deleted': 'Review label deleted',
  'dataset.exported': 'Dataset exported',
  'project.created': 'Project created',
  'setup.admin_created': 'First admin created',
};

/** A newer server may know actions this page does not; they read as their code rather than not at all. */
export function actionWords(action: string): string {
  const known = AUDIT_ACTIONS.find((candidate) => candidate === action);
  return known ? ACTION_WORDS[known] : action;
}

export function actorLabel(actor: AuditEvent['actor']): string {
  if (actor.kind === 'api_key') return `API key “${actor.label}”`;
  if (actor.kind === 'system') return actor.label || 'Promptlog';
  return actor.label;
}

function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One detail value in words: `{from, to}` as "a → b", lists joined, null as "none" (or "forever" for a retention). */
export function formatDetailValue(value: unknown, key = ''): string {
  if (value === null || value === undefined) return /retention/i.test(key) ? 'forever' : 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (Array.isArray(value))
    return value.length === 0 ? 'none' : value.map((item) => formatDetailValue(item)).join(', ');
  if (isRecord(value) && 'from' in value && 'to' in value) {
    return `${formatDetailValue(value.from, key)} → ${formatDetailValue(value.to, key)}`;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

type DetailLine = { label: string; value: string };

/** How an export's filters are named in words; the rest by their key. */
const FILTER_NAMES: Record<string, string> = { promptId: 'prompt', q: 'search', metadata: 'metadata' };
// The stored details are jsonb, which keeps no key order: the Logs tab's order, then any other filter, then time.
const FILTER_ORDER = [
  'promptId',
  'status',
  'source',
  'version',
  'model',
  'tag',
  'signal',
  'flagged',
  'reviewed',
  'rating',
  'label',
  'q',
  'metadata',
];
const LAST_FILTERS = ['from', 'to'];
const filterRank = (key: string) =>
  LAST_FILTERS.includes(key)
    ? FILTER_ORDER.length + 1 + LAST_FILTERS.indexOf(key)
    : FILTER_ORDER.includes(key)
      ? FILTER_ORDER.indexOf(key)
      : FILTER_ORDER.length;

function isEmptyFilter(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * The filters an export was made with, as "status: error, source: workflow": the values of one filter joined
 * with "or" (any of them matches), metadata as "key = value", a search quoted; "none" when it took everything.
 */
export function formatFilters(filters: Record<string, unknown>): string {
  const parts = Object.entries(filters)
    .filter(([, value]) => !isEmptyFilter(value))
    .sort(([a], [b]) => filterRank(a) - filterRank(b))
    .map(([key, value]) => {
      const name = FILTER_NAMES[key] ?? humanizeKey(key).toLowerCase();
      if (key === 'metadata' && Array.isArray(value)) {
        const entries = value.map((entry) =>
          isRecord(entry)
            ? `${formatDetailValue(entry.key)} = ${formatDetailValue(entry.value)}`
            : formatDetailValue(entry),
        );
        return `${name}: ${entries.join(' and ')}`;
      }
      if (key === 'q' && typeof value === 'string') return `${name}: “${value}”`;
      const values = Array.isArray(value) ? value : [value];
      return `${name}: ${values.map((item) => formatDetailValue(item)).join(' or ')}`;
    });
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/**
 * An event's details as labelled lines. A change is read as "before → after": either per setting, when
 * `from` and `to` hold the changed settings, or as one "Change" line when they hold single values.
 */
export function describeDetails(details: Record<string, unknown>): DetailLine[] {
  const { from, to, ...rest } = details;
  const lines: DetailLine[] = [];
  if (isRecord(from) && isRecord(to)) {
    for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
      lines.push({ label: humanizeKey(key), value: formatDetailValue({ from: from[key], to: to[key] }, key) });
    }
  } else if ('from' in details && 'to' in details) {
    lines.push({ label: 'Change', value: formatDetailValue({ from, to }) });
  } else {
    if ('from' in details) rest.from = from;
    if ('to' in details) rest.to = to;
  }
  for (const [key, value] of Object.entries(rest)) {
    const words = key === 'filters' && isRecord(value) ? formatFilters(value) : formatDetailValue(value, key);
    lines.push({ label: humanizeKey(key), value: words });
  }
  return lines;
}

export type AuditFilters = { action: AuditAction[]; actor: string; from: string; to: string };

export function parseAuditFilters(search: URLSearchParams): AuditFilters {
  const actions = new Set(search.getAll('action'));
  return {
    action: AUDIT_ACTIONS.filter((action) => actions.has(action)),
    actor: search.get('actor')?.trim() ?? '',
    from: validIso(search.get('from')),
    to: validIso(search.get('to')),
  };
}

function validIso(value: string | null): string {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : '';
}

export function auditFiltersPatch(filters: AuditFilters): SearchPatch {
  return { action: filters.action, actor: filters.actor || null, from: filters.from || null, to: filters.to || null };
}

export function hasAuditFilters(filters: AuditFilters): boolean {
  return filters.action.length > 0 || filters.actor !== '' || filters.from !== '' || filters.to !== '';
}

/** The query string for GET /api/v1/audit, without the project and the cursor. */
export function auditParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const action of filters.action) params.append('action', action);
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  return params;
}
