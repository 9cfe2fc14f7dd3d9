import type { Member } from '@promptlog/contracts';

/** What a member's role and grants let them read, in the words of the members table. */
export function promptAccessSummary(member: Pick<Member, 'role' | 'promptAccess'>): string {
  if (member.role !== 'viewer') return `Every prompt (as ${member.role})`;
  const count = member.promptAccess.length;
  if (count === 0) return 'Analytics only';
  return count === 1 ? 'Logs of 1 prompt' : `Logs of ${count} prompts`;
}

/**
 * The prompts to offer in the access panel: the project's prompts, then any granted prompt the list
 * no longer holds, so a stale grant can still be revoked.
 */
export function accessChoices(promptIds: readonly string[], granted: readonly string[]): string[] {
  const known = new Set(promptIds);
  return [...promptIds, ...granted.filter((id) => !known.has(id)).sort()];
}

export function matchesPromptFilter(promptId: string, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || promptId.toLowerCase().includes(needle);
}
