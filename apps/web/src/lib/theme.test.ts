import { describe, expect, it } from 'vitest';
import { parsePreference, resolveTheme } from './theme';

describe('the theme', () => {
  it('follows the system unless a saved choice says otherwise', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads nothing, or anything it did not write, as the system choice', () => {
    expect(parsePreference(null)).toBe('system');
    expect(parsePreference('purple')).toBe('system');
    expect(parsePreference('dark')).toBe('dark');
    expect(parsePreference('light')).toBe('light');
  });
});
