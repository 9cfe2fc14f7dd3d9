import { describeMessagesRequest, MessageEvents, messageResult } from './anthropic-messages.js';
import { type RecordedCall, recordCalls, type WrapOptions } from './call-recorder.js';
import { followResult } from './follow.js';
import { interceptMethods } from './intercept.js';
import { isObject, withoutKeys } from './mapping.js';
import { observeEmits } from './observe.js';

/**
 * Logs every `messages.create` (streamed or not) and `messages.stream` call of an Anthropic client to
 * Promptlog. Returns the same client type; every other method, and every response, stream and
 * error, is the client's own.
 */
export function wrapAnthropic<Client extends object>(client: Client, options: WrapOptions): Client {
  const describe = {
    provider: 'anthropic',
    defaultPromptId: 'anthropic.messages',
    describeRequest: describeMessagesRequest,
  };
  return interceptMethods(client, {
    messages: {
      create: recordCalls(options, {
        ...describe,
        follow: followResult(messageResult, () => new MessageEvents()),
      }),
      stream: recordCalls(options, { ...describe, follow: followMessageStream }),
    },
  });
}

/** Follows a MessageStream through its events; the stream object is returned to the application as is. */
function followMessageStream(returned: unknown, call: RecordedCall, params: Record<string, unknown>): void {
  let snapshot: unknown;
  let finalMessage: unknown;
  let failure: { error: unknown } | undefined;
  const observed = observeEmits(returned, (event, args) => {
    if (event === 'streamEvent') {
      if (isObject(args[0]) && args[0].type === 'content_block_delta') call.firstToken();
      snapshot = args[1];
    } else if (event === 'finalMessage') {
      finalMessage = args[0];
    } else if (event === 'error' || event === 'abort') {
      failure = { error: args[0] };
    } else if (event === 'end') {
      call.guard(() => {
        if (failure) call.fail(failure.error, messageResult(snapshot, withoutKeys(params, ['output_config'])));
        else call.finish(messageResult(finalMessage ?? snapshot, params));
      });
    }
  });
  if (!observed) call.finishUnread('a MessageStream');
}
