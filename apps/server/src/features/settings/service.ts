import {
  type AuditAction,
  type ErrorIssue,
  ProjectSettings,
  type RedactionPreview,
  type RedactionSettings,
  type UpdateProjectSettings,
} from '@promptlog/contracts';
import { projects, type QueryRunner } from '@promptlog/db';
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors';
import { type AuditActor, recordAudit } from '../audit/service';
import { compileRedactor, redactionSettingsIssues } from '../redaction/redactor';

const SELECT_SETTINGS = `
select id as "projectId", name, retention_days as "retentionDays", rollup_retention_days as "rollupRetentionDays",
  payload_policy as "payloadPolicy", payload_sample_rate as "payloadSampleRate",
  json_build_object('builtins', redaction_builtins, 'custom', redaction_custom) as redaction
from projects where id = $1`;

export async function getProjectSettings(handle: QueryRunner, projectId: string): Promise<ProjectSettings> {
  return readSettings(handle, projectId, SELECT_SETTINGS);
}

async function readSettings(handle: QueryRunner, projectId: string, statement: string): Promise<ProjectSettings> {
  const [settings] = await handle.query(statement, [projectId], ProjectSettings);
  if (!settings) throw new AppError('not_found', `No project ${projectId}`);
  return settings;
}

/** Custom rules must compile as RE2 and must not match empty text; each problem names its field. */
export function assertValidRedaction(redaction: RedactionSettings): void {
  const issues: ErrorIssue[] = redactionSettingsIssues(redaction);
  const names = new Set<string>();
  redaction.custom.forEach((rule, index) => {
    if (names.has(rule.name))
      issues.push({ path: `redaction.custom.${index}.name`, message: 'is used by another rule' });
    names.add(rule.name);
  });
  if (issues.length) {
    throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
}

/** What rules would do to a sample text, without saving them. */
export function previewRedaction({
  redaction,
  text,
}: {
  redaction: RedactionSettings;
  text: string;
}): RedactionPreview {
  assertValidRedaction(redaction);
  const counts = {};
  return { text: compileRedactor(redaction).redactText(text, counts), counts };
}

type Change = UpdateProjectSettings;

/** Which audit action each setting's change is recorded as. */
const ACTION_OF: Record<keyof Change, AuditAction> = {
  name: 'settings.renamed',
  retentionDays: 'settings.retention_changed',
  rollupRetentionDays: 'settings.retention_changed',
  payloadPolicy: 'settings.payload_policy_changed',
  payloadSampleRate: 'settings.payload_policy_changed',
  redaction: 'settings.redaction_changed',
};

/** Applies the changed settings and records one audit event per kind of change, with before and after. */
export async function updateProjectSettings(
  handle: QueryRunner,
  projectId: string,
  change: Change,
  actor: AuditActor,
): Promise<ProjectSettings> {
  if (change.redaction) assertValidRedaction(change.redaction);
  return handle.transaction(async (tx) => {
    // Locked, so that of two changes at once the second records what the first left as its "before".
    const before = await readSettings(tx, projectId, `${SELECT_SETTINGS} for update`);
    await tx.db
      .update(projects)
      .set({
        name: change.name,
        retentionDays: change.retentionDays,
        rollupRetentionDays: change.rollupRetentionDays,
        payloadPolicy: change.payloadPolicy,
        payloadSampleRate: change.payloadSampleRate,
        redactionBuiltins: change.redaction?.builtins,
        redactionCustom: change.redaction?.custom,
      })
      .where(eq(projects.id, projectId));
    const byAction = new Map<AuditAction, { from: Record<string, unknown>; to: Record<string, unknown> }>();
    for (const key of Object.keys(change) as (keyof Change)[]) {
      if (JSON.stringify(before[key]) === JSON.stringify(change[key])) continue;
      const action = ACTION_OF[key];
      const entry = byAction.get(action) ?? { from: {}, to: {} };
      entry.from[key] = before[key];
      entry.to[key] = change[key];
      byAction.set(action, entry);
    }
    for (const [action, details] of byAction) {
      await recordAudit(tx.db, projectId, { action, actor, target: before.name, details });
    }
    return getProjectSettings(tx, projectId);
  });
}
