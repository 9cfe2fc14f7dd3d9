import { useId } from 'react';
import { usePopover } from './popover';

type Option = { value: string; label: string };

type MultiSelectProps = {
  label: string;
  options: readonly Option[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  emptyText?: string;
};

/** A labelled button that opens a group of checkboxes; its description says what is chosen. */
export function MultiSelect({ label, options, selected, onChange, emptyText = 'No options' }: MultiSelectProps) {
  const { open, toggle, rootRef, buttonRef } = usePopover();
  const id = useId();
  const summary =
    selected.length === 0
      ? 'All'
      : selected.length <= 2
        ? selected.map((value) => options.find((option) => option.value === value)?.label ?? value).join(', ')
        : `${selected.length} selected`;

  const setChecked = (value: string, checked: boolean) => {
    const next = checked ? [...selected, value] : selected.filter((item) => item !== value);
    onChange(options.map((option) => option.value).filter((option) => next.includes(option)));
  };

  return (
    <div className="field multi-select" ref={rootRef}>
      <span className="field__label" id={`${id}-label`}>
        {label}
      </span>
      <button
        ref={buttonRef}
        type="button"
        className={`field__input multi-select__button${selected.length > 0 ? ' multi-select__button--active' : ''}`}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-summary`}
        aria-expanded={open}
        aria-controls={`${id}-options`}
        onClick={toggle}
      >
        <span id={`${id}-summary`} className="multi-select__summary">
          {summary}
        </span>
        <span className="multi-select__chevron" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <fieldset id={`${id}-options`} className="multi-select__popover">
          <legend className="visually-hidden">{label}</legend>
          {options.length === 0 && <p className="muted">{emptyText}</p>}
          {options.map((option) => (
            <label key={option.value} className="multi-select__option">
              <input
                type="checkbox"
                checked={selected.includes(option.value)}
                onChange={(event) => setChecked(option.value, event.target.checked)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
