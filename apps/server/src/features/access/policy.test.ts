import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { assertCanReview, type Caller, canReview } from './policy';

const PROJECT = '0190f0f0-0000-7000-8000-000000000001';
const OTHER = '0190f0f0-0000-7000-8000-000000000002';

function session(role: 'viewer' | 'editor' | 'admin', promptAccess: string[] = []): Caller {
  return { kind: 'session', memberships: new Map([[PROJECT, { role, promptAccess }]]) };
}

describe('who may review executions and manage review labels', () => {
  it('is editors and admins of the project, in a session', () => {
    expect(canReview(session('admin'), PROJECT)).toBe(true);
    expect(canReview(session('editor'), PROJECT)).toBe(true);
  });

  it('is not a viewer, even one granted prompts, nor a member of another project, nor an API key', () => {
    expect(canReview(session('viewer'), PROJECT)).toBe(false);
    expect(canReview(session('viewer', ['alpha']), PROJECT)).toBe(false);
    expect(canReview(session('admin'), OTHER)).toBe(false);
    expect(canReview({ kind: 'apiKey', projectId: PROJECT, scopes: ['ingest', 'read'] }, PROJECT)).toBe(false);
  });

  it('says what is needed when refused', () => {
    expect(() => assertCanReview(session('viewer', ['alpha']), PROJECT)).toThrow(AppError);
    expect(() => assertCanReview(session('viewer'), PROJECT)).toThrow(/editor or admin role/);
    expect(() => assertCanReview(session('editor'), PROJECT)).not.toThrow();
  });
});
