import { describe, expect, it } from 'vitest';
import { chooseProject, isStaleChoice, joinedProject, projectHomePath } from './current-project';

const support = { id: 'p1', name: 'Support bot', role: 'admin' as const };
const billing = { id: 'p2', name: 'Billing', role: 'viewer' as const };

describe('chooseProject', () => {
  it('shows the project the URL names', () => {
    expect(chooseProject([support, billing], 'p2')).toBe(billing);
  });

  it('falls back to the first project when the URL names none', () => {
    expect(chooseProject([support, billing], null)).toBe(support);
  });

  it('falls back to the first project when the named one is no longer among the memberships', () => {
    expect(chooseProject([support, billing], 'removed')).toBe(support);
    expect(chooseProject([billing], 'p1')).toBe(billing);
  });

  it('is null only for a user in no project', () => {
    expect(chooseProject([], 'p1')).toBeNull();
    expect(chooseProject([], null)).toBeNull();
  });
});

describe('isStaleChoice', () => {
  it('is true only for a named project the user is not in', () => {
    expect(isStaleChoice([support, billing], 'removed')).toBe(true);
    expect(isStaleChoice([], 'p1')).toBe(true);
    expect(isStaleChoice([support, billing], 'p2')).toBe(false);
    expect(isStaleChoice([support], null)).toBe(false);
  });
});

describe('projectHomePath', () => {
  it("leads to the project's Prompts page, encoding the id", () => {
    expect(projectHomePath('0192f0c4-7d3a-7000-8000-000000000002')).toBe(
      '/?project=0192f0c4-7d3a-7000-8000-000000000002',
    );
    expect(projectHomePath('a&b')).toBe('/?project=a%26b');
  });
});

describe('joinedProject', () => {
  it('finds the project that is new after accepting an invite', () => {
    expect(joinedProject([support], [support, billing])).toBe('p2');
    expect(joinedProject([], [billing])).toBe('p2');
  });

  it('is null when nothing is new', () => {
    expect(joinedProject([support, billing], [billing, support])).toBeNull();
  });
});
