export type PageKey = {
  key: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  defaultPrevented?: boolean;
};

/** Where a key belongs to what has focus: typing, a widget with keys of its own, or a dialog over the page. */
export const OWN_KEYS_SELECTOR = [
  'input',
  'textarea',
  'select',
  '[contenteditable]:not([contenteditable="false"])',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[role="listbox"]',
  '[role="menu"]',
  '[role="combobox"]',
  '[role="tree"]',
  '[role="grid"]',
  '[role="treegrid"]',
].join(', ');

/**
 * Pure: whether a key pressed outside the table's rows should bring the keyboard to them. Only j and k, the
 * keys that cannot mean anything else on the page; arrows keep scrolling it.
 */
export function isPageRowKey(event: PageKey, focusOwnsKeys: boolean): boolean {
  if (event.defaultPrevented || focusOwnsKeys) return false;
  if (event.altKey || event.ctrlKey || event.metaKey) return false;
  return event.key === 'j' || event.key === 'k';
}
