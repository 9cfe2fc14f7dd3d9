import type { SampleText, VersionSamples } from '@promptlog/contracts';
import { formatCount } from '../../lib/format';

const SUMMARY_KEYS = 3;
const SUMMARY_VALUE_CHARS = 80;
const SUMMARY_RAW_CHARS = 240;

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shared inputs in a line: the first few `key: value`s, or the start of the JSON text when it was cut. */
export function inputsSummary(inputs: SampleText | null): string {
  if (inputs === null) return 'Inputs not kept (the payload policy stored only metadata)';
  let parsed: unknown;
  try {
    parsed = inputs.truncated ? undefined : JSON.parse(inputs.text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) return cut(inputs.text, SUMMARY_RAW_CHARS);
  const entries = Object.entries(parsed);
  const shown = entries.slice(0, SUMMARY_KEYS).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `${key}: ${cut(text, SUMMARY_VALUE_CHARS)}`;
  });
  const more = entries.length - shown.length;
  return more > 0 ? `${shown.join(' · ')} · +${more} more` : shown.join(' · ');
}

/** How far back the pairs were looked for: each version's latest calls, up to the scan limit. */
function scannedText(samples: VersionSamples, a: number, b: number): string {
  const { scanned, scanLimit } = samples;
  if (scanned.a === scanLimit && scanned.b === scanLimit) return `the last ${formatCount(scanLimit)} of each`;
  return `the last ${formatCount(scanned.a)} of v${a} and ${formatCount(scanned.b)} of v${b} with inputs`;
}

/** The sentence above the pairs, or the empty state's when there are none. */
export function samplesNote(samples: VersionSamples, a: number, b: number): string {
  const among = scannedText(samples, a, b);
  if (samples.pairs.length === 0) return `No calls of v${a} and v${b} had the same inputs among ${among}.`;
  const pairs = samples.pairs.length === 1 ? 'one pair' : `${samples.pairs.length} pairs`;
  return `The latest call of each version for the same inputs, newest first: ${pairs} among ${among} in this window.`;
}
