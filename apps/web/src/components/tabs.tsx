import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

export type TabOption<Value extends string> = { value: Value; label: string };

type TabsProps<Value extends string> = {
  label: string;
  tabs: readonly TabOption<Value>[];
  selected: Value;
  onSelect: (value: Value) => void;
  children: ReactNode;
};

/** An ARIA tablist: arrow keys, Home and End move between tabs and select them; the panel shows the selected one. */
export function Tabs<Value extends string>({ label, tabs, selected, onSelect, children }: TabsProps<Value>) {
  const id = useId();
  const tabRefs = useRef(new Map<Value, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((candidate) => candidate.value === selected);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    const next = target === undefined ? undefined : tabs[target];
    if (!next) return;
    event.preventDefault();
    onSelect(next.value);
    tabRefs.current.get(next.value)?.focus();
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tabs__list" onKeyDown={onKeyDown}>
        {tabs.map((option) => (
          <button
            key={option.value}
            ref={(element) => {
              if (element) tabRefs.current.set(option.value, element);
              else tabRefs.current.delete(option.value);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${option.value}`}
            aria-controls={`${id}-panel-${option.value}`}
            aria-selected={selected === option.value}
            tabIndex={selected === option.value ? 0 : -1}
            className="tabs__tab"
            onClick={() => onSelect(option.value)}
          >
            {option.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-${selected}`}
        aria-labelledby={`${id}-tab-${selected}`}
        className="tabs__panel"
        tabIndex={-1}
      >
        {children}
      </div>
    </div>
  );
}
