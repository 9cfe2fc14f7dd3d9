import { describe, expect, it } from 'vitest';
import { type ListboxState, listboxKey } from './listbox-keys';

const labels = ['Support bot', 'Billing', 'Search', 'Onboarding'];
const closed: ListboxState = { open: false, active: 0, selected: 1, labels };
const open: ListboxState = { open: true, active: 1, selected: 1, labels };

describe('listboxKey, closed', () => {
  it('opens on the chosen option without choosing anything', () => {
    for (const key of ['ArrowDown', 'ArrowUp', 'Enter', ' ']) {
      expect(listboxKey(closed, { key })).toEqual({ type: 'open', active: 1 });
    }
    expect(listboxKey(closed, { key: 'Home' })).toEqual({ type: 'open', active: 0 });
    expect(listboxKey(closed, { key: 'End' })).toEqual({ type: 'open', active: 3 });
  });

  it('opens on the next option starting with a typed letter', () => {
    expect(listboxKey(closed, { key: 's' })).toEqual({ type: 'open', active: 2 });
    expect(listboxKey(closed, { key: 'x' })).toBeNull();
  });

  it('leaves Tab, Escape and shortcuts to the browser', () => {
    expect(listboxKey(closed, { key: 'Tab' })).toBeNull();
    expect(listboxKey(closed, { key: 'Escape' })).toBeNull();
    expect(listboxKey(closed, { key: 'ArrowDown', ctrlKey: true })).toBeNull();
  });
});

describe('listboxKey, open', () => {
  it('moves the active option within the list, stopping at its ends', () => {
    expect(listboxKey(open, { key: 'ArrowDown' })).toEqual({ type: 'move', active: 2 });
    expect(listboxKey(open, { key: 'ArrowUp' })).toEqual({ type: 'move', active: 0 });
    expect(listboxKey({ ...open, active: 3 }, { key: 'ArrowDown' })).toEqual({ type: 'move', active: 3 });
    expect(listboxKey({ ...open, active: 0 }, { key: 'ArrowUp' })).toEqual({ type: 'move', active: 0 });
    expect(listboxKey(open, { key: 'End' })).toEqual({ type: 'move', active: 3 });
    expect(listboxKey(open, { key: 'PageUp' })).toEqual({ type: 'move', active: 0 });
  });

  it('chooses the active option with Enter, Space or Alt+ArrowUp, and closes with Escape', () => {
    const onSearch = { ...open, active: 2 };
    expect(listboxKey(onSearch, { key: 'Enter' })).toEqual({ type: 'choose', index: 2 });
    expect(listboxKey(onSearch, { key: ' ' })).toEqual({ type: 'choose', index: 2 });
    expect(listboxKey(onSearch, { key: 'ArrowUp', altKey: true })).toEqual({ type: 'choose', index: 2 });
    expect(listboxKey(onSearch, { key: 'Escape' })).toEqual({ type: 'close' });
  });

  it('jumps to the next match of a typed letter, wrapping around', () => {
    expect(listboxKey({ ...open, active: 2 }, { key: 'S' })).toEqual({ type: 'move', active: 0 });
    expect(listboxKey(open, { key: 'o' })).toEqual({ type: 'move', active: 3 });
  });

  it('does nothing for an empty list', () => {
    expect(listboxKey({ ...closed, labels: [] }, { key: 'ArrowDown' })).toBeNull();
  });
});
