import type { CustomPrice, ModelSummary } from '@promptlog/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DataTable } from '../../components/data-table';
import { RetryableError } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { customPricesQuery, deletePrice, modelPriceKeys, modelsQuery } from './api';
import { customPriceColumns, modelColumns, PriceActionsContext } from './columns';
import { NEW_PRICE, type PriceTarget, targetForCustomPrice, targetForModel } from './form';
import { PriceDialog } from './price-dialog';
import { RepricingProgress } from './repricing-progress';

const CATCH_UP_MS = 10_000;
const CATCH_UP_INTERVAL_MS = 1_500;
const modelRowId = (model: ModelSummary) => model.model;
const priceRowId = (price: CustomPrice) => price.id;

/** Settings → Models & prices: every model seen with its price, calls and spend; custom prices added, edited, deleted. */
export function ModelsPricesTab({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  // Calls and spend come from the rollups, which fold a re-pricing's changes within seconds of it: read them again
  // for a little while after one, so the spend catches up without a reload.
  const [catchUpUntil, setCatchUpUntil] = useState(0);
  const models = useQuery({
    ...modelsQuery(projectId),
    refetchInterval: () => (Date.now() < catchUpUntil ? CATCH_UP_INTERVAL_MS : false),
  });
  const prices = useQuery(customPricesQuery(projectId));
  const [editing, setEditing] = useState<PriceTarget | null>(null);
  const [deleting, setDeleting] = useState<CustomPrice | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [watching, setWatching] = useState<ReadonlySet<string>>(new Set());
  const headingId = useId();

  // The change is saved; its re-pricing runs in the background, and RepricingProgress shows it until it is done.
  // When it is, every list, chart and total of the project is read again, and the rollups catch up within seconds.
  const changed = (message: string, repricingId: string) => {
    setOutcome(message);
    setWatching((ids) => new Set(ids).add(repricingId));
    setCatchUpUntil(Date.now() + CATCH_UP_MS);
    void queryClient.invalidateQueries({ queryKey: modelPriceKeys.all });
  };
  const remove = useMutation({
    mutationFn: (price: CustomPrice) => deletePrice(projectId, price.id),
    onSuccess: (result, price) => {
      setDeleting(null);
      changed(`Deleted the custom price for ${price.model}.`, result.repricing.id);
    },
  });
  const actions = useMemo(
    () => ({
      editModel: (model: ModelSummary) => setEditing(targetForModel(model)),
      editPrice: (price: CustomPrice) => setEditing(targetForCustomPrice(price)),
      askDelete: (price: CustomPrice) => {
        remove.reset();
        setDeleting(price);
      },
    }),
    [remove.reset],
  );

  return (
    <div className="settings-tab">
      <PriceActionsContext value={actions}>
        <section className="stack stack--tight" aria-labelledby={`${headingId}-models`}>
          <div className="section-header section-header--with-action">
            <div>
              <h2 id={`${headingId}-models`} className="section-title">
                Models
              </h2>
              <p className="muted">
                Every model this project has logged, as long as its rollups are kept: the price its calls get now (a
                custom price, else the catalogue’s), its calls and what they cost. Prices are per million tokens.
              </p>
            </div>
            <Button onClick={() => setEditing(NEW_PRICE)}>Add a custom price</Button>
          </div>
          {outcome && (
            <p className="price-outcome" role="status">
              {outcome}
            </p>
          )}
          <RepricingProgress projectId={projectId} watching={watching} />
          {models.isPending ? (
            <Loading label="Loading models…" />
          ) : models.isError ? (
            <RetryableError error={models.error} title="Could not load the models" onRetry={() => models.refetch()} />
          ) : models.data.items.length === 0 ? (
            <p className="muted">No model has been logged yet. Models appear here with their first execution.</p>
          ) : (
            <DataTable
              label="Models"
              columns={modelColumns}
              data={models.data.items}
              getRowId={modelRowId}
              maxHeight="none"
            />
          )}
        </section>

        <section className="stack stack--tight" aria-labelledby={`${headingId}-prices`}>
          <div className="section-header">
            <h2 id={`${headingId}-prices`} className="section-title">
              Custom prices
            </h2>
            <p className="muted">
              USD per million tokens. The most specific one applies to a call: an exact name before a prefix, a longer
              prefix before a shorter one, then the latest that was in effect when the call started.
            </p>
          </div>
          {prices.isPending ? (
            <Loading label="Loading custom prices…" />
          ) : prices.isError ? (
            <RetryableError
              error={prices.error}
              title="Could not load the custom prices"
              onRetry={() => prices.refetch()}
            />
          ) : prices.data.items.length === 0 ? (
            <p className="muted">
              None yet: every call is priced from the catalogue, and a model the catalogue does not know is unpriced.
            </p>
          ) : (
            <DataTable
              label="Custom prices"
              columns={customPriceColumns}
              data={prices.data.items}
              getRowId={priceRowId}
              maxHeight="none"
            />
          )}
        </section>
      </PriceActionsContext>

      {editing && (
        <PriceDialog
          projectId={projectId}
          target={editing}
          onClose={() => setEditing(null)}
          onSaved={({ body, repricing }) => {
            setEditing(null);
            changed(`Saved the price for ${body.model}.`, repricing.id);
          }}
        />
      )}

      {deleting && (
        <ConfirmDialog
          title={`Delete the custom price for “${deleting.model}”?`}
          confirmLabel="Delete price"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            Its executions go back to the next price that matches them: another custom price, the catalogue, or none
            (unpriced). Costs the applications sent are kept.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
