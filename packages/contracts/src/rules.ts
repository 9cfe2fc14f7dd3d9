// Plain values and types the server and the web app share, without zod: the web app's main bundle imports this
// entry (`@promptlog/contracts/rules`) and stays free of the schema library. The zod contracts build on these, and
// export the matching types (ExecutionStatus, SourceType, …), which a type-only import takes without zod.

export const EXECUTION_STATUSES = ['success', 'error', 'cancelled', 'pending'] as const;

export const SOURCE_TYPES = ['chat', 'workflow', 'api', 'playground', 'project_tool', 'mcp'] as const;

/** What the executions list may be ordered by, each either way; `time_desc` (most recent first) when none is given. */
export const EXECUTION_SORT_KEYS = ['time', 'latency', 'cost', 'tokens'] as const;
export const EXECUTION_SORTS = [
  'time_desc',
  'time_asc',
  'latency_desc',
  'latency_asc',
  'cost_desc',
  'cost_asc',
  'tokens_desc',
  'tokens_asc',
] as const;
export const DEFAULT_EXECUTION_SORT = 'time_desc';

export const ERROR_TYPES = [
  'authentication',
  'validation',
  'rate_limit',
  'timeout',
  'provider',
  'cancelled',
  'other',
] as const;

/** An execution's finish reason, normalised across providers (docs/signals.md). */
export const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'other'] as const;

/** The output signals the Logs tab filters by (`signal=`), each a problem flag computed at ingestion. */
export const OUTPUT_SIGNALS = ['refusal', 'truncated', 'empty', 'json_invalid', 'injection'] as const;

export const OUTPUT_SIGNAL_LABELS: Record<(typeof OUTPUT_SIGNALS)[number], string> = {
  refusal: 'Refusal',
  truncated: 'Truncated',
  empty: 'Empty',
  json_invalid: 'JSON invalid',
  injection: 'Injection suspected',
};

/** A reviewer's verdict on one execution: thumbs up or down. */
export const REVIEW_RATINGS = ['up', 'down'] as const;

export const REVIEW_RATING_LABELS: Record<(typeof REVIEW_RATINGS)[number], string> = {
  up: 'Thumbs up',
  down: 'Thumbs down',
};

/** The palette review labels are coloured from; the web app maps each to readable colours in both themes. */
export const REVIEW_LABEL_COLORS = [
  'gray',
  'red',
  'orange',
  'green',
  'cyan',
  'indigo',
  'violet',
  'purple',
  'pink',
] as const;

/** The Logs tab's "reviewed" filter: `reviewed=true` for executions with a review, `false` for those without. */
export const REVIEWED_FILTER_VALUES = ['true', 'false'] as const;

/** The dataset export's formats: one JSON object per line, or a spreadsheet's CSV. */
export const DATASET_FORMATS = ['jsonl', 'csv'] as const;

export const COST_ORIGINS = ['provided', 'catalog', 'custom', 'none'] as const;

export const TRIGGERS = ['auto', 'user', 'admin'] as const;

export const PROJECT_ROLES = ['viewer', 'editor', 'admin'] as const;

/** What each role may do, in words the UI and the API errors share. */
export const ROLE_DESCRIPTIONS: Record<(typeof PROJECT_ROLES)[number], string> = {
  viewer: 'sees analytics and the dashboard; sees the logs only of prompts they are granted',
  editor: "sees every prompt's logs, inputs and outputs",
  admin: 'also manages members, API keys, prices, redaction, retention and the audit log',
};

export const API_KEY_SCOPES = ['ingest', 'read'] as const;

export const SCOPE_DESCRIPTIONS: Record<(typeof API_KEY_SCOPES)[number], string> = {
  ingest: 'log and complete executions',
  read: 'list and read executions, prompts, analytics and prices',
};

export const BUILTIN_REDACTION_RULES = ['api_key', 'bearer_token', 'url_password', 'card_number'] as const;

export const BUILTIN_REDACTION_DESCRIPTIONS: Record<(typeof BUILTIN_REDACTION_RULES)[number], string> = {
  api_key:
    'Provider API keys: OpenAI and Anthropic sk-…, Google AIza…, AWS AKIA…, GitHub, Slack, Stripe, Hugging Face and others',
  bearer_token: 'Bearer tokens, as in an Authorization header',
  url_password:
    'Passwords and tokens in URLs: postgres://user:password@host, and parameters such as ?password=, &access_token= or a signed link’s &sig=',
  card_number: 'Payment card numbers: the prefix and length a card issuer uses, and a valid Luhn check digit',
};

export const PAYLOAD_POLICIES = ['all', 'errors_and_sampled', 'metadata_only'] as const;

export const PAYLOAD_POLICY_DESCRIPTIONS: Record<(typeof PAYLOAD_POLICIES)[number], string> = {
  all: 'Store inputs, output, errors and tool calls of every execution',
  errors_and_sampled: 'Store payloads of every failed execution and of a sampled fraction of the others',
  metadata_only: 'Store no payloads: only model, tokens, cost, latency, status, source and version',
};

export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'member.invited',
  'invite.revoked',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'prompt_access.granted',
  'prompt_access.revoked',
  'settings.retention_changed',
  'settings.redaction_changed',
  'settings.payload_policy_changed',
  'settings.renamed',
  'price.created',
  'price.updated',
  'price.deleted',
  'price.repricing_retried',
  'export.made',
  'view.created',
  'view.renamed',
  'view.updated',
  'view.deleted',
  'alert_rule.created',
  'alert_rule.updated',
  'alert_rule.deleted',
  'review.saved',
  'review.cleared',
  'review_label.created',
  'review_label.updated',
  'review_label.deleted',
  'dataset.exported',
  'project.created',
  'setup.admin_created',
] as const;

/**
 * What an alert rule can watch, read from the rollups (features/alerts/measures.ts says how): each one's label and the
 * unit its threshold and numbers are in.
 */
export const ALERT_MEASURES = [
  'calls',
  'error_rate',
  'refusal_rate',
  'truncation_rate',
  'json_invalid_rate',
  'p95_latency',
  'cost_per_call',
] as const;
export type AlertMeasureKey = (typeof ALERT_MEASURES)[number];
export const ALERT_MEASURE_INFO: Record<AlertMeasureKey, { label: string; unit: 'count' | 'rate' | 'ms' | 'usd' }> = {
  calls: { label: 'Calls', unit: 'count' },
  error_rate: { label: 'Error rate', unit: 'rate' },
  refusal_rate: { label: 'Refusal rate', unit: 'rate' },
  truncation_rate: { label: 'Truncation rate', unit: 'rate' },
  json_invalid_rate: { label: 'JSON-invalid rate', unit: 'rate' },
  p95_latency: { label: 'p95 latency', unit: 'ms' },
  cost_per_call: { label: 'Cost per call', unit: 'usd' },
};

export const ALERT_CONDITIONS = [
  'above_threshold',
  'worse_than_previous_window',
  'worse_than_previous_version',
] as const;
export type AlertConditionKey = (typeof ALERT_CONDITIONS)[number];
export const ALERT_CONDITION_LABELS: Record<AlertConditionKey, string> = {
  above_threshold: 'Above a threshold',
  worse_than_previous_window: 'Significantly worse than the previous window',
  worse_than_previous_version: 'Significantly worse than the previous version of the prompt',
};

/** New passwords: the first admin's, an invited member's, a changed one. */
export const PASSWORD_LENGTH = { min: 10, max: 200 } as const;

/** A custom redaction rule's name, shown in stored text as [REDACTED:<name>]. */
export const REDACTION_RULE_NAME = {
  pattern: /^[a-z][a-z0-9_]{0,39}$/,
  message: 'must be 1–40 lowercase letters, digits or _, starting with a letter',
} as const;

/** `error.code` of every error body the API answers with, and the HTTP status it comes with. */
export const ERROR_STATUS = {
  validation_failed: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  setup_complete: 409,
  csrf_failed: 403,
  too_many_attempts: 429,
  last_admin: 409,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
type SourceType = (typeof SOURCE_TYPES)[number];

/** The data of one `execution` message on GET /api/v1/executions/events (server-sent events). */
export interface ExecutionEventData {
  type: 'created' | 'completed';
  id: string;
  promptId: string;
  status: ExecutionStatus;
  source: SourceType;
  version: number | null;
  model: string;
  tags: string[];
  /** The conversation the call is a turn of, so a list filtered to conversations can tell whether it belongs. */
  conversationId: string | null;
}

/** The data of a `resync` message: events may have been missed, so read the list again. */
export interface ResyncEventData {
  reason: 'unknown-id' | 'expired' | 'interrupted';
}

/**
 * The Logs tab's search params a saved view keeps, besides `meta.<key>` (a metadata filter). The open execution,
 * the tab, the project and the view's own `view` param are where the reader is, not what the view shows.
 */
export const VIEW_PARAMS = [
  'cols',
  'conversation',
  'from',
  'label',
  'model',
  'q',
  'range',
  'rating',
  'reviewed',
  'signal',
  'sort',
  'source',
  'status',
  'tag',
  'to',
  'version',
] as const;
export const VIEW_META_PREFIX = 'meta.';

/** Whether a search param is one a saved view keeps. */
export function isViewParam(name: string): boolean {
  if (name.startsWith(VIEW_META_PREFIX)) return name.length > VIEW_META_PREFIX.length;
  return (VIEW_PARAMS as readonly string[]).includes(name);
}
