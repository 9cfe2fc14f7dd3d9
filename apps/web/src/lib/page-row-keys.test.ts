import { describe, expect, it } from 'vitest';
import { isPageRowKey } from './page-row-keys';

describe('isPageRowKey', () => {
  it('takes j and k pressed on the page', () => {
    expect(isPageRowKey({ key: 'j' }, false)).toBe(true);
    expect(isPageRowKey({ key: 'k' }, false)).toBe(true);
  });

  it('leaves other keys, arrows included, to the page', () => {
    for (const key of ['ArrowDown', 'ArrowUp', 'Enter', 'J', 'K', ' ', 'x']) {
      expect(isPageRowKey({ key }, false)).toBe(false);
    }
  });

  it('leaves shortcuts with a modifier to the browser', () => {
    expect(isPageRowKey({ key: 'j', ctrlKey: true }, false)).toBe(false);
    expect(isPageRowKey({ key: 'j', metaKey: true }, false)).toBe(false);
    expect(isPageRowKey({ key: 'k', altKey: true }, false)).toBe(false);
  });

  it('leaves a key to a field, widget or dialog that has focus, or to a handler that took it', () => {
    expect(isPageRowKey({ key: 'j' }, true)).toBe(false);
    expect(isPageRowKey({ key: 'j', defaultPrevented: true }, false)).toBe(false);
  });
});
