import { describe, expect, it } from 'vitest';
import { accessChoices, matchesPromptFilter, promptAccessSummary } from './access';

describe('promptAccessSummary', () => {
  it('says editors and admins read every prompt', () => {
    expect(promptAccessSummary({ role: 'editor', promptAccess: [] })).toBe('Every prompt (as editor)');
    expect(promptAccessSummary({ role: 'admin', promptAccess: ['a'] })).toBe('Every prompt (as admin)');
  });

  it("counts a viewer's grants", () => {
    expect(promptAccessSummary({ role: 'viewer', promptAccess: [] })).toBe('Analytics only');
    expect(promptAccessSummary({ role: 'viewer', promptAccess: ['a'] })).toBe('Logs of 1 prompt');
    expect(promptAccessSummary({ role: 'viewer', promptAccess: ['a', 'b'] })).toBe('Logs of 2 prompts');
  });
});

describe('accessChoices', () => {
  it('offers the project prompts, then granted prompts the list no longer has', () => {
    expect(accessChoices(['b', 'a'], ['z', 'a', 'c'])).toEqual(['b', 'a', 'c', 'z']);
  });
});

describe('matchesPromptFilter', () => {
  it('matches a part of the id, ignoring case and surrounding spaces', () => {
    expect(matchesPromptFilter('Support-Reply', ' reply ')).toBe(true);
    expect(matchesPromptFilter('support-reply', 'order')).toBe(false);
    expect(matchesPromptFilter('anything', '')).toBe(true);
  });
});
