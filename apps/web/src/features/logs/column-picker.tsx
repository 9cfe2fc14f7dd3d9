import { useId } from 'react';
import { usePopover } from '../../components/popover';

type ColumnChoice = { id: string; label: string };

/** A "Columns" button opening checkboxes of the columns shown; the last one shown cannot be unchecked. */
export function ColumnPicker({
  columns,
  shown,
  onToggle,
}: {
  columns: readonly ColumnChoice[];
  shown: readonly string[];
  onToggle: (id: string, visible: boolean) => void;
}) {
  const { open, toggle, rootRef, buttonRef } = usePopover();
  const id = useId();
  const hidden = columns.length - shown.length;

  return (
    <div className="column-picker" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--secondary button--sm"
        aria-expanded={open}
        aria-controls={`${id}-columns`}
        aria-describedby={hidden > 0 ? `${id}-hidden` : undefined}
        onClick={toggle}
      >
        Columns
        {hidden > 0 && (
          <span id={`${id}-hidden`} className="column-picker__count">
            {' '}
            ({hidden} hidden)
          </span>
        )}
      </button>
      {open && (
        <fieldset id={`${id}-columns`} className="multi-select__popover column-picker__popover">
          <legend className="visually-hidden">Columns shown</legend>
          {columns.map((column) => {
            const checked = shown.includes(column.id);
            const last = checked && shown.length === 1;
            return (
              <label
                key={column.id}
                className="multi-select__option"
                title={last ? 'At least one column stays' : undefined}
              >
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={last}
                  onChange={(event) => onToggle(column.id, event.target.checked)}
                />
                {column.label}
              </label>
            );
          })}
        </fieldset>
      )}
    </div>
  );
}
