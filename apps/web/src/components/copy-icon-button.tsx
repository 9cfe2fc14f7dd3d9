import { copyFeedback, useCopy } from './copy-button';

/** A compact copy button for beside a value: an icon whose accessible name says what it copies. */
export function CopyIconButton({ text, label }: { text: string; label: string }) {
  const { state, copy } = useCopy(text);

  return (
    <span className="copy-icon">
      <button type="button" className="icon-button" aria-label={label} title={label} data-state={state} onClick={copy}>
        {state === 'copied' ? (
          <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor">
            <path d="M3 8.5l3.2 3L13 4.5" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        ) : (
          <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor">
            <rect x="5.5" y="5.5" width="8" height="8.5" rx="1.5" strokeWidth="1.4" />
            <path
              d="M10.5 3.5V3a1.5 1.5 0 0 0-1.5-1.5H4A1.5 1.5 0 0 0 2.5 3v6A1.5 1.5 0 0 0 4 10.5h.5"
              strokeWidth="1.4"
            />
          </svg>
        )}
      </button>
      <span className={state === 'failed' ? 'copy-icon__failed' : 'visually-hidden'} aria-live="polite">
        {copyFeedback(state)}
      </span>
    </span>
  );
}
