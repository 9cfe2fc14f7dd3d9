import type { AlertNumbers } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import { describeNumbers, EMPTY_RULE_FORM, formToRequest, validateRuleForm } from './format';

describe('the rule form', () => {
  it('names each field that is wrong', () => {
    expect(validateRuleForm(EMPTY_RULE_FORM)).toEqual({
      name: 'Name the rule after what it watches.',
      threshold: 'Enter a number of 0 or more.',
    });
    expect(
      validateRuleForm({
        ...EMPTY_RULE_FORM,
        name: 'x',
        threshold: '120',
        windowHours: '0',
        minCalls: '2.5',
        version: '3',
        webhookUrl: 'hooks.example.test',
      }),
    ).toEqual({
      threshold: 'A rate is a percentage, at most 100.',
      windowHours: 'Enter whole hours from 1 to 720.',
      minCalls: 'Enter a whole number from 1.',
      promptId: 'A version belongs to a prompt: name the prompt too.',
      webhookUrl: 'Enter an http:// or https:// URL, or leave it empty.',
    });
    expect(
      validateRuleForm({ ...EMPTY_RULE_FORM, name: 'x', measure: 'calls', condition: 'worse_than_previous_window' }),
    ).toEqual({ condition: 'Calls can only be compared with a threshold.' });
  });

  it('sends a rate as a fraction and empty scope fields as null', () => {
    const form = { ...EMPTY_RULE_FORM, name: ' Errors ', threshold: '12.5', promptId: 'summarize', model: ' ' };
    expect(validateRuleForm(form)).toEqual({});
    expect(formToRequest(form)).toEqual({
      name: 'Errors',
      measure: 'error_rate',
      condition: 'above_threshold',
      threshold: 0.125,
      windowHours: 1,
      minCalls: 50,
      scope: { promptId: 'summarize', version: null, source: null, model: null },
      enabled: true,
      webhookUrl: null,
    });
    expect(
      formToRequest({ ...form, measure: 'p95_latency', condition: 'worse_than_previous_window' }).threshold,
    ).toBeNull();
  });
});

describe('describeNumbers', () => {
  const base: AlertNumbers = {
    measure: 'error_rate',
    condition: 'above_threshold',
    current: { label: 'last 1 h', calls: 20, value: 0.5 },
    baseline: null,
    threshold: 0.2,
    difference: 0.3,
    ci: null,
    pValue: null,
    from: '2026-12-03T06:00:00.000Z',
    to: '2026-12-03T07:10:00.000Z',
  };

  it('says what crossed which threshold', () => {
    expect(describeNumbers(base)).toBe('Error rate 50% over 20 calls (last 1 h), above the threshold of 20%.');
  });

  it('says what it was compared with, the interval and the p-value', () => {
    expect(
      describeNumbers({
        ...base,
        condition: 'worse_than_previous_version',
        current: { label: 'version 2', calls: 50, value: 0.3 },
        baseline: { label: 'version 1', calls: 100, value: 0.02 },
        threshold: null,
        ci: [0.15, 0.41],
        pValue: 0.00001,
      }),
    ).toBe(
      'Error rate 30% over 50 calls (version 2) against 2% over 100 calls (version 1); 95% interval of the difference +15 points to +41 points, p = <0.0001.',
    );
  });
});
