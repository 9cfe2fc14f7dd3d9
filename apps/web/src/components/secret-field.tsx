import { useId } from 'react';
import { CopyButton } from './copy-button';

/** A secret shown once (an API key, an invite link): read-only, selected on focus, with a copy button. */
export function SecretField({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="secret">
        <input
          id={id}
          className="field__input secret__value"
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={value} label={copyLabel} />
      </div>
    </div>
  );
}
