import type { ReactNode } from 'react';

type ChoiceProps = {
  type: 'checkbox' | 'radio';
  name?: string;
  value?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  title: ReactNode;
  titleClassName?: string;
  description?: ReactNode;
};

/** A checkbox or radio whose label holds a title and, optionally, a description under it. */
export function Choice({ type, name, value, checked, onChange, title, titleClassName, description }: ChoiceProps) {
  return (
    <label className="choice">
      <input
        type={type}
        name={name}
        value={value}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="choice__text">
        <span className={titleClassName ? `choice__label ${titleClassName}` : 'choice__label'}>{title}</span>
        {description ? <span className="choice__description">{description}</span> : null}
      </span>
    </label>
  );
}
