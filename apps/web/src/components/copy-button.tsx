import { useEffect, useState } from 'react';
import { Button } from './button';

export type CopyState = 'idle' | 'copied' | 'failed';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return copyWithSelection(text);
  }
}

// navigator.clipboard exists only in secure contexts; a server reached over plain http by IP needs this.
function copyWithSelection(text: string): boolean {
  const textarea = document.createElement('textarea');
  textarea.value = text;
  textarea.setAttribute('readonly', '');
  textarea.style.position = 'fixed';
  textarea.style.opacity = '0';
  document.body.append(textarea);
  textarea.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    textarea.remove();
  }
}

/** Copies `text` when asked; its state says how that went, for two seconds. */
export function useCopy(text: string): { state: CopyState; copy: () => Promise<void> } {
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  return { state, copy: async () => setState((await copyText(text)) ? 'copied' : 'failed') };
}

/** What a screen reader hears, and a failed copy shows, once a copy has run. */
export function copyFeedback(state: CopyState): string {
  return state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select the text and copy it' : '';
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { state, copy } = useCopy(text);
  return (
    <span className="copy">
      <Button variant="secondary" size="sm" onClick={copy}>
        {label}
      </Button>
      <span className="copy__feedback" aria-live="polite">
        {copyFeedback(state)}
      </span>
    </span>
  );
}
