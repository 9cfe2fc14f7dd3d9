import { useEffect, useId, useRef, useState } from 'react';

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
  const [open, setOpen] = useState(false);
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const summary =
    selected.length === 0
      ? 'All'
      : selected.length <= 2
        ? selected.map((value) => options.find((option) => option.value === value)?.label ?? value).join(', ')
        : `${selected.length} selected`;

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !rootRef.current?.contains(document.activeElement)) return;
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('keydown', onKeyDown, true);
    };
  }, [open]);

  const toggle = (value: string, checked: boolean) => {
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
        onClick={() => setOpen(!open)}
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
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
