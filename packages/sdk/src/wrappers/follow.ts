import type { CallResult, RecordedCall } from './call-recorder.js';
import { observeIteration, observeWhenRead } from './observe.js';

export interface StreamAccumulator {
  add(item: unknown): boolean;
  readonly complete: boolean;
  result(params: Record<string, unknown>, status: CallResult['status']): CallResult;
}

/** Finishes the call from the APIPromise's value, or, for `stream: true`, from the stream's items. */
export function followResult(
  readResult: (value: unknown, params: Record<string, unknown>) => CallResult,
  newStream?: () => StreamAccumulator,
) {
  return (returned: unknown, call: RecordedCall, params: Record<string, unknown>) => {
    observeWhenRead(returned, (settlement) => {
      if (!settlement.ok) return call.fail(settlement.error);
      call.guard(() => {
        if (params.stream === true && newStream) followStream(settlement.value, call, params, newStream());
        else call.finish(readResult(settlement.value, params));
      });
    });
  };
}

function followStream(stream: unknown, call: RecordedCall, params: Record<string, unknown>, events: StreamAccumulator) {
  const observed = observeIteration(stream, {
    onItem(item) {
      if (events.add(item)) call.firstToken();
    },
    onEnd(end) {
      call.guard(() => {
        if (end.reason === 'failed') return call.fail(end.error, events.result(params, 'error'));
        const finished = end.reason === 'completed' || (end.reason === 'stopped' && events.complete);
        if (finished) return call.finish(events.result(params, 'success'));
        const message =
          end.reason === 'cancelled' ? 'The request was aborted' : 'The application stopped reading the stream early';
        call.finish({ ...events.result(params, 'cancelled'), error: { type: 'cancelled', message } });
      });
    },
  });
  if (!observed) call.finishUnread('a streamed result');
}
