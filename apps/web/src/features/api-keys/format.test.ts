import type { ApiKeySummary } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { apiKeyExample, expiryFromDate, keyStatus, localDateInput, scopesLabel, sortKeys } from './format';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function key(fields: Partial<ApiKeySummary>): ApiKeySummary {
  return {
    id: '0192f0c4-7d3a-7000-8000-000000000001',
    label: 'k',
    prefix: 'pl_abcd',
    scopes: ['ingest'],
    createdBy: null,
    createdAt: '2026-11-01T00:00:00Z',
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    ...fields,
  };
}

describe('scopesLabel', () => {
  it('names the scopes in a fixed order, once each', () => {
    expect(scopesLabel(['read', 'ingest', 'read'])).toBe('Ingest + Read');
    expect(scopesLabel(['ingest'])).toBe('Ingest');
    expect(scopesLabel([])).toBe('');
  });
});

describe('keyStatus', () => {
  it('tells revoked from expired from active', () => {
    expect(keyStatus(key({}), NOW)).toBe('active');
    expect(keyStatus(key({ expiresAt: '2026-12-01T00:00:00Z' }), NOW)).toBe('active');
    expect(keyStatus(key({ expiresAt: '2026-11-23T11:59:59Z' }), NOW)).toBe('expired');
    expect(keyStatus(key({ expiresAt: '2026-11-01T00:00:00Z', revokedAt: '2026-11-02T00:00:00Z' }), NOW)).toBe(
      'revoked',
    );
  });
});

describe('sortKeys', () => {
  it('lists active keys first, newest first within a status', () => {
    const keys = [
      key({ label: 'old active', createdAt: '2026-10-01T00:00:00Z' }),
      key({ label: 'revoked', createdAt: '2026-11-20T00:00:00Z', revokedAt: '2026-11-21T00:00:00Z' }),
      key({ label: 'new active', createdAt: '2026-11-10T00:00:00Z' }),
    ];
    expect(sortKeys(keys, NOW).map((k) => k.label)).toEqual(['new active', 'old active', 'revoked']);
  });
});

describe('expiryFromDate', () => {
  it('ends at the last millisecond of the chosen local day', () => {
    const iso = expiryFromDate('2026-12-31');
    expect(iso).toBeDefined();
    const end = new Date(iso ?? '');
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([
      2026, 11, 31, 23, 59,
    ]);
  });

  it('means never for an empty or malformed date', () => {
    expect(expiryFromDate('')).toBeUndefined();
    expect(expiryFromDate('31/12/2026')).toBeUndefined();
  });

  it('round-trips with the date input value', () => {
    expect(localDateInput(Date.parse(expiryFromDate('2027-03-05') ?? ''))).toBe('2027-03-05');
  });
});

describe('apiKeyExample', () => {
  it('logs an execution with an ingest key', () => {
    const example = apiKeyExample('https://logs.example.com', 'pl_secret', ['ingest']);
    expect(example).toContain('curl -X POST https://logs.example.com/api/v1/executions');
    expect(example).toContain('Authorization: Bearer pl_secret');
  });

  it('lists prompts with a read-only key, which cannot ingest', () => {
    const example = apiKeyExample('https://logs.example.com', 'pl_secret', ['read']);
    expect(example).toContain('curl https://logs.example.com/api/v1/prompts');
    expect(example).not.toContain('-X POST');
  });
});
