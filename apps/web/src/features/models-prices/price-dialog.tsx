import type { CustomPricePreview, RepricingJob } from '@promptlog/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { Choice } from '../../components/choice';
import { DateTimeField } from '../../components/date-time-field';
import { ErrorMessage, errorText } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { fieldErrors } from '../../lib/api-client';
import { repricingPreviewQuery, savePrice } from './api';
import {
  hasErrors,
  PRICE_FIELDS,
  type PriceBody,
  type PriceForm,
  type PriceTarget,
  plural,
  repricingPreview,
  toPriceBody,
  validatePriceForm,
} from './form';

const PREVIEW_DELAY_MS = 400;

type PriceDialogProps = {
  projectId: string;
  target: PriceTarget;
  onSaved: (saved: { body: PriceBody; repricing: RepricingJob }) => void;
  onClose: () => void;
};

/** The per-million rates, in the order the dialog asks for them. */
const RATE_FIELDS: {
  name: 'inputPerMillion' | 'outputPerMillion' | 'cacheReadPerMillion' | 'cacheWritePerMillion' | 'reasoningPerMillion';
  label: string;
  hint?: string;
}[] = [
  { name: 'inputPerMillion', label: 'Input (USD per 1M tokens)' },
  { name: 'outputPerMillion', label: 'Output (USD per 1M tokens)' },
  { name: 'cacheReadPerMillion', label: 'Cache read (USD per 1M tokens)', hint: 'Empty: the input price.' },
  { name: 'cacheWritePerMillion', label: 'Cache write (USD per 1M tokens)', hint: 'Empty: the input price.' },
  {
    name: 'reasoningPerMillion',
    label: 'Reasoning, per million tokens',
    hint: 'Blank: billed as output (reasoning tokens are part of the output tokens).',
  },
];

/**
 * Adds or edits a custom price. Before saving it says how many executions the price re-prices (counted by the
 * server with the walk the re-pricing takes); saving commits the price with its re-pricing, which then runs in the
 * background while the tab shows its progress.
 */
export function PriceDialog({ projectId, target, onSaved, onClose }: PriceDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const opener = useRef<Element | null>(null);
  const [form, setForm] = useState<PriceForm>(target.form);
  const [shownErrors, setShownErrors] = useState<ReturnType<typeof validatePriceForm>>({});
  const editing = target.priceId !== null;

  const errors = validatePriceForm(form);
  const valid = !hasErrors(errors);
  const body = toPriceBody(form);
  const settled = useSettled(JSON.stringify(body), PREVIEW_DELAY_MS);
  const preview = useQuery({
    ...repricingPreviewQuery(projectId, target.priceId, body),
    enabled: valid && settled,
  });
  const save = useMutation({
    mutationFn: () => savePrice(projectId, target.priceId, body),
    onSuccess: (saved) => onSaved({ body, repricing: saved.repricing }),
  });
  const server = fieldErrors(save.error, PRICE_FIELDS);
  const fieldError = (field: (typeof PRICE_FIELDS)[number]) => shownErrors[field] ?? server.byField[field];

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    opener.current = document.activeElement;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
  }, []);

  const update = (patch: Partial<PriceForm>) => {
    setForm({ ...form, ...patch });
    setShownErrors({});
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setShownErrors(errors);
    if (!valid) {
      save.reset();
      return;
    }
    save.mutate();
  };

  const title = editing ? 'Edit custom price' : 'Add a custom price';

  return (
    <dialog
      ref={ref}
      className="confirm price-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!save.isPending) onClose();
      }}
    >
      <form className="price-dialog__form" onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="confirm__title">
          {title}
        </h2>
        <p className="muted">
          USD per million tokens. It applies to calls of the matching models from its date on, in place of the
          catalogue; calls whose cost the application sent keep it.
        </p>
        <ErrorMessage error={save.error} issues={server.other} title="Could not save the price" />
        <TextField
          label="Model"
          name="model"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          value={form.model}
          error={fieldError('model')}
          onChange={(event) => update({ model: event.target.value })}
        />
        <fieldset className="choice-group">
          <legend className="field__label">Match</legend>
          <Choice
            type="radio"
            name="match"
            value="exact"
            checked={form.match === 'exact'}
            onChange={() => update({ match: 'exact' })}
            title="Exact name"
            description="Only the model named exactly so"
          />
          <Choice
            type="radio"
            name="match"
            value="prefix"
            checked={form.match === 'prefix'}
            onChange={() => update({ match: 'prefix' })}
            title="Prefix"
            description="Every model whose name starts with it (an exact price or a longer prefix wins)"
          />
        </fieldset>
        <div className="price-dialog__amounts">
          {RATE_FIELDS.map((field) => (
            <TextField
              key={field.name}
              label={field.label}
              name={field.name}
              inputMode="decimal"
              autoComplete="off"
              hint={field.hint}
              value={form[field.name]}
              error={fieldError(field.name)}
              onChange={(event) => update({ [field.name]: event.target.value })}
            />
          ))}
          <DateTimeField
            label="Effective from"
            hint="Empty: every execution, whatever its date."
            value={form.effectiveFrom}
            onChange={(effectiveFrom) => update({ effectiveFrom })}
          />
        </div>
        <RepricingStatus
          pending={save.isPending}
          valid={valid}
          loading={preview.isFetching || (valid && !settled)}
          counted={preview.data}
          error={preview.error}
        />
        <div className="form__actions">
          <Button variant="secondary" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" pending={save.isPending}>
            Save price
          </Button>
        </div>
      </form>
    </dialog>
  );
}

/** The preview before saving, then the re-pricing while it runs: one live region, so each change is announced. */
function RepricingStatus({
  pending,
  valid,
  loading,
  counted,
  error,
}: {
  pending: boolean;
  valid: boolean;
  loading: boolean;
  counted: CustomPricePreview | undefined;
  error: unknown;
}) {
  let content: ReactNode;
  if (pending) {
    const executions =
      counted === undefined
        ? 'its executions'
        : `${counted.complete ? '' : 'at least '}${plural(counted.repricedExecutions, 'execution')}`;
    content = <span>Saving the price; {executions} will be re-priced in the background.</span>;
  } else if (!valid) {
    content = <span className="muted">Fill in the prices to see how many executions they re-price.</span>;
  } else if (loading) {
    content = <span className="muted">Counting the executions this price re-prices…</span>;
  } else if (error) {
    content = <span>Could not count the executions it re-prices: {errorText(error)}</span>;
  } else if (counted !== undefined) {
    content = <strong>{repricingPreview(counted)}</strong>;
  }
  return (
    <div className="price-dialog__status" role="status">
      {content}
    </div>
  );
}

/** Whether `value` has stayed the same for `delay` ms: a preview waits for the typing to pause. */
function useSettled(value: string, delay: number): boolean {
  const [settledValue, setSettledValue] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettledValue(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settledValue === value;
}
