import type { AlertNumbers, AlertRule, CreateAlertRuleRequest } from '@promptlog/contracts';
import {
  ALERT_MEASURE_INFO,
  type AlertConditionKey,
  type AlertMeasureKey,
  SOURCE_TYPES,
} from '@promptlog/contracts/rules';
import { formatCost, formatCount, formatLatency, formatPercent } from '../../lib/format';

/** A value in its measure's unit, as people read it. */
export function formatMeasure(measure: AlertMeasureKey, value: number | null): string {
  if (value === null) return '—';
  switch (ALERT_MEASURE_INFO[measure].unit) {
    case 'rate':
      return formatPercent(value);
    case 'ms':
      return formatLatency(value);
    case 'usd':
      return formatCost(value.toFixed(6));
    default:
      return formatCount(value);
  }
}

/** A difference with its sign: "+12%" points, "+340 ms". */
export function formatDifference(measure: AlertMeasureKey, value: number): string {
  const sign = value < 0 ? '−' : '+';
  const magnitude = Math.abs(value);
  return ALERT_MEASURE_INFO[measure].unit === 'rate'
    ? `${sign}${(magnitude * 100).toFixed(1).replace(/\.0$/, '')} points`
    : `${sign}${formatMeasure(measure, magnitude)}`;
}

/** The numbers that fired an alert, in one sentence. */
export function describeNumbers(numbers: AlertNumbers): string {
  const { measure, current, baseline } = numbers;
  const label = ALERT_MEASURE_INFO[measure].label;
  const now = `${label} ${formatMeasure(measure, current.value)} over ${formatCount(current.calls)} calls (${current.label})`;
  if (numbers.threshold !== null && baseline === null) {
    return `${now}, above the threshold of ${formatMeasure(measure, numbers.threshold)}.`;
  }
  if (!baseline) return `${now}.`;
  const against = `against ${formatMeasure(measure, baseline.value)} over ${formatCount(baseline.calls)} calls (${baseline.label})`;
  const interval = numbers.ci
    ? `; 95% interval of the difference ${formatDifference(measure, numbers.ci[0])} to ${formatDifference(measure, numbers.ci[1])}`
    : '';
  const p = numbers.pValue === null ? '' : `, p = ${numbers.pValue < 0.0001 ? '<0.0001' : numbers.pValue.toFixed(4)}`;
  return `${now} ${against}${interval}${p}.`;
}

export function describeScope(scope: AlertRule['scope']): string {
  const parts = [
    scope.promptId !== null ? `prompt ${scope.promptId}` : null,
    scope.version !== null ? `version ${scope.version}` : null,
    scope.source !== null ? `source ${scope.source}` : null,
    scope.model !== null ? `model ${scope.model}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'All calls';
}

/** The rule form's fields, as typed. */
export interface RuleForm {
  name: string;
  measure: AlertMeasureKey;
  condition: AlertConditionKey;
  /** In the unit people type: a percentage for rates, ms, USD, calls. */
  threshold: string;
  windowHours: string;
  minCalls: string;
  promptId: string;
  version: string;
  source: string;
  model: string;
  webhookUrl: string;
  enabled: boolean;
}

export const RULE_FIELDS = [
  'name',
  'measure',
  'condition',
  'threshold',
  'windowHours',
  'minCalls',
  'promptId',
  'version',
  'source',
  'model',
  'webhookUrl',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export const EMPTY_RULE_FORM: RuleForm = {
  name: '',
  measure: 'error_rate',
  condition: 'above_threshold',
  threshold: '',
  windowHours: '1',
  minCalls: '50',
  promptId: '',
  version: '',
  source: '',
  model: '',
  webhookUrl: '',
  enabled: true,
};

export function ruleToForm(rule: AlertRule): RuleForm {
  const rate = ALERT_MEASURE_INFO[rule.measure].unit === 'rate';
  return {
    name: rule.name,
    measure: rule.measure,
    condition: rule.condition,
    threshold: rule.threshold === null ? '' : String(rate ? Math.round(rule.threshold * 10000) / 100 : rule.threshold),
    windowHours: String(rule.windowHours),
    minCalls: String(rule.minCalls),
    promptId: rule.scope.promptId ?? '',
    version: rule.scope.version === null ? '' : String(rule.scope.version),
    source: rule.scope.source ?? '',
    model: rule.scope.model ?? '',
    webhookUrl: rule.webhook?.url ?? '',
    enabled: rule.enabled,
  };
}

const wholeNumber = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);

/** What is wrong with the form, by field, in the words shown under each; empty when it may be sent. */
export function validateRuleForm(form: RuleForm): Partial<Record<RuleField, string>> {
  const errors: Partial<Record<RuleField, string>> = {};
  if (form.name.trim() === '') errors.name = 'Name the rule after what it watches.';
  else if (form.name.trim().length > 100) errors.name = 'Keep the name to 100 characters.';
  const unit = ALERT_MEASURE_INFO[form.measure].unit;
  if (form.condition === 'above_threshold') {
    const threshold = Number(form.threshold.trim());
    if (form.threshold.trim() === '' || !Number.isFinite(threshold) || threshold < 0) {
      errors.threshold = 'Enter a number of 0 or more.';
    } else if (unit === 'rate' && threshold > 100) {
      errors.threshold = 'A rate is a percentage, at most 100.';
    }
  } else if (form.measure === 'calls') {
    errors.condition = 'Calls can only be compared with a threshold.';
  }
  const window = wholeNumber(form.windowHours);
  if (window === null || window < 1 || window > 720) errors.windowHours = 'Enter whole hours from 1 to 720.';
  const minCalls = wholeNumber(form.minCalls);
  if (minCalls === null || minCalls < 1 || minCalls > 1_000_000) errors.minCalls = 'Enter a whole number from 1.';
  if (form.version.trim() !== '') {
    const version = wholeNumber(form.version);
    if (version === null || version < 1) errors.version = 'Enter a version number, or leave it empty.';
    else if (form.promptId.trim() === '') errors.promptId = 'A version belongs to a prompt: name the prompt too.';
    else if (form.condition === 'worse_than_previous_version') {
      errors.version = 'Leave empty: the newest version is compared with the one before it.';
    }
  }
  if (form.source !== '' && !(SOURCE_TYPES as readonly string[]).includes(form.source)) {
    errors.source = 'Choose a source.';
  }
  if (form.webhookUrl.trim() !== '' && !/^https?:\/\/[^\s/]+/i.test(form.webhookUrl.trim())) {
    errors.webhookUrl = 'Enter an http:// or https:// URL, or leave it empty.';
  }
  return errors;
}

/** The API request for a valid form. */
export function formToRequest(form: RuleForm): CreateAlertRuleRequest {
  const rate = ALERT_MEASURE_INFO[form.measure].unit === 'rate';
  const threshold = form.condition === 'above_threshold' ? Number(form.threshold.trim()) : null;
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  return {
    name: form.name.trim(),
    measure: form.measure,
    condition: form.condition,
    threshold: threshold === null ? null : rate ? threshold / 100 : threshold,
    windowHours: Number(form.windowHours.trim()),
    minCalls: Number(form.minCalls.trim()),
    scope: {
      promptId: orNull(form.promptId),
      version: form.version.trim() === '' ? null : Number(form.version.trim()),
      source: SOURCE_TYPES.find((source) => source === form.source) ?? null,
      model: orNull(form.model),
    },
    enabled: form.enabled,
    webhookUrl: orNull(form.webhookUrl),
  };
}
