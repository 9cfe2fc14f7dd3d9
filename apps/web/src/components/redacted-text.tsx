import { type ReactNode, useMemo } from 'react';
import { splitRedactions } from '../lib/redaction';

/** Logged text with every `[REDACTED:rule]` marker set apart; all of it stays text, never markup. */
export function RedactedText({ text }: { text: string }): ReactNode {
  const segments = useMemo(() => splitRedactions(text), [text]);
  if (segments.length === 1 && segments[0]?.type === 'text') return text;
  return segments.map((segment, index) =>
    segment.type === 'text' ? (
      segment.text
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their position
      <span key={index} className="redaction" title={`redacted by rule ${segment.rule}`}>
        {segment.text}
      </span>
    ),
  );
}
