import { AUDIT_ACTIONS } from '@promptlog/contracts/rules';
import { describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  ACTION_WORDS,
  actionWords,
  actorLabel,
  auditParams,
  describeDetails,
  formatDetailValue,
  formatFilters,
  hasAuditFilters,
  parseAuditFilters,
} from './describe';

describe('audit actions in words', () => {
  it('has words and a filter name for every action the contract knows', () => {
    for (const action of AUDIT_ACTIONS) {
      expect(ACTION_WORDS[action]).toMatch(/^[a-z]/);
      expect(ACTION_NAMES[action]).toMatch(/^[A-Z]/);
    }
  });

  it('reads a known action as words and an unknown one as its code', () => {
    expect(actionWords('member.role_changed')).toBe('changed the role of');
    expect(actionWords('project.exploded')).toBe('project.exploded');
  });
});

describe('actorLabel', () => {
  it('names users by email, keys by label and the system as Promptlog', () => {
    expect(actorLabel({ kind: 'user', id: 'u', label: 'ada@example.com' })).toBe('ada@example.com');
    expect(actorLabel({ kind: 'api_key', id: 'k', label: 'ci' })).toBe('API key “ci”');
    expect(actorLabel({ kind: 'system', id: null, label: '' })).toBe('Promptlog');
  });
});

describe('describeDetails', () => {
  it('reads settings changes per setting, before → after', () => {
    expect(
      describeDetails({
        from: { retentionDays: null, rollupRetentionDays: 400 },
        to: { retentionDays: 30, rollupRetentionDays: 400 },
      }),
    ).toEqual([
      { label: 'Retention days', value: 'forever → 30' },
      { label: 'Rollup retention days', value: '400 → 400' },
    ]);
  });

  it('reads a single change as one line, before the other details', () => {
    expect(describeDetails({ userId: 'u1', from: 'viewer', to: 'editor' })).toEqual([
      { label: 'Change', value: 'viewer → editor' },
      { label: 'User id', value: 'u1' },
    ]);
    expect(describeDetails({ from: '2026-01-01' })).toEqual([{ label: 'From', value: '2026-01-01' }]);
  });

  it('labels keys in words and shows nested changes as from → to', () => {
    expect(
      describeDetails({
        role: { from: 'viewer', to: 'editor' },
        retentionDays: { from: null, to: 30 },
        scopes: ['ingest', 'read'],
        caseInsensitive: true,
        rows: 12345,
        prompt_id: 'support-reply',
      }),
    ).toEqual([
      { label: 'Role', value: 'viewer → editor' },
      { label: 'Retention days', value: 'forever → 30' },
      { label: 'Scopes', value: 'ingest, read' },
      { label: 'Case insensitive', value: 'yes' },
      { label: 'Rows', value: '12,345' },
      { label: 'Prompt id', value: 'support-reply' },
    ]);
  });

  it("reads an export's filters in words, in the Logs tab's order whatever order they were stored in", () => {
    expect(
      describeDetails({
        filters: { from: '2026-11-01T00:00:00.000Z', source: ['workflow'], status: ['error'], metadata: [] },
      }),
    ).toEqual([{ label: 'Filters', value: 'status: error, source: workflow, from: 2026-11-01T00:00:00.000Z' }]);
    expect(
      formatFilters({
        q: 'refund',
        version: [3],
        status: ['error', 'cancelled'],
        promptId: ['support-reply', 'triage'],
        metadata: [
          { key: 'env', value: 'prod' },
          { key: 'region', value: 'eu' },
        ],
        model: undefined,
      }),
    ).toBe(
      'prompt: support-reply or triage, status: error or cancelled, version: 3, search: “refund”, ' +
        'metadata: env = prod and region = eu',
    );
    expect(formatFilters({ metadata: [] })).toBe('none');
  });

  it('shows other objects as JSON text', () => {
    expect(formatDetailValue({ status: ['error'] })).toBe('{"status":["error"]}');
    expect(formatDetailValue([])).toBe('none');
  });
});

describe('audit filters', () => {
  it('reads known actions, the actor and valid dates from the URL', () => {
    const filters = parseAuditFilters(
      new URLSearchParams('action=api_key.revoked&action=bogus&actor=%20ada%20&from=2026-11-01T00:00:00Z&to=nope'),
    );
    expect(filters).toEqual({
      action: ['api_key.revoked'],
      actor: 'ada',
      from: '2026-11-01T00:00:00.000Z',
      to: '',
    });
    expect(hasAuditFilters(filters)).toBe(true);
    expect(hasAuditFilters(parseAuditFilters(new URLSearchParams()))).toBe(false);
  });

  it('asks the API for the same filters', () => {
    const params = auditParams({
      action: ['member.removed', 'member.joined'],
      actor: 'ada',
      from: '2026-11-01T00:00:00.000Z',
      to: '',
    });
    expect(params.toString()).toBe(
      'action=member.removed&action=member.joined&actor=ada&from=2026-11-01T00%3A00%3A00.000Z',
    );
  });
});
