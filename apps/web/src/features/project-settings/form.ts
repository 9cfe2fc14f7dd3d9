import type { CustomRedactionRule, ErrorIssue } from '@promptlog/contracts';
import { BUILTIN_REDACTION_RULES, REDACTION_RULE_NAME } from '@promptlog/contracts/rules';
import { isApiError } from '../../lib/api-client';

export const MAX_RETENTION_DAYS = 36_500;

/** A retention setting as the form holds it: the radio choice and the typed number of days. */
export type RetentionForm = { forever: boolean; days: string };

export function retentionToForm(days: number | null, suggested: number): RetentionForm {
  return days === null ? { forever: true, days: String(suggested) } : { forever: false, days: String(days) };
}

export function parseRetention(form: RetentionForm): { ok: true; value: number | null } | { ok: false; error: string } {
  if (form.forever) return { ok: true, value: null };
  const text = form.days.trim();
  const days = Number(text);
  if (text === '' || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    return {
      ok: false,
      error: `Enter a whole number of days from 1 to ${MAX_RETENTION_DAYS.toLocaleString('en-US')}.`,
    };
  }
  return { ok: true, value: days };
}

/** The sample rate is a fraction for the API and a percentage on screen. */
export function rateToPercent(rate: number): string {
  return String(Math.round(rate * 10_000) / 100);
}

export function parsePercent(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const percent = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    return { ok: false, error: 'Enter a percentage from 0 to 100.' };
  }
  return { ok: true, value: Math.round(percent * 100) / 10_000 };
}

const RULE_FIELDS = ['name', 'pattern', 'caseInsensitive'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleErrors = Record<number, Partial<Record<RuleField, string>>>;

/** What the browser can tell before asking the server; RE2 syntax is the server's to judge. */
export function validateCustomRules(rules: readonly CustomRedactionRule[]): RuleErrors {
  const errors: RuleErrors = {};
  const set = (index: number, field: RuleField, message: string) => {
    errors[index] = { ...errors[index], [field]: errors[index]?.[field] ?? message };
  };
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (!REDACTION_RULE_NAME.pattern.test(rule.name)) {
      set(index, 'name', 'Use 1–40 lowercase letters, digits or _, starting with a letter.');
    } else if ((BUILTIN_REDACTION_RULES as readonly string[]).includes(rule.name)) {
      set(index, 'name', `“${rule.name}” is the name of a built-in rule; choose another.`);
    } else if (seen.has(rule.name)) {
      set(index, 'name', 'Another rule has this name.');
    }
    seen.add(rule.name);
    if (rule.pattern === '') set(index, 'pattern', 'Enter a regular expression.');
    else if (rule.pattern.length > 500) set(index, 'pattern', 'Keep the pattern under 500 characters.');
  });
  return errors;
}

/**
 * Splits an error's issues into those of the custom rules (paths like "redaction.custom.2.pattern",
 * "body.redaction.custom.2.pattern" or "/redaction/custom/2/pattern") and the rest.
 */
export function customRuleIssues(error: unknown): { byRule: RuleErrors; other: ErrorIssue[] } {
  const byRule: RuleErrors = {};
  const other: ErrorIssue[] = [];
  if (!isApiError(error)) return { byRule, other };
  for (const issue of error.issues) {
    const match = /(?:^|[./])custom[./](\d+)[./](name|pattern|caseInsensitive)$/.exec(issue.path);
    const index = Number(match?.[1]);
    const field = RULE_FIELDS.find((candidate) => candidate === match?.[2]);
    if (match && field && byRule[index]?.[field] === undefined) {
      byRule[index] = { ...byRule[index], [field]: sentenceCase(issue.message) };
    } else if (!match) {
      other.push(issue);
    }
  }
  return { byRule, other };
}

export function hasRuleErrors(errors: RuleErrors): boolean {
  return Object.values(errors).some((fields) => Object.values(fields).some(Boolean));
}

function sentenceCase(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
