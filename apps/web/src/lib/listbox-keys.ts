/** What a key does to a select-only combobox (WAI-ARIA APG): open it, move the active option, choose, close. */
export type ListboxAction =
  | { type: 'open'; active: number }
  | { type: 'move'; active: number }
  | { type: 'choose'; index: number }
  | { type: 'close' };

export type ListboxState = { open: boolean; active: number; selected: number; labels: readonly string[] };
export type ListboxKey = { key: string; altKey?: boolean; ctrlKey?: boolean; metaKey?: boolean };

const PAGE = 10;

/**
 * Pure: the action for one key press, or null to leave the key to the browser (Tab moves on and the
 * blur closes the list). Arrows only move while the list is open, so looking through the options
 * never chooses one; Enter or Space does.
 */
export function listboxKey(state: ListboxState, event: ListboxKey): ListboxAction | null {
  const { open, active, selected, labels } = state;
  const last = labels.length - 1;
  if (last < 0 || event.ctrlKey || event.metaKey) return null;
  const clamp = (index: number) => Math.min(Math.max(index, 0), last);

  if (!open) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
      case 'Enter':
      case ' ':
        return { type: 'open', active: clamp(selected) };
      case 'Home':
        return { type: 'open', active: 0 };
      case 'End':
        return { type: 'open', active: last };
    }
    const match = typeahead(labels, selected, event.key);
    return match === null ? null : { type: 'open', active: match };
  }

  switch (event.key) {
    case 'ArrowDown':
      return { type: 'move', active: clamp(active + 1) };
    case 'ArrowUp':
      return event.altKey ? { type: 'choose', index: clamp(active) } : { type: 'move', active: clamp(active - 1) };
    case 'Home':
      return { type: 'move', active: 0 };
    case 'End':
      return { type: 'move', active: last };
    case 'PageDown':
      return { type: 'move', active: clamp(active + PAGE) };
    case 'PageUp':
      return { type: 'move', active: clamp(active - PAGE) };
    case 'Enter':
    case ' ':
      return { type: 'choose', index: clamp(active) };
    case 'Escape':
      return { type: 'close' };
  }
  const match = typeahead(labels, active, event.key);
  return match === null ? null : { type: 'move', active: match };
}

/** The next option after `from` whose label starts with the typed character, wrapping around. */
function typeahead(labels: readonly string[], from: number, key: string): number | null {
  if (key.length !== 1 || key === ' ') return null;
  const char = key.toLocaleLowerCase();
  for (let step = 1; step <= labels.length; step++) {
    const index = (from + step) % labels.length;
    if (labels[index]?.toLocaleLowerCase().startsWith(char)) return index;
  }
  return null;
}
