import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCost,
  formatLatency,
  formatPercent,
  formatRelativeTime,
  formatRetention,
  formatTimestamp,
  formatTokens,
  isoToLocalInput,
  localInputToIso,
} from './format';

describe('formatCost', () => {
  it('keeps enough significant digits for tiny costs', () => {
    expect(formatCost('0.00024', 'catalog')).toBe('$0.00024');
    expect(formatCost('0.000012400000', 'catalog')).toBe('$0.0000124');
    expect(formatCost('0.0045', 'provided')).toBe('$0.0045');
    expect(formatCost('0.1234567', 'custom')).toBe('$0.1235');
    expect(formatCost('0.5', 'catalog')).toBe('$0.50');
    expect(formatCost('1234.5', 'catalog')).toBe('$1,234.50');
  });

  it('says unpriced for a missing price, never $0', () => {
    expect(formatCost(null, 'none')).toBe('unpriced');
    expect(formatCost(null)).toBe('unpriced');
    expect(formatCost('0', 'provided')).toBe('$0.00');
  });
});

describe('formatTokens', () => {
  it('shows input and output with separators', () => {
    expect(formatTokens(12345, 67)).toBe('12,345 / 67');
    expect(formatTokens(null, null)).toBe('—');
    expect(formatTokens(10, null)).toBe('10 / —');
  });
});

describe('formatLatency', () => {
  it('scales from milliseconds to minutes', () => {
    expect(formatLatency(840)).toBe('840 ms');
    expect(formatLatency(1234)).toBe('1.23 s');
    expect(formatLatency(12_340)).toBe('12.3 s');
    expect(formatLatency(125_000)).toBe('2 min 5 s');
    expect(formatLatency(null)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('rounds sensibly and keeps null distinct from zero', () => {
    expect(formatPercent(0.042)).toBe('4.2%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0001)).toBe('<0.1%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(1_572_864)).toBe('1.5 MB');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('speaks in minutes, hours and days', () => {
    expect(formatRelativeTime('2026-11-23T11:59:50Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-11-23T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelativeTime('2026-11-23T09:00:00Z', now)).toBe('3 hr ago');
    expect(formatRelativeTime('2026-11-22T12:00:00Z', now)).toBe('yesterday');
    expect(formatRelativeTime('2026-11-21T12:00:00Z', now)).toBe('2 days ago');
    expect(formatRelativeTime('2026-10-01T12:00:00Z', now)).toBe('1 Oct 2026');
    expect(formatRelativeTime(null, now)).toBe('never');
  });
});

describe('datetime-local conversion', () => {
  it('round-trips through local time', () => {
    const iso = localInputToIso('2026-11-23T10:30');
    expect(iso).toBeDefined();
    expect(isoToLocalInput(iso)).toBe('2026-11-23T10:30');
    expect(localInputToIso('')).toBeUndefined();
  });
});

describe('formatTimestamp', () => {
  it('drops what the reader already knows', () => {
    const now = new Date(2026, 10, 23, 15, 0, 0).getTime();
    expect(formatTimestamp(new Date(2026, 10, 23, 9, 5, 7).toISOString(), now)).toBe('09:05:07');
    expect(formatTimestamp(new Date(2026, 10, 2, 9, 5, 7).toISOString(), now)).toBe('2 Nov, 09:05:07');
    expect(formatTimestamp(new Date(2025, 10, 2, 9, 5, 7).toISOString(), now)).toBe('2 Nov 2025, 09:05:07');
  });
});

describe('formatRetention', () => {
  it('says how long executions are kept', () => {
    expect(formatRetention(30)).toBe('Executions are kept for 30 days');
    expect(formatRetention(1)).toBe('Executions are kept for 1 day');
    expect(formatRetention(3650)).toBe('Executions are kept for 3,650 days');
    expect(formatRetention(null)).toBe('Executions are kept until deleted');
  });
});
