import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api-client';
import {
  customRuleIssues,
  hasRuleErrors,
  parsePercent,
  parseRetention,
  rateToPercent,
  retentionToForm,
  validateCustomRules,
} from './form';

describe('retention', () => {
  it('reads "keep forever" as null and a number of days as that number', () => {
    expect(parseRetention({ forever: true, days: 'anything' })).toEqual({ ok: true, value: null });
    expect(parseRetention({ forever: false, days: ' 90 ' })).toEqual({ ok: true, value: 90 });
  });

  it('refuses what the server would', () => {
    for (const days of ['', '0', '1.5', '-3', 'ten', '36501']) {
      expect(parseRetention({ forever: false, days }).ok).toBe(false);
    }
  });

  it('offers a suggested number of days when the setting keeps forever', () => {
    expect(retentionToForm(null, 30)).toEqual({ forever: true, days: '30' });
    expect(retentionToForm(7, 30)).toEqual({ forever: false, days: '7' });
  });
});

describe('sample rate', () => {
  it('shows a fraction as a percentage and reads it back', () => {
    expect(rateToPercent(0.1)).toBe('10');
    expect(rateToPercent(0.005)).toBe('0.5');
    expect(rateToPercent(1)).toBe('100');
    expect(parsePercent('12.5')).toEqual({ ok: true, value: 0.125 });
    expect(parsePercent('0')).toEqual({ ok: true, value: 0 });
  });

  it('refuses values outside 0–100', () => {
    expect(parsePercent('101').ok).toBe(false);
    expect(parsePercent('-1').ok).toBe(false);
    expect(parsePercent('').ok).toBe(false);
  });
});

describe('validateCustomRules', () => {
  it('checks names and that a pattern is given', () => {
    const errors = validateCustomRules([
      { name: 'Order-Id', pattern: 'ORD-\\d+', caseInsensitive: false },
      { name: 'api_key', pattern: 'x', caseInsensitive: false },
      { name: 'ticket', pattern: '', caseInsensitive: true },
      { name: 'ticket', pattern: 'T-\\d+', caseInsensitive: false },
    ]);
    expect(errors).toEqual({
      0: { name: 'Use 1–40 lowercase letters, digits or _, starting with a letter.' },
      1: { name: '“api_key” is the name of a built-in rule; choose another.' },
      2: { pattern: 'Enter a regular expression.' },
      3: { name: 'Another rule has this name.' },
    });
    expect(hasRuleErrors(errors)).toBe(true);
    expect(
      hasRuleErrors(validateCustomRules([{ name: 'order_id', pattern: 'ORD-\\d+', caseInsensitive: false }])),
    ).toBe(false);
  });
});

describe('customRuleIssues', () => {
  it("puts the server's messages beside the rule and field they name", () => {
    const error = new ApiError(400, 'validation_failed', 'Invalid settings', [
      { path: 'redaction.custom.1.pattern', message: 'invalid RE2 pattern: missing )' },
      { path: 'body.redaction.custom.0.name', message: 'must be lowercase' },
      { path: '/redaction/custom/1/pattern', message: 'a second message for the same field' },
      { path: 'retentionDays', message: 'too large' },
    ]);
    expect(customRuleIssues(error)).toEqual({
      byRule: { 0: { name: 'Must be lowercase' }, 1: { pattern: 'Invalid RE2 pattern: missing )' } },
      other: [{ path: 'retentionDays', message: 'too large' }],
    });
  });

  it('finds nothing in other errors', () => {
    expect(customRuleIssues(new Error('x'))).toEqual({ byRule: {}, other: [] });
  });
});
