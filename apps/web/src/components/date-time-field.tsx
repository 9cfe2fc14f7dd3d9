import { useId } from 'react';
import { isoToLocalInput, localInputToIso } from '../lib/format';

/** A labelled local date-and-time input that reads and writes ISO instants. */
export function DateTimeField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="datetime-local"
        className="field__input"
        value={isoToLocalInput(value)}
        onChange={(event) => onChange(localInputToIso(event.target.value) ?? '')}
      />
    </div>
  );
}
