import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { listboxKey } from '../lib/listbox-keys';

export type SelectMenuOption = { value: string; label: string; detail?: string };

type SelectMenuProps = {
  label: string;
  options: readonly SelectMenuOption[];
  value: string;
  onChange: (value: string) => void;
  className?: string;
};

/**
 * A select-only combobox (WAI-ARIA APG) for a choice that takes the user elsewhere: unlike a native select,
 * arrow keys only look through the options, so nothing happens until Enter, Space or a click chooses one.
 */
export function SelectMenu({ label, options, value, onChange, className }: SelectMenuProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const selected = Math.max(
    0,
    options.findIndex((option) => option.value === value),
  );
  const current = options[selected];
  const optionId = (index: number) => `${id}-option-${index}`;

  useEffect(() => {
    if (open) listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [open, active]);

  const show = (index: number) => {
    setActive(index);
    setOpen(true);
  };
  const choose = (index: number) => {
    setOpen(false);
    const option = options[index];
    if (option && option.value !== value) onChange(option.value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = listboxKey(
      { open, active, selected, labels: options.map((option) => option.label) },
      { key: event.key, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey },
    );
    if (!action) return;
    event.preventDefault();
    if (action.type === 'open' || action.type === 'move') show(action.active);
    else if (action.type === 'choose') choose(action.index);
    else setOpen(false);
  };

  return (
    <div className={['select-menu', className ?? ''].filter(Boolean).join(' ')}>
      <span id={`${id}-label`} className="visually-hidden">
        {label}
      </span>
      <div
        role="combobox"
        tabIndex={0}
        className="select-menu__button"
        aria-labelledby={`${id}-label`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={`${id}-listbox`}
        aria-activedescendant={open ? optionId(active) : undefined}
        title={current ? optionText(current) : undefined}
        onClick={() => (open ? setOpen(false) : show(selected))}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      >
        {current && <OptionContent option={current} />}
        <span className="select-menu__chevron" aria-hidden="true">
          ▾
        </span>
      </div>
      <div
        ref={listRef}
        role="listbox"
        id={`${id}-listbox`}
        aria-labelledby={`${id}-label`}
        className="select-menu__list"
        hidden={!open}
        // Keeps the focus on the combobox, so choosing with the pointer does not first close the list on blur.
        onMouseDown={(event) => event.preventDefault()}
      >
        {options.map((option, index) => (
          <div
            key={option.value}
            id={optionId(index)}
            data-index={index}
            role="option"
            aria-label={optionText(option)}
            tabIndex={-1}
            aria-selected={index === selected}
            className={`select-menu__option${index === active ? ' select-menu__option--active' : ''}`}
            onClick={() => choose(index)}
            onKeyDown={onKeyDown}
            onMouseMove={() => setActive(index)}
          >
            <OptionContent option={option} />
            {index === selected && (
              <span className="select-menu__check" aria-hidden="true">
                ✓
              </span>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

function optionText(option: SelectMenuOption): string {
  return option.detail ? `${option.label}, ${option.detail}` : option.label;
}

function OptionContent({ option }: { option: SelectMenuOption }) {
  return (
    <span className="select-menu__content">
      <span className="select-menu__label">{option.label}</span>
      {option.detail && (
        <>
          <span className="visually-hidden">, </span>
          <span className="role-tag">{option.detail}</span>
        </>
      )}
    </span>
  );
}
