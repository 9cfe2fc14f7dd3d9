import type {
  CustomPrice,
  CustomPriceInput,
  CustomPricePreview,
  ModelPrice,
  ModelSummary,
  RepricingJob,
} from '@promptlog/contracts';
import { formatCount } from '../../lib/format';

/** The price dialog's fields, as typed: amounts in USD per million tokens, the date an ISO instant or ''. */
export type PriceForm = {
  model: string;
  match: 'exact' | 'prefix';
  inputPerMillion: string;
  outputPerMillion: string;
  cacheReadPerMillion: string;
  cacheWritePerMillion: string;
  reasoningPerMillion: string;
  effectiveFrom: string;
};
export const PRICE_FIELDS = [
  'model',
  'match',
  'inputPerMillion',
  'outputPerMillion',
  'cacheReadPerMillion',
  'cacheWritePerMillion',
  'reasoningPerMillion',
  'effectiveFrom',
] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];

/** What the dialog edits: a new price, or the custom price `priceId` in place. */
export type PriceTarget = { priceId: string | null; form: PriceForm };

/** The body of POST and PUT /api/v1/prices; an empty date lets the price apply to every execution. */
export type PriceBody = Omit<CustomPriceInput, 'effectiveFrom'> & { effectiveFrom?: string };

const EMPTY: PriceForm = {
  model: '',
  match: 'exact',
  inputPerMillion: '',
  outputPerMillion: '',
  cacheReadPerMillion: '',
  cacheWritePerMillion: '',
  reasoningPerMillion: '',
  effectiveFrom: '',
};
const FOREVER = '1970-01-01T00:00:00.000Z';
/** As the API takes them (DecimalString): plain non-negative decimals. */
const DECIMAL = /^\d+(\.\d+)?$/;

/** The dialog for a model of the list: its custom price to edit, else a new exact price, starting from the catalogue's. */
export function targetForModel(model: ModelSummary): PriceTarget {
  const price = model.price;
  if (price?.source === 'custom' && price.customPriceId) {
    return { priceId: price.customPriceId, form: formOf(price, price.pattern ?? model.model) };
  }
  return {
    priceId: null,
    form: price ? { ...formOf(price, model.model), match: 'exact' } : { ...EMPTY, model: model.model },
  };
}

export function targetForCustomPrice(price: CustomPrice): PriceTarget {
  return { priceId: price.id, form: formOf(price, price.model) };
}

export const NEW_PRICE: PriceTarget = { priceId: null, form: EMPTY };

type PriceAmounts = Pick<
  ModelPrice,
  'inputPerMillion' | 'outputPerMillion' | 'cacheReadPerMillion' | 'cacheWritePerMillion' | 'effectiveFrom'
> & { match?: 'exact' | 'prefix' | null; reasoningPerMillion: string | null };

function formOf(price: PriceAmounts, model: string): PriceForm {
  // A model's price states the reasoning rate its calls get, the output rate when there is no own one: only a rate
  // of its own belongs in the field, which left blank bills reasoning as output.
  const reasoning = price.reasoningPerMillion;
  return {
    model,
    match: price.match ?? 'exact',
    inputPerMillion: price.inputPerMillion,
    outputPerMillion: price.outputPerMillion,
    cacheReadPerMillion: price.cacheReadPerMillion ?? '',
    cacheWritePerMillion: price.cacheWritePerMillion ?? '',
    reasoningPerMillion: reasoning === null || reasoning === price.outputPerMillion ? '' : reasoning,
    effectiveFrom: price.effectiveFrom && price.effectiveFrom !== FOREVER ? price.effectiveFrom : '',
  };
}

/** What is wrong with each field, in words, before anything is sent. */
export function validatePriceForm(form: PriceForm): Partial<Record<PriceField, string>> {
  const errors: Partial<Record<PriceField, string>> = {};
  const model = form.model.trim();
  if (model === '') errors.model = 'Enter the model name, or the start of the names it applies to.';
  else if (model.length > 200) errors.model = 'Use at most 200 characters.';
  const amount = (field: PriceField, value: string, required: boolean) => {
    const typed = value.trim();
    if (typed === '') {
      if (required) errors[field] = 'Enter a price in USD per million tokens, such as 2.5.';
    } else if (!DECIMAL.test(typed) || typed.length > 40) {
      errors[field] = 'Enter a non-negative decimal such as 0.075, without a currency sign.';
    }
  };
  amount('inputPerMillion', form.inputPerMillion, true);
  amount('outputPerMillion', form.outputPerMillion, true);
  amount('cacheReadPerMillion', form.cacheReadPerMillion, false);
  amount('cacheWritePerMillion', form.cacheWritePerMillion, false);
  amount('reasoningPerMillion', form.reasoningPerMillion, false);
  return errors;
}

export function hasErrors(errors: Partial<Record<PriceField, string>>): boolean {
  return Object.values(errors).some(Boolean);
}

export function toPriceBody(form: PriceForm): PriceBody {
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    model: form.model.trim(),
    match: form.match,
    inputPerMillion: form.inputPerMillion.trim(),
    outputPerMillion: form.outputPerMillion.trim(),
    cacheReadPerMillion: optional(form.cacheReadPerMillion),
    cacheWritePerMillion: optional(form.cacheWritePerMillion),
    reasoningPerMillion: optional(form.reasoningPerMillion),
    effectiveFrom: optional(form.effectiveFrom),
  };
}

/** A price per million tokens exactly as stored, as dollars: "$2.50", "$0.075", "$0.0000125". */
export function formatPricePerMillion(amount: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  return `$${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

export function plural(count: number, noun: string): string {
  return `${new Intl.NumberFormat('en-US').format(count)} ${count === 1 ? noun : `${noun}s`}`;
}

/**
 * What saving will do, in words: the count the server made with the same walk the re-pricing takes. A price covering
 * more executions than a preview checks is counted in the oldest ones only, so the count is a lower bound.
 */
export function repricingPreview({ repricedExecutions, checkedExecutions, complete }: CustomPricePreview): string {
  if (!complete) {
    return `Saving re-prices at least ${plural(repricedExecutions, 'execution')}: counted in the oldest ${formatCount(checkedExecutions)} it covers, and it covers more.`;
  }
  return repricedExecutions === 0
    ? 'Saving changes the cost of no logged execution.'
    : `Saving re-prices ${plural(repricedExecutions, 'execution')}.`;
}

/**
 * A re-pricing in words: under way with what it walked of the estimate counted when it started (more executions may
 * have arrived since, hence the "~"), then what it changed; a failed one says why.
 */
export function repricingProgress(job: RepricingJob): string {
  const count = (n: number) => new Intl.NumberFormat('en-US').format(n);
  switch (job.state) {
    case 'queued':
      return `Re-pricing ${job.model}: waiting to start`;
    case 'running':
      return job.total === null
        ? `Re-pricing ${job.model}: ${plural(job.processed, 'execution')} so far`
        : `Re-pricing ${job.model}: ${count(job.processed)} of ~${plural(job.total, 'execution')}`;
    case 'done':
      return `Re-priced ${plural(job.repriced, 'execution')}`;
    case 'failed':
      return `Re-pricing ${job.model} failed after ${plural(job.processed, 'execution')}: ${job.error ?? 'no reason given'}`;
  }
}

/** The progress bar's value and end: walked so far of the estimate, never past it (more may have arrived). */
export function repricingBar(job: RepricingJob): { value: number; max: number } {
  if (job.state === 'done') return { value: job.processed, max: job.processed };
  const max = Math.max(job.total ?? 0, job.processed);
  return { value: job.processed, max };
}
