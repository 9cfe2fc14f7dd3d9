import type { CustomPrice, ModelSummary } from '@promptlog/contracts';
import { createContext, useContext } from 'react';
import { Button } from '../../components/button';
import type { DataTableColumn } from '../../components/data-table';
import { formatCost, formatCount, formatDateTime } from '../../lib/format';
import { formatPricePerMillion } from './form';

/** The actions the tables' rows offer: open the price dialog for a model or a price, delete a price. */
export const PriceActionsContext = createContext<{
  editModel: (model: ModelSummary) => void;
  editPrice: (price: CustomPrice) => void;
  askDelete: (price: CustomPrice) => void;
} | null>(null);

function usePriceActions() {
  const actions = useContext(PriceActionsContext);
  if (!actions) throw new Error('usePriceActions must be used inside <PriceActionsContext>');
  return actions;
}

function Amount({ value, fallback }: { value: string | null | undefined; fallback?: string }) {
  if (value === undefined) return <span className="muted">—</span>;
  if (value === null) return <span className="muted">{fallback}</span>;
  return <span className="numeric">{formatPricePerMillion(value)}</span>;
}

function PriceSource({ model }: { model: ModelSummary }) {
  const { price } = model;
  if (!price) {
    return (
      <span className="price-source price-source--none" title="No price is known for this model">
        unpriced
      </span>
    );
  }
  if (price.source === 'catalog') {
    return (
      <span
        className="price-source"
        title={price.tiered ? 'Larger requests pay a higher tier; base prices shown' : price.ref}
      >
        catalogue{price.tiered ? ' · tiered' : ''}
      </span>
    );
  }
  const scope = price.match === 'prefix' ? ` · prefix “${price.pattern}”` : '';
  return (
    <span className="price-source price-source--custom" title={`Custom price ${price.pattern ?? ''}${scope}`}>
      custom{scope}
    </span>
  );
}

function ModelAction({ model }: { model: ModelSummary }) {
  const { editModel } = usePriceActions();
  const verb = model.price?.source === 'custom' ? 'Edit price' : model.price ? 'Override price' : 'Add price';
  return (
    <Button variant="ghost" size="sm" onClick={() => editModel(model)}>
      {verb}
      <span className="visually-hidden"> for {model.model}</span>
    </Button>
  );
}

const amount = (width = '7rem') => ({ width, align: 'end' as const });

export const modelColumns: DataTableColumn<ModelSummary>[] = [
  {
    id: 'model',
    header: 'Model',
    meta: { width: '22%' },
    cell: ({ row }) => (
      <span className="cell-strong" title={row.original.model}>
        {row.original.model}
      </span>
    ),
  },
  { id: 'price', header: 'Price', meta: { width: '13%' }, cell: ({ row }) => <PriceSource model={row.original} /> },
  {
    id: 'input',
    header: 'Input',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.price?.inputPerMillion} />,
  },
  {
    id: 'output',
    header: 'Output',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.price?.outputPerMillion} />,
  },
  {
    id: 'cacheRead',
    header: 'Cache read',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.price?.cacheReadPerMillion} fallback="as input" />,
  },
  {
    id: 'cacheWrite',
    header: 'Cache write',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.price?.cacheWritePerMillion} fallback="as input" />,
  },
  {
    id: 'reasoning',
    header: 'Reasoning',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.price?.reasoningPerMillion} />,
  },
  {
    id: 'calls',
    header: 'Calls',
    meta: amount('7rem'),
    cell: ({ row }) => {
      const { calls, unpricedCalls } = row.original;
      return (
        <span
          className="numeric"
          title={unpricedCalls > 0 ? `${formatCount(unpricedCalls)} without a price` : undefined}
        >
          {formatCount(calls)}
        </span>
      );
    },
  },
  {
    id: 'spend',
    header: 'Spend',
    meta: amount('7rem'),
    cell: ({ row }) => {
      const { costUsd, unpricedCalls } = row.original;
      return (
        <span
          className={costUsd === null ? 'numeric muted' : 'numeric'}
          title={costUsd === null ? 'No call of this model has a price' : `$${costUsd}`}
        >
          {formatCost(costUsd)}
          {costUsd !== null && unpricedCalls > 0 && (
            <span className="muted"> +{formatCount(unpricedCalls)} unpriced</span>
          )}
        </span>
      );
    },
  },
  {
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    // "Override price" is the longest verb; narrower, its button is cut short.
    meta: { width: '11.5rem', align: 'end' },
    cell: ({ row }) => <ModelAction model={row.original} />,
  },
];

function CustomPriceActions({ price }: { price: CustomPrice }) {
  const { editPrice, askDelete } = usePriceActions();
  return (
    <span className="row-actions">
      <Button variant="ghost" size="sm" onClick={() => editPrice(price)}>
        Edit<span className="visually-hidden"> the price for {price.model}</span>
      </Button>
      <Button variant="ghost" size="sm" className="button--danger-text" onClick={() => askDelete(price)}>
        Delete<span className="visually-hidden"> the price for {price.model}</span>
      </Button>
    </span>
  );
}

export const customPriceColumns: DataTableColumn<CustomPrice>[] = [
  {
    id: 'model',
    header: 'Model name or prefix',
    meta: { width: '24%' },
    cell: ({ row }) => (
      <span className="cell-strong" title={row.original.model}>
        {row.original.model}
      </span>
    ),
  },
  {
    id: 'match',
    header: 'Matches',
    meta: { width: '9rem' },
    cell: ({ row }) => (row.original.match === 'prefix' ? 'prefix' : 'exact name'),
  },
  {
    id: 'effectiveFrom',
    header: 'From',
    meta: { width: '12rem' },
    cell: ({ row }) =>
      row.original.effectiveFrom.startsWith('1970-01-01T00:00:00') ? (
        <span className="muted">always</span>
      ) : (
        <time dateTime={row.original.effectiveFrom}>{formatDateTime(row.original.effectiveFrom)}</time>
      ),
  },
  {
    id: 'input',
    header: 'Input',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.inputPerMillion} />,
  },
  {
    id: 'output',
    header: 'Output',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.outputPerMillion} />,
  },
  {
    id: 'cacheRead',
    header: 'Cache read',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.cacheReadPerMillion} fallback="as input" />,
  },
  {
    id: 'cacheWrite',
    header: 'Cache write',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.cacheWritePerMillion} fallback="as input" />,
  },
  {
    id: 'reasoning',
    header: 'Reasoning',
    meta: amount(),
    cell: ({ row }) => <Amount value={row.original.reasoningPerMillion} fallback="as output" />,
  },
  {
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    meta: { width: '10rem', align: 'end' },
    cell: ({ row }) => <CustomPriceActions price={row.original} />,
  },
];
