import { describe, expect, it } from 'vitest';
import { parsePromptTab, promptTabParam } from './tab';

describe('prompt tabs', () => {
  it('opens on Logs for readers of the logs and on Analytics for the others', () => {
    expect(parsePromptTab(null, true)).toBe('logs');
    expect(parsePromptTab(null, false)).toBe('analytics');
    expect(parsePromptTab('bogus', false)).toBe('analytics');
  });

  it('keeps an explicit choice, so a shared link opens the same tab', () => {
    expect(parsePromptTab('logs', false)).toBe('logs');
    expect(parsePromptTab('analytics', true)).toBe('analytics');
  });

  it('leaves the default tab out of the URL', () => {
    expect(promptTabParam('logs', true)).toBeNull();
    expect(promptTabParam('analytics', true)).toBe('analytics');
    expect(promptTabParam('analytics', false)).toBeNull();
    expect(promptTabParam('logs', false)).toBe('logs');
  });
});
