import type { ProjectRole } from '@promptlog/contracts';
import { ROLE_DESCRIPTIONS } from '@promptlog/contracts/rules';

/** "A viewer sees analytics…", "An admin also manages…": the shared role description as a sentence. */
export function roleSentence(role: ProjectRole): string {
  return `${role === 'viewer' ? 'A' : 'An'} ${role} ${ROLE_DESCRIPTIONS[role]}.`;
}
