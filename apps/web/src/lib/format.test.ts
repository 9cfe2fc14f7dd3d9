import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCost,
  formatDateTime,
  formatLatency,
  formatPercent,
  formatRelativeTime,
  formatRetention,
  formatTimestamp,
  formatTokens,
  isoToLocalInput,
  localInputToIso,
  parseDateTimeInput,
} from './format';

describe('formatCost', () => {
  it('keeps three significant digits under $1, so cheap calls stay apart', () => {
    expect(formatCost('0.00024', 'catalog')).toBe('$0.00024');
    expect(formatCost('0.000241', 'catalog')).toBe('$0.000241');
    expect(formatCost('0.000245', 'catalog')).toBe('$0.000245');
    expect(formatCost('0.000012400000', 'catalog')).toBe('$0.0000124');
    expect(formatCost('0.0045', 'provided')).toBe('$0.0045');
    expect(formatCost('0.1234567', 'custom')).toBe('$0.123');
    expect(formatCost('0.5', 'catalog')).toBe('$0.50');
    expect(formatCost('0.00000002', 'catalog')).toBe('$0.00000002');
    expect(formatCost('0.000000000000001', 'catalog')).toBe('$0.000000000000001');
  });

  it('shows cents from $1, with thousands separated', () => {
    expect(formatCost('1234.5', 'catalog')).toBe('$1,234.50');
    expect(formatCost('1.005', 'catalog')).toBe('$1.01');
    expect(formatCost('1234567.891', 'catalog')).toBe('$1,234,567.89');
  });

  it('rounds half up from the decimal digits, carrying into the next unit', () => {
    expect(formatCost('0.0001235', 'catalog')).toBe('$0.000124');
    expect(formatCost('0.0099996', 'catalog')).toBe('$0.01');
    expect(formatCost('0.9996', 'catalog')).toBe('$1.00');
    expect(formatCost('999.999', 'catalog')).toBe('$1,000.00');
  });

  it('reads the same for the exact string and the number a chart draws from it', () => {
    for (const exact of ['0.000012400000000001', '0.0002406', '0.01234', '0.2', '12.345', '0.000000125']) {
      expect(formatCost(Number(exact), 'catalog')).toBe(formatCost(exact, 'catalog'));
    }
    expect(formatCost(1.2e-7, 'catalog')).toBe('$0.00000012');
    expect(formatCost(0, 'catalog')).toBe('$0.00');
  });

  it('says unpriced for a missing price, never $0', () => {
    expect(formatCost(null, 'none')).toBe('unpriced');
    expect(formatCost(null)).toBe('unpriced');
    expect(formatCost('0', 'provided')).toBe('$0.00');
    expect(formatCost('0.000', 'catalog')).toBe('$0.00');
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
  it('scales from milliseconds to minutes and hours', () => {
    expect(formatLatency(840)).toBe('840 ms');
    expect(formatLatency(1234)).toBe('1.23 s');
    expect(formatLatency(12_340)).toBe('12.3 s');
    expect(formatLatency(125_000)).toBe('2 min 5 s');
    expect(formatLatency(3_725_000)).toBe('1 h 2 min 5 s');
    expect(formatLatency(null)).toBe('—');
  });

  it('says "1 min 0 s" for a minute, and never prints a rounded-up unit such as "60.0 s"', () => {
    expect(formatLatency(60_000)).toBe('1 min 0 s');
    expect(formatLatency(59_960)).toBe('1 min 0 s');
    expect(formatLatency(119_600)).toBe('2 min 0 s');
    expect(formatLatency(9_999)).toBe('10.0 s');
    expect(formatLatency(999.7)).toBe('1.00 s');
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

describe('parseDateTimeInput', () => {
  const local = (...parts: [number, number, number, number?, number?, number?]) => new Date(...parts).toISOString();

  it('reads the app’s own date format back, as shown by formatDateTime', () => {
    expect(parseDateTimeInput('23 Nov 2026, 13:05')).toBe(local(2026, 10, 23, 13, 5));
    expect(parseDateTimeInput('23 Nov 2026, 13:05:09')).toBe(local(2026, 10, 23, 13, 5, 9));
    const iso = local(2026, 1, 3, 7, 8, 9);
    expect(parseDateTimeInput(formatDateTime(iso))).toBe(iso);
  });

  it('takes full month names, any case, ISO-like dates and a date alone', () => {
    expect(parseDateTimeInput('  3 september 2026 9:30 ')).toBe(local(2026, 8, 3, 9, 30));
    expect(parseDateTimeInput('3 Sept 2026')).toBe(local(2026, 8, 3));
    expect(parseDateTimeInput('2026-11-23 13:05')).toBe(local(2026, 10, 23, 13, 5));
    expect(parseDateTimeInput('2026-11-23T13:05:30')).toBe(local(2026, 10, 23, 13, 5, 30));
    expect(parseDateTimeInput('2026-11-23')).toBe(local(2026, 10, 23));
  });

  it('answers empty for nothing typed and null for what is not a date', () => {
    expect(parseDateTimeInput('   ')).toBe('');
    expect(parseDateTimeInput('yesterday')).toBeNull();
    expect(parseDateTimeInput('31 Feb 2026')).toBeNull();
    expect(parseDateTimeInput('23 Nox 2026')).toBeNull();
    expect(parseDateTimeInput('23 Nov 2026, 25:00')).toBeNull();
    expect(parseDateTimeInput('2026-13-01')).toBeNull();
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
