import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long one request computes before it lets the event loop take another turn. */
const SLICE_MS = 3;

/**
 * `items.map(work)`, handing the event loop back every few milliseconds. Node accepts one new connection per turn of
 * its event loop, so a request that computes for 100 ms at a stretch holds every new client (an orchestrator's
 * health probe too) for 100 ms per connection queued ahead of it; short turns keep connections and small requests
 * flowing while large batches are prepared.
 */
export async function mapTimeSliced<T, R>(items: readonly T[], work: (item: T, index: number) => R): Promise<R[]> {
  const results: R[] = [];
  let sliceStart = performance.now();
  for (const [index, item] of items.entries()) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
    results.push(work(item, index));
  }
  return results;
}
