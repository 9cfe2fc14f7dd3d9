import type { ProjectSummary } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { confirmsName, withoutProject, withProject } from './api';

const support: ProjectSummary = { id: 'a', name: 'Support bot', role: 'admin', retentionDays: null };
const billing: ProjectSummary = { id: 'b', name: 'Billing', role: 'admin', retentionDays: 30 };

describe("the session's projects after a change", () => {
  it('adds a new project after the others and replaces a renamed one where it is', () => {
    expect(withProject([support], billing)).toEqual([support, billing]);
    const renamed = { ...support, name: 'Support bot v2' };
    expect(withProject([support, billing], renamed)).toEqual([renamed, billing]);
  });

  it('drops a deleted project', () => {
    expect(withoutProject([support, billing], 'a')).toEqual([billing]);
    expect(withoutProject([support], 'gone')).toEqual([support]);
  });
});

describe('confirmsName', () => {
  it('takes the exact name, with spaces around it ignored', () => {
    expect(confirmsName(' Support bot ', 'Support bot')).toBe(true);
    expect(confirmsName('support bot', 'Support bot')).toBe(false);
    expect(confirmsName('Support', 'Support bot')).toBe(false);
    expect(confirmsName('', 'Support bot')).toBe(false);
  });
});
