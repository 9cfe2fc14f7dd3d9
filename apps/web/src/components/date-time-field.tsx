import { useId, useRef, useState } from 'react';
import { formatDateTime, isoToLocalInput, localInputToIso, parseDateTimeInput } from '../lib/format';

const EXAMPLE = '23 Nov 2026, 13:05';

/**
 * A labelled local date and time that reads and writes ISO instants. It shows and takes the app's own format
 * ("23 Nov 2026, 13:05:09", as every table prints times), which a native datetime input cannot: that one follows the
 * browser's locale. Typed text applies on Enter or when the field is left; the button opens the browser's picker.
 */
export function DateTimeField({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  /** What an empty field means, or how the value is used. */
  hint?: string;
}) {
  const id = useId();
  const picker = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(() => shown(value));
  const [seen, setSeen] = useState(value);
  const [invalid, setInvalid] = useState(false);
  if (seen !== value) {
    setSeen(value);
    setText(shown(value));
    setInvalid(false);
  }

  const commit = () => {
    const parsed = parseDateTimeInput(text);
    setInvalid(parsed === null);
    if (parsed === null) return;
    if (parsed === value) setText(shown(value));
    else onChange(parsed);
  };

  const openPicker = () => {
    const input = picker.current;
    if (!input) return;
    try {
      input.showPicker();
    } catch {
      // Browsers without showPicker for this input type: the typed format still works.
      input.focus();
    }
  };

  return (
    <div className={['field', 'date-time-field', invalid ? 'field--invalid' : ''].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="date-time-field__control">
        <input
          id={id}
          type="text"
          className="field__input date-time-field__input"
          autoComplete="off"
          spellCheck={false}
          placeholder={`e.g. ${EXAMPLE}`}
          value={text}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : hint ? `${id}-hint` : undefined}
          onChange={(event) => setText(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            commit();
          }}
        />
        <button
          type="button"
          className="date-time-field__pick"
          aria-label={`${label}: pick a date`}
          title="Pick a date"
          onClick={openPicker}
        >
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <rect x="2" y="3" width="12" height="11" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <path d="M2 6.5h12M5 1.5v3M11 1.5v3" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
          </svg>
        </button>
        <input
          ref={picker}
          type="datetime-local"
          className="date-time-field__native"
          tabIndex={-1}
          aria-hidden="true"
          value={isoToLocalInput(value)}
          onChange={(event) => onChange(localInputToIso(event.target.value) ?? '')}
        />
      </div>
      {invalid ? (
        <p id={`${id}-error`} className="field__error">
          Enter a date and time such as {EXAMPLE}.
        </p>
      ) : (
        hint && (
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

function shown(iso: string): string {
  return iso ? formatDateTime(iso) : '';
}
