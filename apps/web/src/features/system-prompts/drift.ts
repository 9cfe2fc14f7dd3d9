import type { SystemPromptItem, SystemPromptList } from '@promptlog/contracts';
import { formatCount, formatDateTime } from '../../lib/format';

/** A version label logged with more than one system prompt text. */
export type Drift = {
  version: number | null;
  /** "v3", or "Calls without a version". */
  label: string;
  distinctTexts: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Its texts the API listed, most called first. */
  texts: SystemPromptItem[];
};

export function versionLabel(version: number | null): string {
  return version === null ? 'Calls without a version' : `v${version}`;
}

/** Every version that drifted, newest first (the API's order). */
export function driftsOf(list: SystemPromptList): Drift[] {
  return list.versions
    .filter((version) => version.distinctTexts > 1)
    .map((version) => ({
      version: version.promptVersion,
      label: versionLabel(version.promptVersion),
      distinctTexts: version.distinctTexts,
      firstSeenAt: version.firstSeenAt,
      lastSeenAt: version.lastSeenAt,
      texts: textsOf(list, version.promptVersion),
    }));
}

export function textsOf(list: SystemPromptList, version: number | null): SystemPromptItem[] {
  return list.items.filter((item) => item.promptVersion === version);
}

/** "v3 was logged with 2 different system prompts" */
export function driftSentence(drift: Drift): string {
  const subject = drift.version === null ? 'Calls without a version were' : `${drift.label} was`;
  return `${subject} logged with ${formatCount(drift.distinctTexts)} different system prompts`;
}

const EXCERPT_CHARS = 60;

/** A text in one line, cut short: what a list or a picker names it by. */
export function excerpt(text: string | null): string {
  if (text === null) return 'text not kept';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `“${line.slice(0, EXCERPT_CHARS - 1)}…”` : `“${line}”`;
}

/** "3 calls, first seen 2 Nov 2026, 09:00:00, last seen 5 Nov 2026, 09:00:00" */
export function usageText(item: Pick<SystemPromptItem, 'calls' | 'firstSeenAt' | 'lastSeenAt'>): string {
  const calls = `${formatCount(item.calls)} ${item.calls === 1 ? 'call' : 'calls'}`;
  return `${calls}, first seen ${formatDateTime(item.firstSeenAt)}, last seen ${formatDateTime(item.lastSeenAt)}`;
}

/** What a picker offers for one text: its excerpt and when it was used. */
export function textOptionLabel(item: SystemPromptItem, index: number): string {
  return `#${index + 1} ${excerpt(item.text)} · ${usageText(item)}`;
}

/** The text a version is compared by: its most called one (the API lists them most called first). */
export function mainText(list: SystemPromptList, version: number): SystemPromptItem | null {
  return textsOf(list, version)[0] ?? null;
}

/** The URL's name for a version: its number, or "none" for calls without one. */
export function versionParam(version: number | null): string {
  return version === null ? 'none' : String(version);
}

/** The drift a `driftVersion` param names, or the newest one. */
export function chosenDrift(drifts: readonly Drift[], param: string | null): Drift | undefined {
  return drifts.find((drift) => versionParam(drift.version) === param) ?? drifts[0];
}

/**
 * The two texts of a drifted version to diff: those the URL names, else the one first used before the others
 * against the one first used last, so the diff reads as the change that happened.
 */
export function chosenTexts(
  texts: readonly SystemPromptItem[],
  a: string | null,
  b: string | null,
): [SystemPromptItem, SystemPromptItem] | null {
  const byFirstUse = [...texts].sort((x, y) => x.firstSeenAt.localeCompare(y.firstSeenAt));
  const first = byFirstUse[0];
  const last = byFirstUse.at(-1);
  if (!first || !last || first === last) return null;
  const find = (hash: string | null, fallback: SystemPromptItem) => texts.find((t) => t.hash === hash) ?? fallback;
  return [find(a, first), find(b, last)];
}
