import type { ConversationSummary, ExecutionListItem } from '@promptlog/contracts';

/** The prompts a conversation ran, for its "Show in Logs" links: the summary's, else those of the calls shown, sorted. */
export function threadPrompts(summary: ConversationSummary | null, calls: readonly ExecutionListItem[]): string[] {
  const prompts = summary ? summary.promptIds : calls.map((call) => call.promptId);
  return [...new Set(prompts)].sort();
}
