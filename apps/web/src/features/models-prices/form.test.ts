import type { ModelSummary, RepricingJob } from '@promptlog/contracts';
import { describe, expect, it } from 'vitest';
import {
  formatPricePerMillion,
  repricingBar,
  repricingPreview,
  repricingProgress,
  targetForModel,
  toPriceBody,
  validatePriceForm,
} from './form';

const catalogPrice = {
  source: 'catalog' as const,
  ref: 'catalog:openai/gpt-4o-mini',
  customPriceId: null,
  pattern: null,
  match: null,
  effectiveFrom: null,
  inputPerMillion: '0.15',
  outputPerMillion: '0.6',
  cacheReadPerMillion: '0.075',
  cacheWritePerMillion: null,
  reasoningPerMillion: '0.6',
  tiered: false,
};
const model = (overrides: Partial<ModelSummary>): ModelSummary => ({
  model: 'gpt-4o-mini',
  calls: 3,
  unpricedCalls: 0,
  costUsd: '0.01',
  price: catalogPrice,
  ...overrides,
});

describe('targetForModel', () => {
  it('starts an unpriced model’s price empty, by its exact name', () => {
    expect(targetForModel(model({ model: 'house-llm', price: null }))).toEqual({
      priceId: null,
      form: {
        model: 'house-llm',
        match: 'exact',
        inputPerMillion: '',
        outputPerMillion: '',
        cacheReadPerMillion: '',
        cacheWritePerMillion: '',
        reasoningPerMillion: '',
        effectiveFrom: '',
      },
    });
  });

  it('fills in a custom price’s own reasoning rate, and leaves it blank when reasoning is billed as output', () => {
    const custom = {
      ...catalogPrice,
      source: 'custom' as const,
      customPriceId: '0190a000-0000-7000-8000-000000000002',
      pattern: 'gpt-4o-mini',
      match: 'exact' as const,
    };
    expect(targetForModel(model({ price: { ...custom, reasoningPerMillion: '2.4' } })).form.reasoningPerMillion).toBe(
      '2.4',
    );
    expect(targetForModel(model({ price: custom })).form.reasoningPerMillion).toBe('');
    expect(targetForModel(model({})).form.reasoningPerMillion).toBe('');
  });

  it('starts an override of a catalogue price from the catalogue’s amounts', () => {
    expect(targetForModel(model({})).form).toMatchObject({
      model: 'gpt-4o-mini',
      match: 'exact',
      inputPerMillion: '0.15',
      cacheReadPerMillion: '0.075',
      cacheWritePerMillion: '',
    });
  });

  it('edits the custom price that applies, prefix and date included', () => {
    const custom = {
      ...catalogPrice,
      source: 'custom' as const,
      customPriceId: '0190a000-0000-7000-8000-000000000001',
      pattern: 'house-',
      match: 'prefix' as const,
      effectiveFrom: '2026-05-01T00:00:00.000Z',
    };
    expect(targetForModel(model({ model: 'house-llm', price: custom }))).toMatchObject({
      priceId: custom.customPriceId,
      form: { model: 'house-', match: 'prefix', effectiveFrom: '2026-05-01T00:00:00.000Z' },
    });
    const always = { ...custom, effectiveFrom: '1970-01-01T00:00:00.000Z' };
    expect(targetForModel(model({ price: always })).form.effectiveFrom).toBe('');
  });
});

describe('validatePriceForm', () => {
  const form = targetForModel(model({})).form;

  it('accepts plain decimals, the cache prices optional', () => {
    expect(validatePriceForm({ ...form, cacheReadPerMillion: ' ' })).toEqual({});
  });

  it('says what is wrong with each field', () => {
    expect(
      validatePriceForm({
        ...form,
        model: ' ',
        inputPerMillion: '',
        outputPerMillion: '$2',
        cacheWritePerMillion: '-1',
        reasoningPerMillion: 'lots',
      }),
    ).toEqual({
      model: 'Enter the model name, or the start of the names it applies to.',
      inputPerMillion: 'Enter a price in USD per million tokens, such as 2.5.',
      outputPerMillion: 'Enter a non-negative decimal such as 0.075, without a currency sign.',
      cacheWritePerMillion: 'Enter a non-negative decimal such as 0.075, without a currency sign.',
      reasoningPerMillion: 'Enter a non-negative decimal such as 0.075, without a currency sign.',
    });
  });
});

describe('toPriceBody', () => {
  it('trims, and leaves out what is empty so the server’s defaults apply', () => {
    expect(
      toPriceBody({
        model: ' house-llm ',
        match: 'exact',
        inputPerMillion: ' 2 ',
        outputPerMillion: '8',
        cacheReadPerMillion: '',
        cacheWritePerMillion: '2.5',
        reasoningPerMillion: ' 20 ',
        effectiveFrom: '',
      }),
    ).toEqual({
      model: 'house-llm',
      match: 'exact',
      inputPerMillion: '2',
      outputPerMillion: '8',
      cacheReadPerMillion: undefined,
      cacheWritePerMillion: '2.5',
      reasoningPerMillion: '20',
      effectiveFrom: undefined,
    });
  });
});

describe('formatPricePerMillion', () => {
  it('shows the stored amount exactly, in dollars', () => {
    expect(formatPricePerMillion('2.5')).toBe('$2.50');
    expect(formatPricePerMillion('0.075')).toBe('$0.075');
    expect(formatPricePerMillion('0.0000125')).toBe('$0.0000125');
    expect(formatPricePerMillion('15')).toBe('$15.00');
    expect(formatPricePerMillion('1200.000000000000')).toBe('$1,200.00');
  });
});

describe('repricingPreview', () => {
  it('says what saving will do', () => {
    const counted = (repricedExecutions: number, checkedExecutions = 5000, complete = true) => ({
      repricedExecutions,
      checkedExecutions,
      complete,
    });
    expect(repricingPreview(counted(0))).toBe('Saving changes the cost of no logged execution.');
    expect(repricingPreview(counted(1))).toBe('Saving re-prices 1 execution.');
    expect(repricingPreview(counted(1234))).toBe('Saving re-prices 1,234 executions.');
  });

  it('gives a lower bound when the price covers more executions than the preview checked', () => {
    expect(repricingPreview({ repricedExecutions: 19_000, checkedExecutions: 20_000, complete: false })).toBe(
      'Saving re-prices at least 19,000 executions: counted in the oldest 20,000 it covers, and it covers more.',
    );
  });
});

describe('repricingProgress', () => {
  const job: RepricingJob = {
    id: '0190a000-0000-7000-8000-000000000003',
    state: 'running',
    priceId: '0190a000-0000-7000-8000-000000000004',
    action: 'updated',
    model: 'gpt-4o',
    total: 48_000,
    processed: 12_400,
    repriced: 12_000,
    error: null,
    createdAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:10.000Z',
    finishedAt: null,
  };

  it('says how far a re-pricing is, of the estimate made when it started', () => {
    expect(repricingProgress(job)).toBe('Re-pricing gpt-4o: 12,400 of ~48,000 executions');
    expect(repricingProgress({ ...job, total: null, processed: 0 })).toBe('Re-pricing gpt-4o: 0 executions so far');
    expect(repricingProgress({ ...job, state: 'queued', processed: 0 })).toBe('Re-pricing gpt-4o: waiting to start');
    expect(repricingProgress({ ...job, state: 'done', processed: 48_100, repriced: 1 })).toBe('Re-priced 1 execution');
    expect(repricingProgress({ ...job, state: 'failed', error: 'disk full' })).toBe(
      'Re-pricing gpt-4o failed after 12,400 executions: disk full',
    );
  });

  it('fills the bar to what was walked, never past its end, and full when done', () => {
    expect(repricingBar(job)).toEqual({ value: 12_400, max: 48_000 });
    expect(repricingBar({ ...job, processed: 48_100 })).toEqual({ value: 48_100, max: 48_100 });
    expect(repricingBar({ ...job, state: 'done', processed: 3 })).toEqual({ value: 3, max: 3 });
  });
});
